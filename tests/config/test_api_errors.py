"""Every API error has one shape, and domain errors map to the right status codes."""

from django.core.exceptions import ValidationError
from rest_framework import exceptions

from config.api import exception_handler
from config.errors import DomainError, InvalidTransition, NotAllowed
from config.parsers import MalformedRequest


def test_domain_error_is_400_with_the_fields_named():
    response = exception_handler(DomainError("Bad.", errors={"stage": ["Unknown value."]}), {})
    assert response.status_code == 400
    assert response.data == {"detail": "Bad.", "errors": {"stage": ["Unknown value."]}}


def test_not_allowed_is_403_and_invalid_transition_is_409():
    assert exception_handler(NotAllowed("Segregation of duties."), {}).status_code == 403
    conflict = exception_handler(InvalidTransition("Not in this state."), {})
    assert conflict.status_code == 409 and conflict.data["detail"] == "Not in this state."


def test_django_validation_error_names_the_field():
    response = exception_handler(ValidationError({"title": ["This field is required."]}), {})
    assert response.status_code == 400 and response.data["errors"] == {"title": ["This field is required."]}


def test_drf_validation_error_is_reshaped():
    response = exception_handler(exceptions.ValidationError({"quarter": ["Invalid."]}), {})
    assert response.data == {"detail": "Invalid input.", "errors": {"quarter": ["Invalid."]}}


def test_not_found_keeps_the_shape():
    response = exception_handler(exceptions.NotFound(), {})
    assert response.status_code == 404 and response.data == {"detail": "Not found.", "errors": {}}


def test_a_malformed_request_names_where_the_problem_is():
    response = exception_handler(MalformedRequest("Malformed request.", errors={"title": ["NUL."]}), {})
    assert response.status_code == 400
    assert response.data == {"detail": "Malformed request.", "errors": {"title": ["NUL."]}}
