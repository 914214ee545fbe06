"""A service's refusal (config.errors.DomainError) on an HTML page: as one line for a message, or on a form's fields."""

from typing import Any

from config.errors import DomainError


def refusal_line(exc: DomainError) -> str:
    """What was refused and why, field by field, in one line."""
    problems = "; ".join(f"{field}: {m}" for field, ms in exc.errors.items() for m in ms)
    return f"{exc} {problems}" if problems else str(exc)


def add_refusal_to_form(form: Any, exc: DomainError) -> None:
    """Each problem on its field when the form has one, otherwise on the form as a whole."""
    for field, problems in exc.errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)
    if not exc.errors:
        form.add_error(None, str(exc))
