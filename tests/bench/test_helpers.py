"""The bench's own logic: verdicts against the targets, the profile summary, the Redis client reuse."""

from types import SimpleNamespace

from bench.endpoint import Endpoint, target_verdict
from bench.profile import ROOT, summarise
from lumira.redis_cache import RedisCache
from tests.server_support import suite_redis_url


def _result(**values):
    defaults = {"ratio_to_ceiling": 0.6, "p99_to_ceiling": 2.0, "queries": 3, "non_2xx": 0}
    return SimpleNamespace(**{**defaults, **values})


def test_an_endpoint_meeting_every_target_is_ok_and_each_miss_is_named():
    read = Endpoint("queue", "/q", min_ratio=0.5, max_p99_ratio=4.0, max_queries=6)

    assert target_verdict(read, _result()) == "ok"
    assert target_verdict(read, _result(ratio_to_ceiling=0.4, p99_to_ceiling=5.0, queries=7)) == (
        "MISS: req/s < 50%, p99 > 4x, queries > 6"
    )
    assert target_verdict(read, _result(non_2xx=3)) == "MISS: errors"
    assert target_verdict(Endpoint("ceiling", "/c"), _result()) == ""


def test_the_profile_summary_splits_cpu_by_library_and_shows_our_share(tmp_path):
    ours = f"on_payment_intent_succeeded ({ROOT}/payments/receivers.py:31)"
    view = "post (/venv/lib/python3.11/site-packages/djstripe/views.py:42)"
    sql = "execute (/venv/lib/python3.11/site-packages/django/db/backends/utils.py:78)"
    raw = tmp_path / "raw.txt"
    raw.write_text(f"{view};{ours};{sql} 30\n{view};{sql} 50\n{view} 20\n")

    summary = summarise(raw)

    assert summary.startswith("100 CPU samples; 30% with Lumira's own code on the stack")
    assert "80.0%  Django ORM + psycopg" in summary and "20.0%  dj-stripe" in summary
    assert "30.0%  Lumira's webhook receivers (payments/receivers.py)" in summary


def test_the_redis_cache_reuses_one_client_and_still_works():
    cache = RedisCache(suite_redis_url(),
                       {"KEY_PREFIX": "lumira-bench-test"})
    try:
        cache.set("a", {"x": 1}, 30)
        cache.set_many({"b": 2, "c": 3}, 30)

        assert cache.get("a") == {"x": 1} and cache.get_many(["b", "c"]) == {"b": 2, "c": 3}
        assert cache._cache.get_client() is cache._cache.get_client()
    finally:
        cache.delete_many(["a", "b", "c"])
