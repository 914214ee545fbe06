"""Local development: the embedded default (SQLite, in-process tasks) unless the environment says otherwise."""

from config.env import env_bool, env_str

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)

# Static files straight from the source folders; no collectstatic needed to run locally.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if not STATIC_ROOT.exists():  # noqa: F405
    STATIC_ROOT = None

# Mail goes to files in .mail/ (one per message) unless an email backend is configured.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = BASE_DIR / ".mail"  # noqa: F405
LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}  # noqa: F405
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}  # noqa: F405  (its per-step progress is noise locally)
LOGGING["loggers"]["fontTools"] = {"level": "WARNING"}  # noqa: F405
