import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lumira.settings")

app = Celery("lumira")
# All Celery options come from Django settings with the CELERY_ prefix.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
