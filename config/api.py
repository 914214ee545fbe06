"""API conventions shared by every app: the error shape, domain-error mapping and cursor pagination."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import DomainError, http_headers, http_status


class CursorPagination(pagination.CursorPagination):
    """Cursor pagination over an indexed key: no COUNT(*) over permission-filtered tables."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "-id"

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, TypeError, DjangoValidationError) as exc:
            # A cursor is base64 a client can rewrite: a position that is not a value of the ordering key (p=abc
            # for an integer key) fails while the filter is built. It is a cursor that is not ours: 404, as DRF
            # answers any other invalid cursor.
            raise exceptions.NotFound(self.invalid_cursor_message) from exc


def _errors_from_validation(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Turn every error into {"detail": ..., "errors": {field: [...]}} with the right status code."""
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response({"detail": "Invalid input.", "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        return Response(
            {"detail": str(exc), "errors": exc.errors or {}},
            status=http_status(exc),
            headers=http_headers(exc),
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "Invalid input.", "errors": _errors_from_validation(exc.detail)}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        # A refusal that knows where the problem is (config.parsers.MalformedRequest) names it like any other.
        response.data = {"detail": str(detail), "errors": getattr(exc, "errors", None) or {}}
    return response
