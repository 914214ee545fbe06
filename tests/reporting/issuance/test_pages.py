"""The board-packs page, the statement and sign pages, the home's prompt and the API, through the test client: which
version is issued, who signed when, and the actions offered or refused with their reason."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from reporting import services
from reporting.models import BoardPack, PackSignature, QuarterStatement
from reporting.workflow import IssuanceState
from tests.reporting.issuance.steps import CURRENT, PREVIOUS, STATEMENT, sign

pytestmark = pytest.mark.django_db


def row_of(html: str, pack: BoardPack) -> str:
    start = html.index(f'id="pack-{pack.pk}"')
    return html[start : html.index("</tr>", start)]


def test_the_list_says_draft_and_offers_the_statement_but_refuses_the_signature_with_its_reason(
    client, run, secretary, cio
):
    pack = run(services.board_pack_request, actor=secretary, quarter=PREVIOUS)
    client.force_login(cio)
    row = row_of(client.get(reverse("reporting:list")).content.decode(), pack)
    assert "Draft — not issued" in row and "Awaiting the CIO's signature" in row
    assert reverse("reporting:statement", kwargs={"quarter": PREVIOUS}) in row
    assert (
        "disabled" in row
        and "The CIO and the CISO have not written the statement for this quarter yet." in row
    )


def test_the_secretary_sees_no_sign_or_statement_action(client, run, secretary):
    pack = run(services.board_pack_request, actor=secretary, quarter=PREVIOUS)
    client.force_login(secretary)
    row = row_of(client.get(reverse("reporting:list")).content.decode(), pack)
    assert "Draft — not issued" in row
    assert "Sign" not in row and "Write the statement" not in row


def test_the_running_quarters_pack_is_marked_interim(client, run, secretary):
    pack = run(services.board_pack_request, actor=secretary, quarter=CURRENT)
    client.force_login(secretary)
    assert "Interim" in row_of(client.get(reverse("reporting:list")).content.decode(), pack)


def test_after_one_signature_the_list_shows_who_signed_when_and_the_signer_cannot_sign_again(
    client, run, draft, cio
):
    sign(run, draft, cio, Role.CIO)
    client.force_login(cio)
    row = row_of(client.get(reverse("reporting:list")).content.decode(), draft)
    signature = PackSignature.objects.get(pack=draft)
    assert f"Signed by {cio} (CIO), {signature.signed_at:%-d %b %Y}" in row
    assert "Awaiting the CISO's signature" in row
    assert "You signed this version as CIO." in row


def test_an_issued_pack_is_labelled_issued_and_offers_both_copies(client, run, draft, cio, ciso, secretary):
    sign(run, draft, cio, Role.CIO)
    sign(run, draft, ciso, Role.CISO)
    client.force_login(secretary)
    row = row_of(client.get(reverse("reporting:list")).content.decode(), draft)
    assert ">Issued<" in row and "Draft — not issued" not in row
    issued = client.get(reverse("reporting:download_issued", kwargs={"pk": draft.pk}))
    assert issued.status_code == 200 and b"".join(issued.streaming_content).startswith(b"%PDF-1.7 issued")
    drafted = client.get(reverse("reporting:download", kwargs={"pk": draft.pk}))
    assert b"".join(drafted.streaming_content).startswith(b"%PDF-1.7 draft")


def test_an_unissued_pack_has_no_issued_copy(client, draft, secretary):
    client.force_login(secretary)
    assert client.get(reverse("reporting:download_issued", kwargs={"pk": draft.pk})).status_code == 404


def test_the_list_costs_the_same_queries_for_many_packs(
    client, run, draft, cio, secretary, django_assert_max_num_queries
):
    client.force_login(cio)
    client.get(reverse("reporting:list"))
    for _ in range(4):
        run(services.board_pack_request, actor=cio, quarter=PREVIOUS)
    sign(run, draft, cio, Role.CIO)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("reporting:list"))
    assert response.content.decode().count('id="pack-') == 7


def test_the_statement_page_is_for_the_cio_and_the_ciso(client, secretary, cio):
    url = reverse("reporting:statement", kwargs={"quarter": PREVIOUS})
    client.force_login(secretary)
    assert client.get(url).status_code == 403
    client.force_login(cio)
    assert "Write the statement" in client.get(url).content.decode()


def test_a_statement_too_long_is_refused_with_a_field_error(client, cio):
    client.force_login(cio)
    response = client.post(reverse("reporting:statement", kwargs={"quarter": PREVIOUS}), {"text": "x" * 2001})
    assert response.status_code == 400
    assert (
        "At most 2,000 characters." in response.content.decode()
        and 'aria-invalid="true"' in response.content.decode()
    )
    assert not QuarterStatement.objects.exists()


def test_a_statement_with_control_characters_is_refused_with_a_field_error(client, cio):
    client.force_login(cio)
    response = client.post(reverse("reporting:statement", kwargs={"quarter": PREVIOUS}), {"text": "ok\x08"})
    assert response.status_code == 400 and "Remove the control characters" in response.content.decode()


def test_saving_the_statement_prepares_a_new_draft(client, run, cio, django_capture_on_commit_callbacks):
    client.force_login(cio)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:statement", kwargs={"quarter": PREVIOUS}), {"text": STATEMENT}
        )
    assert response.status_code == 302
    assert QuarterStatement.objects.get(quarter=PREVIOUS).text == STATEMENT
    assert BoardPack.objects.get(quarter=PREVIOUS).statement_text == STATEMENT


def test_the_sign_page_shows_the_hash_and_signing_issues_the_pack_with_both(
    client, draft, cio, ciso, django_capture_on_commit_callbacks
):
    url = reverse("reporting:sign", kwargs={"pk": draft.pk})
    for person in (cio, ciso):
        client.force_login(person)
        assert draft.content_hash in client.get(url).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"seen_hash": draft.content_hash, "confirm": "on"})
        assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.issuance == IssuanceState.ISSUED


def test_a_stale_hash_on_the_sign_page_is_409(client, draft, cio):
    client.force_login(cio)
    response = client.post(
        reverse("reporting:sign", kwargs={"pk": draft.pk}), {"seen_hash": "0" * 64, "confirm": "on"}
    )
    assert response.status_code == 409 and "changed since you opened it" in response.content.decode()
    assert not PackSignature.objects.exists()


def test_signing_asks_to_reauthenticate_when_the_deployment_requires_it(client, draft, cio, settings):
    settings.BOUNDARY_SIGNING_REQUIRES_REAUTH = True
    client.force_login(cio)
    response = client.post(
        reverse("reporting:sign", kwargs={"pk": draft.pk}), {"seen_hash": draft.content_hash, "confirm": "on"}
    )
    assert response.status_code == 302 and "reauthenticate" in response.url
    assert not PackSignature.objects.exists()


def test_the_home_shows_the_cio_the_pack_awaiting_their_signature(client, run, draft, cio, ciso):
    client.force_login(ciso)
    html = client.get("/").content.decode()
    assert (
        "Board pack awaiting your signature" in html
        and reverse("reporting:sign", kwargs={"pk": draft.pk}) in html
    )
    sign(run, draft, ciso, Role.CISO)
    assert "Board pack awaiting your signature" not in client.get("/").content.decode()
    client.force_login(cio)
    assert "Board pack awaiting your signature" in client.get("/").content.decode()


def test_the_home_has_no_signature_prompt_without_a_statement(client, run, secretary, cio):
    run(services.board_pack_request, actor=secretary, quarter=PREVIOUS)
    client.force_login(cio)
    assert "Board pack awaiting your signature" not in client.get("/").content.decode()


# --- the API ---


def test_the_api_says_draft_or_issued_with_the_signatures(
    api_as, run, draft, cio, ciso, secretary, django_assert_max_num_queries
):
    api = api_as(secretary)
    (listed,) = [p for p in api.get("/api/v1/board-packs/").json()["results"] if p["id"] == draft.pk]
    assert (
        listed["issuance_label"] == "Draft — not issued"
        and listed["issued"] is False
        and listed["interim"] is False
    )
    assert listed["statement"]["text"] == STATEMENT and listed["content_hash"] == draft.content_hash
    sign(run, draft, cio, Role.CIO)
    sign(run, draft, ciso, Role.CISO)
    with django_assert_max_num_queries(3):
        results = api.get("/api/v1/board-packs/").json()["results"]
    (listed,) = [p for p in results if p["id"] == draft.pk]
    assert listed["issued"] is True and listed["issuance_label"] == "Issued"
    assert [(s["role"], s["signer"]) for s in listed["signatures"]] == [
        ("cio", cio.username),
        ("ciso", ciso.username),
    ]
    assert listed["issued_download_url"] == f"/api/v1/board-packs/{draft.pk}/download/issued/"
    assert api.get(listed["issued_download_url"]).status_code == 200


def test_the_api_sign_refuses_a_stale_hash_with_409(api_as, draft, cio):
    response = api_as(cio).post(
        f"/api/v1/board-packs/{draft.pk}/sign/", {"role": "cio", "content_hash": "0" * 64}, format="json"
    )
    assert response.status_code == 409 and "content_hash" in response.json()["errors"]


def test_the_api_sign_is_403_for_the_secretary(api_as, draft, secretary):
    response = api_as(secretary).post(
        f"/api/v1/board-packs/{draft.pk}/sign/",
        {"role": "cio", "content_hash": draft.content_hash},
        format="json",
    )
    assert response.status_code == 403


def test_the_api_sign_records_the_signature(api_as, draft, cio):
    response = api_as(cio).post(
        f"/api/v1/board-packs/{draft.pk}/sign/",
        {"role": "cio", "content_hash": draft.content_hash},
        format="json",
    )
    assert response.status_code == 200 and response.json()["issuance"] == IssuanceState.PART_SIGNED


def test_the_api_sign_asks_for_the_password_when_the_deployment_requires_it(api_as, draft, cio, settings):
    settings.BOUNDARY_SIGNING_REQUIRES_REAUTH = True
    response = api_as(cio).post(
        f"/api/v1/board-packs/{draft.pk}/sign/",
        {"role": "cio", "content_hash": draft.content_hash},
        format="json",
    )
    assert response.status_code == 400 and "password" in response.json()["errors"]


def test_the_api_statement_too_long_is_400_naming_the_field(api_as, cio):
    response = api_as(cio).put(f"/api/v1/board-statements/{PREVIOUS}/", {"text": "x" * 2001}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["text"] == ["At most 2,000 characters."]


def test_the_api_statement_is_written_and_read(api_as, cio, secretary, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(cio).put(
            f"/api/v1/board-statements/{PREVIOUS}/", {"text": STATEMENT}, format="json"
        )
    assert response.status_code == 200 and response.json()["revision"] == 1
    read = api_as(secretary).get(f"/api/v1/board-statements/{PREVIOUS}/").json()
    assert read["text"] == STATEMENT and read["written_by"] == [cio.username]
    assert (
        api_as(secretary)
        .put(f"/api/v1/board-statements/{PREVIOUS}/", {"text": "x"}, format="json")
        .status_code
        == 403
    )


def test_the_secretarys_home_says_whether_the_latest_pack_is_issued(client, run, draft, cio, ciso, secretary):
    client.force_login(secretary)
    assert '<span id="home-latest-issue">Draft — not issued</span>' in client.get("/").content.decode()
    sign(run, draft, cio, Role.CIO)
    sign(run, draft, ciso, Role.CISO)
    assert '<span id="home-latest-issue">Issued</span>' in client.get("/").content.decode()


def test_the_list_keeps_polling_while_the_issued_copy_is_prepared(client, run, draft, cio, secretary):
    sign(run, draft, cio, Role.CIO)
    BoardPack.objects.filter(pk=draft.pk).update(issuance=IssuanceState.ISSUING)
    client.force_login(secretary)
    html = client.get(reverse("reporting:list")).content.decode()
    assert 'hx-trigger="every 2s"' in html and "Issued copy being prepared" in html


def test_the_homes_signature_prompt_costs_the_same_queries_for_more_packs(client, run, draft, cio):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cio)
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for _ in range(3):
        run(services.board_pack_request, actor=cio, quarter=PREVIOUS)
    with CaptureQueriesContext(connection) as four:
        html = client.get("/").content.decode()
    assert html.count(">Sign <span") == 4
    assert len(four) == len(one)


def test_the_list_says_when_an_attempt_at_the_issued_copy_failed_and_will_be_tried_again(
    client, run, draft, secretary
):
    BoardPack.objects.filter(pk=draft.pk).update(
        issuance=IssuanceState.ISSUING, issue_attempts=1, issue_error="OSError: refused"
    )
    client.force_login(secretary)

    row = row_of(client.get("/board-packs/").content.decode(), draft)

    assert "Issued copy being prepared" in row
    assert "Attempt 1 failed; it is tried again in a few minutes." in row
