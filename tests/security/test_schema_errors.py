"""The OpenAPI schema documents the error answers each operation gives, in the one error shape; and answers no view
gives (an address that matches nothing) keep that shape under /api/."""

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

ERROR_REF = {"$ref": "#/components/schemas/Error"}


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def responses(schema: dict, method: str, path: str) -> dict:
    return schema["paths"][path][method.lower()]["responses"]


def test_the_error_component_is_the_api_error_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail", "errors"]
    assert error["properties"]["errors"]["additionalProperties"] == {
        "type": "array",
        "items": {"type": "string"},
    }


def test_every_error_answer_documented_has_the_error_shape(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                if code.startswith("4"):
                    assert response["content"]["application/json"]["schema"] == ERROR_REF, (
                        method,
                        path,
                        code,
                    )


def test_every_operation_documents_a_malformed_request(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "400" in operation["responses"], (method, path)


def test_operations_with_a_body_document_an_unsupported_media_type(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert ("415" in operation["responses"]) == ("requestBody" in operation), (method, path)


def test_a_body_in_a_media_type_no_parser_reads_is_415_in_the_error_shape(api_as, cio):
    response = api_as(cio).generic(
        "POST", "/api/v1/board-packs/", b"quarter=2026-Q1", content_type="text/plain; charset=utf-8"
    )
    assert response.status_code == 415 and set(response.json()) == {"detail", "errors"}


def test_signed_in_operations_document_403_and_anonymous_ones_do_not(schema):
    assert "403" in responses(schema, "GET", "/api/v1/me/")
    assert "403" in responses(schema, "GET", "/api/v1/audit-events/")
    assert "403" not in responses(schema, "POST", "/api/v1/auth/token/")


def test_objects_named_in_the_path_and_cursors_document_404(schema):
    assert "404" in responses(schema, "GET", "/api/v1/use-cases/{ref}/")
    assert "404" in responses(schema, "GET", "/api/v1/board-packs/{id}/download/")
    assert "404" in responses(schema, "GET", "/api/v1/use-cases/")  # an invalid cursor
    assert "404" in responses(schema, "GET", "/api/v1/risk-boundaries/active/")  # none active yet
    assert "404" not in responses(schema, "GET", "/api/v1/me/")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PATCH", "/api/v1/use-cases/{ref}/"),
        ("POST", "/api/v1/use-cases/{ref}/submit/"),
        ("POST", "/api/v1/use-cases/{ref}/withdraw/"),
        ("POST", "/api/v1/use-cases/{ref}/decisions/"),
        ("PATCH", "/api/v1/risk-boundaries/{version}/"),
        ("POST", "/api/v1/risk-boundaries/{version}/sign/"),
    ],
)
def test_transitions_document_409(schema, method, path):
    assert "409" in responses(schema, method, path)


def test_reads_and_creations_do_not_document_409(schema):
    assert "409" not in responses(schema, "GET", "/api/v1/use-cases/{ref}/")
    assert "409" not in responses(schema, "POST", "/api/v1/use-cases/")


def test_token_authenticated_operations_document_401_for_a_refused_token(schema):
    assert "401" in responses(schema, "GET", "/api/v1/use-cases/")
    assert "401" not in responses(schema, "POST", "/api/v1/auth/token/")


def test_throttled_and_rate_limited_operations_document_429_with_retry_after(schema):
    limited = [
        ("POST", "/api/v1/auth/token/"),
        ("POST", "/api/v1/risk-boundaries/{version}/sign/"),
        ("POST", "/api/v1/board-packs/"),
    ]
    for method, path in limited:
        too_many = responses(schema, method, path)["429"]
        assert "Retry-After" in too_many["headers"]
    assert "429" not in responses(schema, "GET", "/api/v1/use-cases/")


def test_the_schema_endpoint_serves_the_documented_errors(db):
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "Error" in response.json()["components"]["schemas"]


# ------------------------------------------------------------------------------------------------- no view answered


@pytest.mark.parametrize("path", ["/api/v1/board-packs/not-a-number/", "/api/v1/nothing-here/", "/api/v2/"])
def test_an_api_address_that_matches_nothing_is_a_json_404(requester, path):
    client = Client()
    client.force_login(requester)
    response = client.get(path)
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_a_page_address_that_matches_nothing_is_still_the_404_page(requester):
    client = Client()
    client.force_login(requester)
    response = client.get("/nothing-here/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_a_refused_host_under_the_api_is_a_json_400(db, settings):
    settings.ALLOWED_HOSTS = ["governance.example.com"]
    response = Client().get("/api/v1/me/", HTTP_HOST="attacker.example.net")
    assert response.status_code == 400 and response.json() == {"detail": "Bad request.", "errors": {}}
