"""Requests no view can serve, answered 400 before any view runs, naming the problem.

A NUL character in the address, a query parameter, a header, a cookie or a form field: PostgreSQL cannot
store or even compare text holding one, so any lookup with it would end as a 500. A JSON body nested deeper than any
request needs, or carrying NUL or a lone surrogate anywhere: checked here too, so that no view escapes the check by
choosing its own parsers. API paths get the API's error shape; pages get the 400 page.
"""

import json
import logging
from collections.abc import Callable, Iterable

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

from config.parsers import DEPTH_MESSAGE, MAX_JSON_DEPTH, NUL_MESSAGE, Problem, json_problem, printable

logger = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Headers that WSGI passes without the HTTP_ prefix.
BARE_HEADERS = {"CONTENT_TYPE": "Content-Type", "CONTENT_LENGTH": "Content-Length"}


def _nul_in_pairs(pairs: Iterable[tuple[str, list[str]]], what: str) -> Problem | None:
    for key, values in pairs:
        if "\x00" in key or any("\x00" in value for value in values if isinstance(value, str)):
            name = printable(key)
            return Problem(
                f"Malformed request: the {what} “{name}” holds a NUL character.", name, NUL_MESSAGE
            )
    return None


def _header_name(meta_key: str) -> str:
    return BARE_HEADERS.get(meta_key) or meta_key.removeprefix("HTTP_").replace("_", "-").title()


def _json_body_problem(request: HttpRequest) -> Problem | None:
    try:
        body = request.body
    except RequestDataTooBig as exc:
        return Problem("Malformed request: the body is too large.", "body", str(exc))
    # Only a body with more brackets than the depth allows can be too deep, and only an escape (\u...) can hide a NUL
    # or a lone surrogate (a raw one is malformed JSON, which the view's parser reports): most bodies stop here.
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH and b"\\u" not in body:
        return None
    try:
        data = json.loads(body)
    except RecursionError:
        return Problem(f"Malformed request: {DEPTH_MESSAGE}", "body", DEPTH_MESSAGE)
    except ValueError:
        return None  # malformed JSON: the view's parser answers it
    return json_problem(data)


def request_problem(request: HttpRequest) -> Problem | None:
    """What makes this request one no view can serve, or None."""
    if "\x00" in request.path_info:
        return Problem("Malformed request: the address holds a NUL character.", "path", NUL_MESSAGE)
    problem = _nul_in_pairs(request.GET.lists(), "query parameter")
    if problem:
        return problem
    # Cookie values are unquoted by Django: "\000" in a quoted cookie becomes a NUL the header itself never held.
    problem = _nul_in_pairs(((name, [value]) for name, value in request.COOKIES.items()), "cookie")
    if problem:
        return problem
    for key, value in request.META.items():
        if (key.startswith("HTTP_") or key in BARE_HEADERS) and isinstance(value, str) and "\x00" in value:
            name = _header_name(key)
            return Problem(
                f"Malformed request: the header “{name}” holds a NUL character.", name, NUL_MESSAGE
            )
    content_type = request.content_type or ""
    if content_type in FORM_TYPES:
        if request.method == "POST":
            fields = request.POST
        elif content_type == FORM_TYPES[0]:
            fields = QueryDict(request.body, encoding=request.encoding)
        else:
            return None  # multipart outside POST: Django does not parse it, and no view here accepts it
        return _nul_in_pairs(fields.lists(), "form field")
    if content_type == "application/json" or content_type.endswith("+json"):
        return _json_body_problem(request)
    return None


def refusal(request: HttpRequest, problem: Problem) -> HttpResponse:
    detail, where, message = problem
    logger.warning("Refused a malformed request (%s): %s", where, message)
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": detail, "errors": {where: [message]}}, status=400)
    return HttpResponseBadRequest(render_to_string("400.html", {"detail": detail}))


class MalformedRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            problem = request_problem(request)
        except (SuspiciousOperation, MultiPartParserError) as exc:
            # Too many fields, a body over the size limit, a broken multipart body: Django's own refusals, in our shape.
            problem = Problem(f"Malformed request: {exc}", "request", str(exc))
        if problem is not None:
            return refusal(request, problem)
        return self.get_response(request)
