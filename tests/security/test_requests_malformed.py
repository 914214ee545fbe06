"""No request reaches a 500: NUL characters anywhere in a request, text that is not valid Unicode and JSON nested too
deeply are answered 400, naming the problem, before anything is looked up or stored.

On PostgreSQL a NUL in any text the database sees (a lookup, a filter, a stored value) raised, and a deeply nested
JSON body exhausted the decoder's stack: each of these was a 500.
"""

import json

import pytest
from django.test import Client

from intake.models import UseCase
from riskboundaries.limits import LimitsInvalid, clean_limits
from riskboundaries.models import RiskBoundary
from tests.riskboundaries.conftest import PERMISSIVE

pytestmark = pytest.mark.django_db

NUL = "\x00"


def api_error(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"}
    return body


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(client: Client, path: str, body: str):
    return client.post(path, data=body, content_type="application/json")


# ------------------------------------------------------------------------------------------------- the address


def test_a_nul_in_a_page_address_is_the_400_page(requester, make_use_case):
    use_case = make_use_case()
    response = signed_in(requester).get(f"/requests/{use_case.reference}%00/")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode() and "NUL character" in response.content.decode()


def test_a_nul_in_an_api_address_is_400_naming_the_path(requester):
    body = api_error(signed_in(requester).get("/api/v1/use-cases/%00/"))
    assert "address" in body["detail"] and list(body["errors"]) == ["path"]


def test_a_nul_in_an_address_is_refused_before_sign_in(db):
    response = Client().get("/api/v1/risk-boundaries/%00/")
    assert api_error(response)["errors"] == {
        "path": [json.loads('"Remove the NUL character (\\\\u0000): it cannot be stored."')]
    }


@pytest.mark.parametrize("path", ["/requests/GAI-2026-0001%00/", "/api/v1/use-cases/%00/"])
def test_a_refusal_carries_the_same_security_headers_as_any_page(db, path):
    response = Client().get(path)
    assert response.status_code == 400
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


# ------------------------------------------------------------------------------------------------- parameters


def test_a_nul_in_an_api_query_parameter_is_400_naming_it(cio):
    body = api_error(signed_in(cio).get("/api/v1/audit-events/?action=%00"))
    assert list(body["errors"]) == ["action"] and "action" in body["detail"]


def test_a_nul_in_a_cursor_is_400(requester):
    assert list(api_error(signed_in(requester).get("/api/v1/use-cases/?cursor=ab%00"))["errors"]) == [
        "cursor"
    ]


def test_a_nul_in_a_parameter_name_is_named_visibly(requester):
    body = api_error(signed_in(requester).get("/api/v1/review-queue/?wait%00ing_on=me"))
    assert list(body["errors"]) == ["wait\\u0000ing_on"]


@pytest.mark.parametrize("path", ["/audit/?action=%00", "/requests/?before=%00", "/decisions/?filter=%00"])
def test_a_nul_in_a_page_query_parameter_is_the_400_page(cio, path):
    response = signed_in(cio).get(path)
    assert response.status_code == 400 and "NUL character" in response.content.decode()


# ------------------------------------------------------------------------------------------------- headers


def test_a_nul_in_the_token_header_is_400_naming_the_header(db):
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION="Token abc\x00def")
    assert list(api_error(response)["errors"]) == ["Authorization"]


def test_a_nul_in_a_cookie_is_400_naming_it(requester):
    # Sent quoted, as "abcdefgh\000ijkl": Django unquotes the octal escape into a NUL the session store looked up.
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert list(api_error(client.get("/api/v1/me/"))["errors"]) == ["sessionid"]
    response = client.get("/requests/")
    assert response.status_code == 400 and "cookie" in response.content.decode()


def test_a_raw_nul_in_a_header_is_400_naming_it(db):
    response = Client().get("/api/v1/me/", HTTP_USER_AGENT="probe\x00")
    assert list(api_error(response)["errors"]) == ["User-Agent"]


# ------------------------------------------------------------------------------------------------- forms


def test_a_nul_in_the_sign_in_form_is_the_400_page(db):
    response = Client().post("/accounts/login/", {"login": f"cio{NUL}", "password": "x"})
    assert response.status_code == 400 and "form field" in response.content.decode()


def test_a_nul_in_the_withdraw_reason_is_400_and_the_request_stays_open(requester, make_use_case):
    use_case = make_use_case(submit=True)
    response = signed_in(requester).post(f"/requests/{use_case.reference}/withdraw/", {"reason": f"no{NUL}"})
    assert response.status_code == 400
    use_case.refresh_from_db()
    assert use_case.status == "submitted"


def test_a_nul_in_a_form_sent_to_the_api_is_400_naming_the_field(requester):
    response = signed_in(requester).post("/api/v1/use-cases/", {"title": f"a{NUL}b"})
    assert list(api_error(response)["errors"]) == ["title"]
    assert not UseCase.objects.exists()


def test_a_nul_in_a_form_encoded_patch_is_400(requester, make_use_case):
    use_case = make_use_case()
    response = signed_in(requester).patch(
        f"/api/v1/use-cases/{use_case.reference}/",
        data="title=a%00b",
        content_type="application/x-www-form-urlencoded",
    )
    assert list(api_error(response)["errors"]) == ["title"]


# ------------------------------------------------------------------------------------------------- JSON


def test_a_nul_in_a_json_string_is_400_naming_the_field(requester):
    response = signed_in(requester).post(
        "/api/v1/use-cases/", {"title": "ok", "provider": f"Open{NUL}AI"}, content_type="application/json"
    )
    body = api_error(response)
    assert list(body["errors"]) == ["provider"] and "NUL" in body["detail"]
    assert not UseCase.objects.exists()


def test_a_nul_in_a_json_key_is_400_naming_it(requester):
    response = post_json(
        signed_in(requester), "/api/v1/use-cases/", '{"title": "ok", "stage\\u0000": "idea"}'
    )
    assert list(api_error(response)["errors"]) == ["stage\\u0000"]


def test_a_nul_in_a_provider_name_is_400_naming_it_and_nothing_is_drafted(cio):
    limits = {**PERMISSIVE, "allowed_providers": [{"name": f"Azure{NUL}", "regions": ["eu"]}]}
    response = signed_in(cio).post(
        "/api/v1/risk-boundaries/", {"change_note": "x", "limits": limits}, content_type="application/json"
    )
    assert list(api_error(response)["errors"]) == ["limits.allowed_providers.0.name"]
    assert not RiskBoundary.objects.exists()


def test_a_nul_in_a_decision_is_400_naming_the_field(cio, make_use_case):
    use_case = make_use_case(submit=True)
    response = signed_in(cio).post(
        f"/api/v1/use-cases/{use_case.reference}/decisions/",
        {"decision": "reject", "rationale": f"No{NUL}", "conditions": [{"text": f"c{NUL}"}]},
        content_type="application/json",
    )
    assert set(api_error(response)["errors"]) <= {"rationale", "conditions.0.text"}


def test_a_nul_in_the_token_request_is_400(db):
    response = Client().post(
        "/api/v1/auth/token/", {"username": f"cio{NUL}", "password": "x"}, content_type="application/json"
    )
    assert list(api_error(response)["errors"]) == ["username"]


def test_a_lone_surrogate_is_400_naming_the_field(requester):
    response = post_json(signed_in(requester), "/api/v1/use-cases/", '{"title": "bad \\ud800 text"}')
    body = api_error(response)
    assert list(body["errors"]) == ["title"] and "Unicode" in body["detail"]
    assert not UseCase.objects.exists()


def test_json_nested_100000_deep_sent_anonymously_to_the_token_endpoint_is_400(db):
    response = post_json(Client(), "/api/v1/auth/token/", "[" * 100_000)
    body = api_error(response)
    assert "nested" in body["detail"] and list(body["errors"]) == ["body"]


@pytest.mark.parametrize("body", ["[" * 100_000, '{"a":' * 5_000 + "1" + "}" * 5_000, "[" * 40 + "]" * 40])
def test_json_nested_too_deeply_is_400_anywhere(requester, body):
    response = post_json(signed_in(requester), "/api/v1/use-cases/", body)
    assert "nested" in api_error(response)["detail"]


def test_json_nested_as_deep_as_requests_need_is_accepted(cio):
    limits = {**PERMISSIVE, "allowed_providers": [{"name": "Azure OpenAI", "regions": ["eu"]}]}
    limits["required_controls"] = {"high": ["C-03"]}
    response = signed_in(cio).post(
        "/api/v1/risk-boundaries/",
        {"change_note": "deep enough", "limits": limits},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()


def test_escaped_text_that_is_fine_is_accepted(requester):
    response = post_json(
        signed_in(requester), "/api/v1/use-cases/", '{"title": "Caf\\u00e9 \\\\u0000 assistant"}'
    )
    assert response.status_code == 201, response.json()
    assert response.json()["title"] == "Café \\u0000 assistant"


def test_a_number_that_decodes_to_infinity_is_400_naming_the_field(cio):
    body = '{"change_note": "x", "limits": {"max_autonomy": 1e400}}'
    response = post_json(signed_in(cio), "/api/v1/risk-boundaries/", body)
    assert list(api_error(response)["errors"]) == ["limits.max_autonomy"]
    assert not RiskBoundary.objects.exists()


# ------------------------------------------------------------------------------------------------- cursors


@pytest.mark.parametrize("path", ["/api/v1/use-cases/", "/api/v1/board-packs/", "/api/v1/audit-events/"])
def test_a_rewritten_cursor_position_is_404_like_any_invalid_cursor(cio, path):
    # "cD1hYmM=" is base64 for "p=abc": a position that is not a value of the integer ordering key.
    response = signed_in(cio).get(f"{path}?cursor=cD1hYmM=")
    assert api_error(response, 404) == {"detail": "Invalid cursor", "errors": {}}


def test_a_limit_that_is_infinite_is_refused_naming_it_even_without_the_parser():
    with pytest.raises(LimitsInvalid) as excinfo:
        clean_limits({"max_autonomy": float("inf")})
    assert list(excinfo.value.errors) == ["max_autonomy"]


# ------------------------------------------------------------------------------------------------- board packs


@pytest.mark.parametrize("client_of", ["api", "page"])
def test_a_signed_in_person_asks_for_a_board_pack_over_http(cio, client_of):
    client = signed_in(cio)
    if client_of == "api":
        response = client.post(
            "/api/v1/board-packs/", {"quarter": "2026-Q1"}, content_type="application/json"
        )
        assert response.status_code == 202, response.content[:300]
    else:
        response = client.post("/board-packs/", {"quarter": "2026-Q1"})
        assert response.status_code in (200, 302), response.content[:300]


def test_a_json_body_over_the_upload_limit_is_400(requester, settings):
    # DRF reads a JSON body from the stream, past DATA_UPLOAD_MAX_MEMORY_SIZE; the middleware holds it to the limit.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"title": "ok", "summary": "' + "x" * 2000 + '"}'
    response = post_json(signed_in(requester), "/api/v1/use-cases/", body)
    assert list(api_error(response)["errors"]) == ["body"]
    assert not UseCase.objects.exists()


# ------------------------------------------------------------------------------------------------- page cursors


@pytest.mark.parametrize("value", ["%C2%B2", "%D9%A3", "9" * 25, "9" * 5000])
@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("cio", "/audit/?before={}"),
        ("cio", "/decisions/?before={}"),
        ("requester", "/requests/?before={}"),
        ("cio", "/risk-boundaries/compare/?from={}&to=1"),
    ],
)
def test_a_cursor_that_is_no_plain_number_is_ignored_or_refused_never_a_500(request, who, path, value):
    response = signed_in(request.getfixturevalue(who)).get(path.format(value))
    assert response.status_code in (200, 400)
