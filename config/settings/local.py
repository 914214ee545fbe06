"""Local development: the embedded default (SQLite, in-process tasks) unless the environment says otherwise."""

from config.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)

# Static files straight from the source folders; no collectstatic needed to run locally.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if not STATIC_ROOT.exists():  # noqa: F405
    STATIC_ROOT = None
