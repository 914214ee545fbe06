"""/healthz: is the database reachable, and is the broker (when one is configured)? Also how much background work
waits in the outbox (informational: work waits there safely while the broker is down)."""

from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means unhealthy
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def _broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "in-process"}
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception as exc:  # unreachable broker
        return {"ok": False, "mode": "broker", "error": exc.__class__.__name__}
    return {"ok": True, "mode": "broker"}


# name -> () -> dict: informational reports the apps above config add (the outbox's backlog), registered when they
# start, since config imports none of them. They never make the answer unhealthy.
_reports: dict[str, Callable[[], dict]] = {}


def register_health_report(name: str, report: Callable[[], dict]) -> None:
    _reports[name] = report


def _informational(report: Callable[[], dict]) -> dict:
    try:
        return {"ok": True, **report()}
    except Exception as exc:  # the database check already says why
        return {"ok": True, "error": exc.__class__.__name__}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "broker": _broker()}
    healthy = all(check["ok"] for check in checks.values())
    for name, report in _reports.items():
        checks[name] = _informational(report)
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503
    )
