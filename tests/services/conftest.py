"""Fixtures for tests that talk to a real Celery worker through Redis."""

import pytest

from config.celery import app


@pytest.fixture
def through_the_broker():
    """Send tasks as messages through the broker instead of running them in-process (the test default)."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = previous
