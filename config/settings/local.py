"""Local development: the embedded default (SQLite, in-process tasks) unless the environment says otherwise."""

from config.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
