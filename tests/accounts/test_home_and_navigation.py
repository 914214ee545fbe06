"""Each role sees its own home page sections and only the navigation it may use."""

import pytest

from accounts.navigation import visible_nav_items
from tests.navigation import ADMIN_NAV, EXECUTIVE_NAV, REQUESTER_NAV, SECRETARY_NAV

pytestmark = pytest.mark.django_db


def labels(user) -> list[str]:
    return [item["label"] for item in visible_nav_items(user)]


def test_navigation_per_role(requester, cio, ciso, secretary, admin_user):
    assert labels(requester) == list(REQUESTER_NAV)
    assert labels(cio) == list(EXECUTIVE_NAV)
    assert labels(ciso) == list(EXECUTIVE_NAV)
    assert labels(secretary) == list(SECRETARY_NAV)
    assert labels(admin_user) == list(ADMIN_NAV)


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        (
            "requester",
            "Needs you",
            ["Waiting on your decision", "Quarterly board packs", "People, teams and roles"],
        ),
        ("cio", "Waiting on your decision", ["Needs you", "Quarterly board packs"]),
        ("ciso", "Waiting on your decision", ["Needs you", "People, teams and roles"]),
        ("secretary", "Quarterly board packs", ["Waiting on your decision", "Needs you"]),
        ("admin_user", "People, teams and roles", ["Waiting on your decision", "Needs you"]),
    ],
)
def test_home_page_per_role(client, request, who, shown, hidden):
    client.force_login(request.getfixturevalue(who))
    content = client.get("/").content.decode()
    assert shown in content
    for text in hidden:
        assert text not in content


def test_a_user_without_a_role_is_told_to_ask_for_one(client, django_user_model):
    user = django_user_model.objects.create_user(username="nobody", password="x-long-password-1")
    client.force_login(user)
    assert "has no role yet" in client.get("/").content.decode()


def test_pages_carry_a_strict_content_security_policy(client, cio):
    client.force_login(cio)
    for path in ["/", "/audit/", "/accounts/login/"]:
        policy = client.get(path)["Content-Security-Policy"]
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        )
        assert "frame-ancestors 'none'" in policy


def test_pages_have_no_inline_script(client, cio):
    client.force_login(cio)
    for path in ["/", "/audit/"]:
        html = client.get(path).content.decode()
        for chunk in html.split("<script")[1:]:
            assert chunk.split(">")[0].strip().startswith("src="), f"inline script on {path}"


def test_home_page_query_count_is_bounded(client, admin_user, django_assert_max_num_queries):
    client.force_login(admin_user)
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200
