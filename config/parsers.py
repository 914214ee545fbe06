"""The API's JSON parser: besides malformed JSON it refuses what no field can store (a NUL character, text that is not
valid Unicode, a number that decodes to infinity) and nesting deeper than any request needs, naming where the problem
is.

PostgreSQL cannot store or even compare text holding NUL, a lone surrogate cannot be encoded for the database, and a
deep enough body exhausts the decoder's stack: without these checks each ends as a 500.
"""

import math
import re
from typing import Any, NamedTuple

from rest_framework import exceptions, parsers

# No request needs more than a few levels (a boundary's limits are the deepest, at four); this leaves room to grow.
MAX_JSON_DEPTH = 32
DEPTH_MESSAGE = f"JSON nested more than {MAX_JSON_DEPTH} levels deep."
NUL_MESSAGE = "Remove the NUL character (\\u0000): it cannot be stored."
NUMBER_MESSAGE = "A number too large to represent."
SURROGATE_MESSAGE = "Not valid Unicode text (it holds a lone surrogate such as \\ud800)."

_SURROGATE = re.compile("[\ud800-\udfff]")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


class MalformedRequest(exceptions.ParseError):
    """A request no view can serve (400), with the place of each problem in `errors`, as every API error has."""

    def __init__(self, detail: str, *, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.errors = errors or {}


def printable(name: str) -> str:
    """A key or parameter name as it can be shown back in an error: invisible characters written as escapes."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", name)


class Problem(NamedTuple):
    detail: str  # the sentence for "detail"
    where: str  # the field (dotted), parameter or header named in "errors"; "body" for the body as a whole
    message: str  # what is wrong there


def text_problem(value: str) -> str | None:
    if "\x00" in value:
        return NUL_MESSAGE
    if _SURROGATE.search(value):
        return SURROGATE_MESSAGE
    return None


def _text_detail(what: str, message: str) -> str:
    if message == NUL_MESSAGE:
        return f"Malformed request: {what} holds a NUL character (\\u0000), which cannot be stored."
    return f"Malformed request: {what} is not valid Unicode text."


def json_problem(value: Any) -> Problem | None:
    """The first thing in decoded JSON that no request may carry, or None.

    Fields are named with dots ("limits.allowed_providers.0.name"). Walks without recursion, so a deep value cannot
    exhaust the stack here either.
    """
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            # Strict JSON has no NaN or Infinity, but a literal such as 1e400 still decodes to infinity.
            what = f"“{where}”" if where else "the body"
            return Problem(
                f"Malformed request: {what} is a number too large to represent.",
                where or "body",
                NUMBER_MESSAGE,
            )
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return Problem(
                    _text_detail(f"“{where}”" if where else "the body", problem), where or "body", problem
                )
        elif isinstance(item, dict | list):
            if depth >= MAX_JSON_DEPTH:
                return Problem(f"Malformed request: {DEPTH_MESSAGE}", "body", DEPTH_MESSAGE)
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                name = printable(str(key))
                path = f"{where}.{name}" if where else name
                if isinstance(key, str):
                    problem = text_problem(key)
                    if problem:
                        return Problem(_text_detail(f"the field name “{path}”", problem), path, problem)
                stack.append((child, path, depth + 1))
    return None


def refuse_problem(value: Any) -> None:
    problem = json_problem(value)
    if problem is not None:
        raise MalformedRequest(problem.detail, errors={problem.where: [problem.message]})


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser (strict: no NaN or Infinity) that also refuses NUL, lone surrogates and deep nesting."""

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # The C decoder stops itself at the interpreter's recursion limit; that is the body's fault, not ours.
            raise MalformedRequest(
                f"Malformed request: {DEPTH_MESSAGE}", errors={"body": [DEPTH_MESSAGE]}
            ) from None
        refuse_problem(data)
        return data
