"""`/health/`: is this process able to serve? Checks the database, Redis and a Celery worker."""

import datetime

from django.conf import settings
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient


def _checks() -> list:
    checks: list = [
        "health_check.checks.Database",
        ("health_check.contrib.redis.Redis", {"client_factory": lambda: RedisClient.from_url(settings.REDIS_URL)}),
    ]
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        # With eager tasks (demo without Redis) there is no worker to ask.
        checks.append(("health_check.contrib.celery.Ping", {"timeout": datetime.timedelta(seconds=2), "limit": 1}))
    return checks


class LumiraHealthView(HealthCheckView):
    @property
    def checks(self):  # read at request time so that settings overrides apply
        return _checks()
