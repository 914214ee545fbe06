"""The OpenAPI schema documents the errors each operation really answers, all in the one shape every API error has
(config.api): `{"detail": ..., "errors": {field: [...]}}`.

What follows from how the API is built is added here for every operation; what only a view knows (a 404 without a
path parameter, a rate limit a service applies) the view declares with `extend_schema(responses=error_responses(...))`.
"""

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every API error: what went wrong, and each field, parameter or header concerned.",
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["detail", "errors"],
}

DESCRIPTIONS = {
    400: "Bad request: a field, parameter or header is not acceptable (each named in `errors`), or the request is "
    "malformed (a NUL character, JSON nested too deeply, a body too large).",
    401: "Not authenticated: the credentials are missing, invalid or expired.",
    403: "Not signed in, or not allowed to do this (role, segregation of duties).",
    404: "Not found, or not visible to you.",
    409: "Not allowed in the current state (a transition the state does not allow, or what you read is no longer "
    "current).",
    415: "Unsupported media type: send the body as JSON (or as a form, where the operation lists one).",
    429: "Too many requests: wait the number of seconds in `Retry-After`.",
}
RETRY_AFTER = {
    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."}
}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """For `extend_schema(responses={..., **error_responses(404)})`: errors a view answers that the schema class
    cannot infer. The body and the description are filled in here."""
    return {code: OpenApiResponse(description=DESCRIPTIONS[code]) for code in codes}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, with the error answers of each operation."""

    def get_operation(self, path, path_regex, path_prefix, method, registry) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if not operation:
            return operation
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(operation):
            responses.setdefault(str(code), {"description": DESCRIPTIONS[code]})
        component = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA
        )
        self.registry.register_on_missing(component)
        for code, response in responses.items():
            if code.startswith("4"):
                response.setdefault("content", {"application/json": {"schema": component.ref}})
                if code == "429":
                    response.setdefault("headers", RETRY_AFTER)
        return operation

    def _error_codes(self, operation: dict[str, Any]) -> list[int]:
        # Any request can be malformed (config.middleware refuses a NUL in any parameter or header).
        codes = [400]
        if self._requires_authentication():
            # 403: not signed in (DRF's answer when the first authenticator names no challenge) or not allowed.
            codes.append(403)
            if self._challenges():
                # 401: credentials sent and refused, by an authenticator that names its scheme (a dead API token).
                codes.append(401)
        has_path_parameters = "{" in self.path
        paginated = any(p.get("name") == "cursor" for p in operation.get("parameters", []))
        if has_path_parameters or paginated:  # an unknown or invisible object; a cursor that is not ours
            codes.append(404)
        if has_path_parameters and self.method in UNSAFE_METHODS:  # a change to an object in some state
            codes.append(409)
        if "requestBody" in operation:  # a body in a media type no parser reads
            codes.append(415)
        if self.view.get_throttles():
            codes.append(429)
        return codes

    def _requires_authentication(self) -> bool:
        return not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions())

    def _challenges(self) -> list[str]:
        return [
            header
            for authenticator in self.view.get_authenticators()
            if (header := authenticator.authenticate_header(self.view.request))
        ]


def signature_input_fields() -> dict[str, serializers.Field]:
    """The body of a co-signature (a risk boundary, a board pack version), for the OpenAPI schema: the role, the
    content hash read, and the confirmation of who is signing where the deployment asks for it."""
    return {
        "role": serializers.ChoiceField(choices=["cio", "ciso"]),
        "content_hash": serializers.CharField(help_text="The content hash of what you read."),
        "password": serializers.CharField(
            required=False,
            help_text="The signer's password, when the deployment requires signers to confirm who they are.",
        ),
        "code": serializers.CharField(
            required=False,
            help_text="A current authenticator-app code, when that confirmation is required and the signer uses one.",
        ),
    }
