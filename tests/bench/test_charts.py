"""The natal chart's speed (issue 12, SPEC §11) is measured by `make bench`, not asserted here: these tests check
that the measure computes real charts and that its line names the rate and the 50 ms target."""

import ast
from pathlib import Path

from bench.charts import chart_rate, report_line

RUN = Path(__file__).resolve().parents[2] / "bench" / "run.py"
TARGET_MS = 50


def test_the_chart_measure_computes_charts_and_its_line_says_how_many_per_second():
    result = chart_rate(seconds=0.3)
    line = report_line(result)

    assert result["charts"] >= 1 and result["cpu_ms_per_chart"] > 0
    assert f"{result['charts_per_s']:.0f} charts/s" in line and f"target ≤ {TARGET_MS} ms" in line


def test_make_bench_runs_the_chart_measure_and_keeps_it_in_its_report():
    tree = ast.parse(RUN.read_text(encoding="utf-8"))
    called = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    keys = {k.value for node in ast.walk(tree) if isinstance(node, ast.Dict) for k in node.keys if isinstance(k, ast.Constant)}
    assert "chart_rate" in called and "charts" in keys
