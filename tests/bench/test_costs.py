"""`make bench`'s cost per reading (issue 13): the local writer measured at 0 €, hosted models priced by LLM_PRICES."""

from bench.costs import generation_costs


def test_the_bench_prices_a_reading_of_every_level_and_tier_with_the_local_writer_at_zero(settings, capsys):
    settings.LLM_PRICES = {"cheap-model": (1.0, 2.0), "dear-model": (10.0, 20.0), "local": (0.0, 0.0)}

    report = generation_costs()

    rows = report["per_reading"]
    assert [(row["level"], row["service"]) for row in rows] == [
        (level, service) for level in (1, 2, 3, 4) for service in ("basic", "premium", "vip")
    ]
    assert all(row["local_eur"] == 0 and row["local_ms"] > 0 for row in rows)
    assert all(set(row["estimated_eur"]) == {"cheap-model", "dear-model"} for row in rows)  # "local" is the 0 column
    for row in rows:
        cheap = (row["estimated_prompt_tokens"] * 1.0 + row["estimated_completion_tokens"] * 2.0) / 1_000_000
        assert row["estimated_eur"]["cheap-model"] == round(cheap, 6)
        assert row["estimated_eur"]["dear-model"] > row["estimated_eur"]["cheap-model"] > 0
    basic, vip = rows[0], rows[2]
    assert vip["estimated_eur"]["cheap-model"] > basic["estimated_eur"]["cheap-model"]  # 2,250 words vs 750
    assert report["prices_eur_per_million_tokens"] == settings.LLM_PRICES
    printed = capsys.readouterr().out
    assert "local ms" in printed and "cheap-model" in printed and "4/vip" in printed
