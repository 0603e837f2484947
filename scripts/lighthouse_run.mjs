// Lighthouse runs (mobile emulation) of one page through its Node API, for `make lighthouse` (scripts/lighthouse.sh).
// Signed-in pages get their session as a real browser cookie (puppeteer), not as an extra header: a header
// reaches the page but not its later fetches (htmx), which would then load a login page into the panel.
// The page is run RUNS times (LIGHTHOUSE_RUNS, default 3) and the report kept is Lighthouse's own median run
// (computeMedianRun: the run nearest the median FCP and TTI), as Lighthouse advises against a single run's
// variance; on a busy machine (a low benchmarkIndex, printed by lighthouse.sh) one run's TBT swings widely.
// Usage: node lighthouse_run.mjs LIGHTHOUSE_DIR URL REPORT.json [COOKIE_NAME=VALUE]
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [lighthouseDir, url, reportPath, cookie] = process.argv.slice(2);
const runs = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS || 3));
const load = (name, file) => import(pathToFileURL(join(lighthouseDir, "node_modules", name, file)).href);
const { default: lighthouse } = await load("lighthouse", "core/index.js");
const { computeMedianRun } = await load("lighthouse", "core/lib/median-run.js");
const chromeLauncher = await load("chrome-launcher", "dist/index.js");
const { default: puppeteer } = await load("puppeteer-core", "lib/esm/puppeteer/puppeteer-core.js");

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
try {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
  const page = await browser.newPage();
  if (cookie) {
    const [name, ...value] = cookie.split("=");
    await page.setCookie({ name, value: value.join("="), url });
  }
  const results = [];
  let failed;
  // A run whose trace failed (NO_NAVSTART…) scores nothing; Lighthouse's advice is to run it again.
  for (let attempt = 1; results.length < runs && attempt <= runs + 2; attempt += 1) {
    const result = await lighthouse(
      url,
      // disableStorageReset: Lighthouse would otherwise clear the origin's cookies, the session included.
      { port: chrome.port, output: "json", logLevel: "error", disableStorageReset: Boolean(cookie),
        onlyCategories: ["performance", "accessibility", "best-practices", "seo"] },
      undefined,
      page,
    );
    if (result.lhr.runtimeError) { failed = result; } else { results.push(result); }
  }
  const kept = results.length ? computeMedianRun(results.map((r) => r.lhr)) : undefined;
  const report = kept ? results.find((r) => r.lhr === kept).report : failed.report;
  writeFileSync(reportPath, report);
  await browser.disconnect();
} finally {
  await chrome.kill();
}
