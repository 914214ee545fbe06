"""Test settings: SQLite when nothing is configured, PostgreSQL and Redis when DATABASE_URL / CELERY_BROKER_URL are set."""

from config.env import env_str

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In memory, except for worker processes started by the service tests, which write mail to files the test reads.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
ALLOWED_HOSTS = ["*"]
# Tasks run in-process in tests so each test controls its own side effects; the worker tests switch this off and
# send real messages through Redis to a real worker process.
CELERY_TASK_ALWAYS_EAGER = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
