"""Domain errors raised by services; the API exception handler and the HTML views map them to status codes."""


class DomainError(Exception):
    """A business rule refused the request. Maps to 400 with the fields named in `errors`."""

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class NotAllowed(DomainError):
    """The actor may see the object but may not do this to it (segregation of duties, role). Maps to 403."""


class InvalidTransition(DomainError):
    """The action is not allowed in the object's current state. Maps to 409."""


class RateLimited(DomainError):
    """Too many requests of this kind for now. Maps to 429 with Retry-After (seconds)."""

    def __init__(self, message: str, *, retry_after: int, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message, errors=errors)
        self.retry_after = retry_after


def http_status(exc: DomainError) -> int:
    """The status a page answers a refusal with (the API's exception handler maps the same classes)."""
    if isinstance(exc, RateLimited):
        return 429
    if isinstance(exc, NotAllowed):
        return 403
    if isinstance(exc, InvalidTransition):
        return 409
    return 400
