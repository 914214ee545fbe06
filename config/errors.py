"""Domain errors raised by services, each with the one HTTP status both the pages and the API answer it with."""

from dataclasses import dataclass
from typing import Any


class DomainError(Exception):
    """A business rule refused the request. Maps to 400 with the fields named in `errors`."""

    status = 400

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class NotAllowed(DomainError):
    """The actor may see the object but may not do this to it (segregation of duties, role). Maps to 403."""

    status = 403


class NotFound(DomainError):
    """The object the request names does not exist where the request looks for it. Maps to 404."""

    status = 404


class InvalidTransition(DomainError):
    """The action is not allowed in the object's current state. Maps to 409."""

    status = 409


class RateLimited(DomainError):
    """Too many requests of this kind for now. Maps to 429 with Retry-After (seconds)."""

    status = 429

    def __init__(self, message: str, *, retry_after: int, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message, errors=errors)
        self.retry_after = retry_after


def http_status(exc: DomainError) -> int:
    """The status a page or the API answers a refusal with."""
    return exc.status


def http_headers(exc: DomainError) -> dict[str, str]:
    """The headers that go with it: how long to wait before retrying a rate-limited request."""
    return {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else {}


@dataclass(frozen=True)
class Refusal:
    """Why something may not be done now, and the error a service raises for it (403 or 409): a policy's answer, read
    by the pages (shown next to a disabled action) and raised by the service."""

    reason: str
    error: type[DomainError]

    def raise_it(self, **kwargs: Any) -> None:
        raise self.error(self.reason, **kwargs)
