"""The risk-boundary API through the test client: contract, roles, 409s and the what-if impact."""

from datetime import UTC, datetime

import pytest

from riskboundaries.models import RiskBoundary
from tests.answer_sets import CHATBOT
from tests.riskboundaries.conftest import PERMISSIVE, STRICT, approve

pytestmark = pytest.mark.django_db

LIST = "/api/v1/risk-boundaries/"


def url(version: int, tail: str = "") -> str:
    return f"/api/v1/risk-boundaries/{version}/{tail}"


def test_the_cio_drafts_and_edits_a_boundary(api_as, cio):
    client = api_as(cio)
    response = client.post(LIST, {"change_note": "Tighter", "limits": STRICT}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"] == 1 and body["state"] == "draft" and body["limits"]["max_autonomy"] == 1
    patched = client.patch(url(1), {"limits": {**STRICT, "max_autonomy": 2}}, format="json").json()
    assert patched["limits"]["max_autonomy"] == 2 and patched["content_hash"] != body["content_hash"]


def test_bad_limits_are_400_naming_the_field_and_nothing_changes(api_as, cio):
    client = api_as(cio)
    client.post(LIST, {"limits": STRICT}, format="json")
    response = client.patch(url(1), {"limits": {**STRICT, "max_eu_tier": "prohibited"}}, format="json")
    assert response.status_code == 400 and "limits.max_eu_tier" in response.json()["errors"]
    assert RiskBoundary.objects.get().content["max_eu_tier"] == "limited"
    assert client.post(LIST, {"limits": STRICT, "extra": 1}, format="json").json()["errors"] == {
        "extra": ["Unknown field."]
    }


def test_signing_by_both_activates_and_active_is_readable_by_everyone(
    api_as, cio, ciso, requester, secretary
):
    draft = api_as(cio).post(LIST, {"limits": PERMISSIVE}, format="json").json()
    sign = {"role": "cio", "content_hash": draft["content_hash"]}
    assert api_as(cio).post(url(1, "sign/"), sign, format="json").json()["state"] == "awaiting_signatures"
    body = api_as(ciso).post(url(1, "sign/"), {**sign, "role": "ciso"}, format="json").json()
    assert body["state"] == "active" and [s["role"] for s in body["signatures"]] == ["cio", "ciso"]
    for person in (requester, secretary):
        active = api_as(person).get(f"{LIST}active/")
        assert active.status_code == 200 and active.json()["version"] == 1


def test_no_active_boundary_is_a_404(api_as, requester):
    assert api_as(requester).get(f"{LIST}active/").status_code == 404


def test_signing_requires_role_and_hash_and_refuses_stale_content(api_as, cio):
    api_as(cio).post(LIST, {"limits": PERMISSIVE}, format="json")
    missing = api_as(cio).post(url(1, "sign/"), {}, format="json")
    assert missing.status_code == 400 and set(missing.json()["errors"]) == {"role", "content_hash"}
    stale = api_as(cio).post(url(1, "sign/"), {"role": "cio", "content_hash": "f" * 64}, format="json")
    assert stale.status_code == 409


def test_transitions_not_allowed_now_are_409(api_as, cio, ciso, active_boundary):
    version = active_boundary.version
    assert api_as(cio).patch(url(version), {"limits": STRICT}, format="json").status_code == 409
    sign = {"role": "cio", "content_hash": active_boundary.content_hash}
    assert api_as(cio).post(url(version, "sign/"), sign, format="json").status_code == 409


def test_people_outside_the_two_roles_cannot_draft_edit_sign_or_see_drafts(
    api_as, cio, requester, secretary, admin_user
):
    api_as(cio).post(LIST, {"limits": PERMISSIVE}, format="json")
    for person in (requester, secretary, admin_user):
        client = api_as(person)
        assert client.post(LIST, {"limits": PERMISSIVE}, format="json").status_code == 403
        assert client.get(url(1)).status_code == 404  # a draft is not theirs to see
        assert client.patch(url(1), {"limits": STRICT}, format="json").status_code == 404
        assert client.get(url(1, "impact/")).status_code == 404
        assert client.get(LIST).json()["results"] == []


def test_impact_lists_use_cases_that_would_breach_a_draft(api_as, cio, active_boundary, make_use_case):
    approved = approve(make_use_case(title="Agent", answers={**CHATBOT, "autonomy": 3}, submit=True))
    draft = api_as(cio).post(LIST, {"limits": {**PERMISSIVE, "max_autonomy": 1}}, format="json").json()
    body = api_as(cio).get(url(draft["id"], "impact/")).json()
    assert [row["ref"] for row in body["breaching"]] == [approved.reference]
    assert body["breaching"][0]["breaches"][0]["clause"] == "max_autonomy"


def test_the_list_query_count_is_flat(api_as, cio, django_assert_max_num_queries):
    client = api_as(cio)
    for note in range(6):
        client.post(LIST, {"limits": {**PERMISSIVE, "max_inherent_score": 10 + note}}, format="json")
    with django_assert_max_num_queries(4):
        body = client.get(LIST).json()
    assert [b["version"] for b in body["results"]] == [6, 5, 4, 3, 2, 1]


def test_a_partial_patch_changes_only_the_limits_given(api_as, cio):
    client = api_as(cio)
    client.post(LIST, {"limits": {**STRICT, "forbidden_domains": ["elections"]}}, format="json")
    body = client.patch(url(1), {"limits": {"max_autonomy": 0}}, format="json").json()
    assert body["limits"]["max_autonomy"] == 0
    assert body["limits"]["forbidden_domains"] == ["elections"] and body["limits"]["max_eu_tier"] == "limited"


@pytest.fixture
def step_up(settings, fresh_rate_limits):
    settings.BOUNDARY_SIGNING_REQUIRES_REAUTH = True


def _draft(client) -> dict:
    return client.post(LIST, {"change_note": "Tighter", "limits": STRICT}, format="json").json()


def test_with_step_up_on_an_api_signature_needs_the_password(api_as, cio, password, step_up):
    client = api_as(cio)
    sign = {"role": "cio", "content_hash": _draft(client)["content_hash"]}

    missing = client.post(url(1, "sign/"), sign, format="json")
    wrong = client.post(url(1, "sign/"), {**sign, "password": "not-it"}, format="json")

    assert missing.status_code == 400 and list(missing.json()["errors"]) == ["password"]
    assert wrong.status_code == 400 and wrong.json()["errors"]["password"] == [
        "That password is not correct."
    ]
    assert not RiskBoundary.objects.get().signatures.exists()
    signed = client.post(url(1, "sign/"), {**sign, "password": password}, format="json")
    assert signed.status_code == 200 and [s["role"] for s in signed.json()["signatures"]] == ["cio"]


def test_with_mfa_on_the_api_signature_also_needs_a_current_code(api_as, cio, password, step_up):
    import time_machine
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    # The clock stands still, so the code computed here is the one the server expects.
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, 5, tzinfo=UTC), tick=False):
        secret = generate_totp_secret()
        TOTP.activate(cio, secret)
        code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
        wrong_code = "000000" if code != "000000" else "111111"
        client = api_as(cio)
        sign = {"role": "cio", "content_hash": _draft(client)["content_hash"], "password": password}

        missing = client.post(url(1, "sign/"), sign, format="json")
        wrong = client.post(url(1, "sign/"), {**sign, "code": wrong_code}, format="json")
        # A wrong password with the right code gets the same answer, and does not use the code up.
        guessed = client.post(url(1, "sign/"), {**sign, "password": "guess", "code": code}, format="json")

        assert missing.status_code == 400 and list(missing.json()["errors"]) == ["code"]
        same = {
            "password": ["The password or code is not correct."],
            "code": ["The password or code is not correct."],
        }
        assert wrong.status_code == 400 and wrong.json()["errors"] == same
        assert guessed.status_code == 400 and guessed.json()["errors"] == same
        assert client.post(url(1, "sign/"), {**sign, "code": code}, format="json").status_code == 200
        assert RiskBoundary.objects.get().signatures.get().role == "cio"


def test_step_up_attempts_are_rate_limited_per_user_and_audited(api_as, cio, password, step_up):
    from audit.models import AuditEvent

    client = api_as(cio)
    sign = {"role": "cio", "content_hash": _draft(client)["content_hash"], "password": "guess"}

    statuses = [client.post(url(1, "sign/"), sign, format="json").status_code for _ in range(6)]

    assert statuses == [400] * 5 + [429]
    # Even the right password waits for the window to pass.
    assert client.post(url(1, "sign/"), {**sign, "password": password}, format="json").status_code == 429
    assert not RiskBoundary.objects.get().signatures.exists()
    failures = AuditEvent.objects.filter(action="auth.step_up_failed").order_by("sequence")
    reasons = list(failures.values_list("payload__reason", flat=True))
    assert reasons == ["not_confirmed"] * 5 + ["rate_limited"] * 2


def test_an_account_with_nothing_to_confirm_with_signs_in_the_browser(api_as, cio, step_up):
    cio.set_unusable_password()
    cio.save()
    client = api_as(cio)
    sign = {"role": "cio", "content_hash": _draft(client)["content_hash"]}

    response = client.post(url(1, "sign/"), sign, format="json")

    assert response.status_code == 403 and "sign in the browser" in response.json()["detail"]
