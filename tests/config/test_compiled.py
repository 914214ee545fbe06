"""Queries compiled once per shape and run with each request's values (config.compiled)."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from config.api import CursorPagination
from config.compiled import CompiledRows, StatementCache, placeholder
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def people():
    return [UserFactory(username=f"person{i}") for i in range(7)]


def by_id_at_least(minimum):
    return User.objects.filter(pk__gte=minimum).values("id", "username")


def test_a_shape_is_compiled_once_and_run_with_each_requests_values(people):
    cache = StatementCache()
    for person in people:
        rows = cache.rows(
            "at least", lambda minimum: by_id_at_least(minimum).order_by("id"), {"minimum": person.pk}
        )
        assert rows == list(by_id_at_least(person.pk).order_by("id"))
    assert cache.compiled == 1


def test_a_value_used_to_decide_what_to_build_is_not_cached_and_still_right(people):
    cache = StatementCache()
    # The value is turned into another one before it reaches the SQL: its placeholder is not a parameter.
    build = lambda minimum: User.objects.filter(pk__gte=minimum + 1).values("id")  # noqa: E731

    for person in people[:3]:
        rows = cache.rows("shifted", build, {"minimum": person.pk})
        assert {r["id"] for r in rows} == set(
            User.objects.filter(pk__gt=person.pk).values_list("id", flat=True)
        )
    assert cache.compiled == 1  # tried once, found not cacheable, remembered as such


def test_converters_apply_as_django_applies_them(people):
    cache = StatementCache()
    rows = cache.rows(
        "joined",
        lambda minimum: User.objects.filter(pk=minimum).values("date_joined"),
        {"minimum": people[0].pk},
    )
    assert rows == [{"date_joined": people[0].date_joined}]
    assert rows[0]["date_joined"].tzinfo is not None


def test_the_least_recently_used_shape_goes_first():
    cache = StatementCache(size=2)
    for key in ("a", "b", "a", "c"):
        cache.rows(key, lambda minimum: by_id_at_least(minimum), {"minimum": 1})
    assert list(cache._statements) == ["a", "c"] and cache.compiled == 3


def test_only_integers_and_datetimes_are_placeholders():
    assert placeholder(0, 5) != 5 and isinstance(placeholder(1, 5), int)
    assert placeholder(2, datetime.now(UTC)).year == 1900
    with pytest.raises(TypeError):
        placeholder(0, "text")
    with pytest.raises(TypeError):
        placeholder(0, True)


def cursor_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["cursor"][0]


def _page(source, query: dict | None = None):
    paginator = CursorPagination()
    paginator.page_size = 3
    request = Request(APIRequestFactory().get("/x/", query or {}))
    page = paginator.paginate_queryset(source, request)
    return [row["id"] for row in page], paginator


def test_compiled_rows_page_forwards_and_back_like_the_queryset(people):
    cache = StatementCache()
    everyone = sorted(User.objects.values_list("id", flat=True), reverse=True)
    source = CompiledRows(cache, "people", lambda: User.objects.values("id", "username"), {})

    first, paginator = _page(source)
    assert first == everyone[:3]
    cursor = cursor_of(paginator.get_next_link())
    second, paginator = _page(source, {"cursor": cursor})
    assert second == everyone[3:6]
    back = cursor_of(paginator.get_previous_link())
    assert _page(source, {"cursor": back})[0] == first
    assert cache.compiled == 3  # the first page, pages after a position, pages before one: three shapes


def test_compiled_rows_refuse_what_they_cannot_do():
    source = CompiledRows(StatementCache(), "people", lambda: User.objects.values("id"), {})
    with pytest.raises(ValueError):
        source.order_by("username")
    with pytest.raises(ValueError):
        source.filter(username__lt="x")
    with pytest.raises(ValueError):
        source.filter(id__lt="not a number")  # a rewritten cursor: the paginator answers 404
