"""Pages of a newest-first list by the `?before=` cursor: which rows, where the next older page starts, which is first."""

from types import SimpleNamespace

import pytest

from config.pages import page_before


class Rows:
    """Stands in for an ordered queryset, newest first: filtered by ``<key>__lt`` and sliced, nothing else."""

    def __init__(self, keys: list[int], key: str = "id") -> None:
        self.key, self.keys = key, keys

    def filter(self, **lookup: int) -> "Rows":
        ((name, bound),) = lookup.items()
        assert name == f"{self.key}__lt"
        return Rows([k for k in self.keys if k < bound], self.key)

    def __getitem__(self, part: slice) -> list[SimpleNamespace]:
        return [SimpleNamespace(**{self.key: k}) for k in self.keys[part]]


NEWEST_FIRST = list(range(10, 0, -1))  # 10 … 1


def test_the_first_page_is_the_newest_and_points_at_the_next_older_one():
    page = page_before(Rows(NEWEST_FIRST), "", size=4)

    assert [row.id for row in page.items] == [10, 9, 8, 7]
    assert page.older_before == 7 and page.is_first


def test_a_cursor_reads_the_rows_below_it():
    page = page_before(Rows(NEWEST_FIRST), "7", size=4)

    assert [row.id for row in page.items] == [6, 5, 4, 3]
    assert page.older_before == 3 and not page.is_first


@pytest.mark.parametrize("size", [3, 4])
def test_the_oldest_page_points_nowhere(size):
    page = page_before(Rows(NEWEST_FIRST), "4", size=size)

    assert [row.id for row in page.items] == [3, 2, 1]
    assert page.older_before is None


def test_the_cursor_can_be_another_field():
    page = page_before(Rows(NEWEST_FIRST, key="sequence"), "9", size=2, key="sequence")

    assert [row.sequence for row in page.items] == [8, 7]
    assert page.older_before == 7


@pytest.mark.parametrize("before", ["", "abc", "²", "-3", "9" * 19, None])
def test_a_cursor_that_is_not_a_plain_number_means_the_first_page(before):
    page = page_before(Rows(NEWEST_FIRST), before, size=4)

    assert [row.id for row in page.items] == [10, 9, 8, 7] and page.is_first


def test_an_empty_list_is_one_empty_first_page():
    page = page_before(Rows([]), "", size=4)

    assert page.items == [] and page.older_before is None and page.is_first
