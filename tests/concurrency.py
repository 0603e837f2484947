"""Races for tests: calls released together from their own threads (PostgreSQL row locks are what they test)."""

import threading
from collections.abc import Callable

from django.db import connection


def all_at_once(calls: list[Callable], *, timeout: float = 60) -> list:
    """Run each call in its own thread, released together by a barrier; return, in call order, what each
    returned or the exception it raised. Each thread closes the database connection it opened."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call: Callable) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # reported to the test as a result
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
