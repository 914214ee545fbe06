"""The home page's hook: apps above accounts offer sections; accounts' own shows grants awaiting confirmation."""

import pytest
from django.urls import reverse

from accounts import home
from accounts.services import role_grant_request
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sections_are_placed_in_their_order_and_empty_ones_are_left_out(monkeypatch, rf):
    monkeypatch.setattr(home, "_sections", [])
    home.register_home_section(lambda request: "<p>second</p>", order=20)
    home.register_home_section(lambda request: "<p>first</p>", order=10)
    home.register_home_section(lambda request: None, order=5)
    home.register_home_section(lambda request: "<p>beside</p>", order=1, place=home.ASIDE)
    assert home.home_sections(rf.get("/")) == {
        "main": ["<p>first</p>", "<p>second</p>"],
        "aside": ["<p>beside</p>"],
    }


def test_a_section_registered_twice_is_shown_once(monkeypatch, rf):
    monkeypatch.setattr(home, "_sections", [])

    def section(request):
        return "<p>once</p>"

    home.register_home_section(section, order=1)
    home.register_home_section(section, order=1)
    assert home.home_sections(rf.get("/"))["main"] == ["<p>once</p>"]


def test_a_grant_awaiting_confirmation_is_on_the_cio_home_with_a_link(client, cio, ciso, admin_user):
    grantee = UserFactory(username="deputy", display_name="Dana Deputy")
    role_grant_request(actor=admin_user, user=grantee, role="ciso", note="Covering leave")
    client.force_login(cio)
    html = client.get("/").content.decode()
    start = html.index('aria-labelledby="home-grants-heading"')
    grants = html[start : html.index("</section>", start)]
    assert "CISO for Dana Deputy" in grants and reverse("people:role-requests") in grants
    # The grantee is never asked to confirm their own role.
    client.force_login(grantee)
    assert 'id="home-grants-heading"' not in client.get("/").content.decode()
