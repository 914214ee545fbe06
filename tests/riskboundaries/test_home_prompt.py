"""The CIO's and CISO's home prompts them to sign a boundary version they can still sign, and only then."""

import pytest
from django.urls import reverse

from riskboundaries import services
from tests.riskboundaries.conftest import PERMISSIVE

pytestmark = pytest.mark.django_db


def prompt(client, person) -> str:
    client.force_login(person)
    html = client.get("/").content.decode()
    if 'id="home-signature-heading"' not in html:
        return ""
    start = html.index('aria-labelledby="home-signature-heading"')
    return html[start : html.index("</section>", start)]


def test_a_draft_signed_by_the_cio_prompts_the_ciso_to_review_and_sign(client, cio, ciso):
    draft = services.boundary_create(actor=cio, limits=PERMISSIVE, change_note="First appetite")
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)
    section = prompt(client, ciso)
    assert "Review and sign" in section and "First appetite" in section
    assert reverse("riskboundaries:sign", args=[draft.version]) in section
    assert "Signed by" in section
    # The CIO has signed: nothing more for them to sign on it.
    assert prompt(client, cio) == ""


def test_no_prompt_without_an_open_version_or_for_other_roles(client, cio, ciso, requester, secretary):
    assert prompt(client, cio) == ""
    draft = services.boundary_create(actor=cio, limits=PERMISSIVE)
    assert "Review and sign" in prompt(client, cio)
    for person in (requester, secretary):
        assert prompt(client, person) == ""
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)
    services.boundary_sign(actor=ciso, boundary=draft, role="ciso", seen_hash=draft.content_hash)
    assert prompt(client, ciso) == "" and prompt(client, cio) == ""
