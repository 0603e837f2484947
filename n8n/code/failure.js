// Every failure calls Lumira back with success: false and the reason, so that the expert sees it at once (Lumira
// records the failed attempt): never silence. Reached from the error outputs of the signature check, the chain
// (model error, refused connection, timeout) and the answer's check.
const crypto = require('crypto');
// originOf(): n8n/code/origin.js, which scripts/n8n_workflow.py puts ahead of this code.
const secret = $env.N8N_CALLBACK_SECRET || '';
if (!secret) throw new Error("N8N_CALLBACK_SECRET manque dans l'environnement de n8n : échec non signalé à Lumira.");

const failed = $input.first().json;
const detail = String((failed.error && (failed.error.message || failed.error)) || failed.message || 'échec inconnu')
  .replace(/(?: \[line \d+\])+$/, ''); // n8n's note of where a Code node threw: noise for the expert
// The chain's error item carries the verified request (with its model): say that the model failed.
const reason = failed.llm && failed.llm.model ? `Modèle ${failed.llm.model} : ${detail}` : detail;

// Ids and callback URL: from the verified request when the check passed, else from the unverified body.
let request = null;
let verified = false;
try {
  const checked = $('Vérifier la signature').first(0);
  if (checked && checked.json.verified === true) {
    request = checked.json;
    verified = true;
  }
} catch (error) { /* the check did not pass */ }
if (!request) {
  try {
    const body = $('Webhook Lumira').first().json.body;
    request = body && typeof body === 'object' ? body : JSON.parse(String(body));
  } catch (error) { /* unreadable body */ }
}
if (!request || !request.orderId || !request.attemptId || !request.callbackUrl) {
  throw new Error(`Échec non signalé à Lumira (requête sans orderId, attemptId ou callbackUrl) : ${reason}`);
}

// An unverified callbackUrl could point anywhere: it is followed only when it lies under LUMIRA_CALLBACK_BASE.
const base = $env.LUMIRA_CALLBACK_BASE || '';
const allowed = base ? originOf(request.callbackUrl) !== null && originOf(request.callbackUrl) === originOf(base) : verified;
if (!allowed) {
  throw new Error(`Échec non signalé à Lumira (callbackUrl non vérifiée, réglez LUMIRA_CALLBACK_BASE) : ${reason}`);
}

const body = JSON.stringify({
  orderId: String(request.orderId), attemptId: String(request.attemptId), success: false, error: reason.slice(0, 1900),
});
const timestamp = String(Math.floor(Date.now() / 1000));
const signature = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
return [{ json: { callbackUrl: request.callbackUrl, body, timestamp, signature } }];
