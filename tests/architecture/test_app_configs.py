"""Each app's start-up wiring runs: Django picked the app's own LumiraAppConfig (not a plain AppConfig, which it
falls back to when an apps.py holds two config classes and none says `default = True`)."""

import pytest
from django.apps import apps

from lumira.app_config import LumiraAppConfig


@pytest.mark.parametrize("label", ["experts", "orders", "payments", "sanctuaire"])
def test_the_app_runs_its_own_start_up_wiring(label):
    config = apps.get_app_config(label)

    assert isinstance(config, LumiraAppConfig) and type(config) is not LumiraAppConfig
    assert config.connect_modules or config.gauges
