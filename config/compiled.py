"""Build and compile a query once per shape, run it many times with each request's own values.

A permission-filtered list (the review queue) spends more time building its QuerySet and compiling it to SQL (the
EXISTS over grants, the slot subqueries) than PostgreSQL spends running it. Yet its SQL is the same for every request
of the same *shape* (the person's roles and slots, the filters, the page size); only values change (the person's id,
the cursor's position, the clock). :class:`StatementCache` builds the query once per shape with *placeholders*
standing for those values, remembers where each placeholder landed among the SQL's parameters, and from then on only
puts the request's values in their places and runs the statement.

A placeholder is an ordinary value of its type that no real one will be (an integer just under 2**31, a date in
1900), so the query builds exactly as it would for a real value. Compiling checks that every placeholder landed
among the parameters (none was inlined, dropped or used to decide what to build): a query that does not pass is
never cached, and runs built and compiled as before.

Rows come back as dicts with the ``values()`` names, through the same converters Django applies (JSON decoded).
:class:`CompiledRows` stands in for a QuerySet in DRF's cursor paginator (:class:`CursorSource`).
"""

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

_INT_BASE = 2_147_483_000  # inside a 32-bit integer column's range, far above any real id


class NotCacheable(Exception):
    """A query whose values cannot be put back in place (a placeholder was not a parameter of its SQL)."""


def placeholder(number: int, value: Any) -> Any:
    """The stand-in for ``value`` (the ``number``-th of a statement's values)."""
    if isinstance(value, bool) or not isinstance(value, int | datetime):
        raise TypeError(f"only integers and datetimes can be placeholders, not {type(value).__name__}")
    if isinstance(value, datetime):
        return datetime(1900, 1, 1, tzinfo=UTC) + timedelta(seconds=number + 1)
    return _INT_BASE + number


class _Statement:
    def __init__(self, queryset: QuerySet, placeholders: dict[str, Any]):
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        query = queryset.query
        # As ValuesIterable names a row's columns.
        if query.selected:
            self.names = list(query.selected)
        else:
            self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        if len(self.names) != len(compiler.select):
            raise NotCacheable("not a values() query")
        self.sql, self.params, self.db = sql, list(params), queryset.db
        self.converters = compiler.get_converters([column[0] for column in compiler.select])
        self.slots: list[tuple[int, str]] = []
        for index, param in enumerate(self.params):
            for name, stand_in in placeholders.items():
                if type(param) is type(stand_in) and param == stand_in:
                    self.slots.append((index, name))
        missing = set(placeholders) - {name for _index, name in self.slots}
        if missing:
            raise NotCacheable(f"not parameters of the SQL: {sorted(missing)}")

    def run(self, values: dict[str, Any]) -> list[dict[str, Any]]:
        params = list(self.params)
        for index, name in self.slots:
            params[index] = values[name]
        connection = connections[self.db]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        converters = list(self.converters.items())
        names = self.names
        result = []
        for row in rows:
            if converters:
                row = list(row)
                for index, (functions, expression) in converters:
                    value = row[index]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[index] = value
            result.append(dict(zip(names, row, strict=True)))
        return result


class StatementCache:
    """Compiled ``values()`` queries by shape (a hashable key), the least recently used dropped past ``size``."""

    def __init__(self, size: int = 256):
        self.size = size
        self._statements: OrderedDict[Hashable, _Statement | None] = OrderedDict()
        self._lock = threading.Lock()
        self.compiled = 0  # how many times a statement was built and compiled (the tests count them)

    def rows(
        self, key: Hashable, build: Callable[..., QuerySet], values: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The rows of ``build(**values)``, built and compiled once for ``key`` (``key`` must tell apart every
        query ``build`` can make other than by ``values``)."""
        with self._lock:
            statement = self._statements.get(key, False)
            if statement is not False:
                self._statements.move_to_end(key)
        if statement is False:
            stand_ins = {
                name: placeholder(number, value) for number, (name, value) in enumerate(values.items())
            }
            self.compiled += 1
            try:
                statement = _Statement(build(**stand_ins), stand_ins)
            except (NotCacheable, EmptyResultSet):  # EmptyResultSet: a query that can match nothing (none())
                statement = None
            with self._lock:
                self._statements[key] = statement
                while len(self._statements) > self.size:
                    self._statements.popitem(last=False)
        if statement is None:  # not cacheable: built and run as it is
            return list(build(**values))
        return statement.run(values)

    def clear(self) -> None:
        with self._lock:
            self._statements.clear()


class CursorSource:
    """A stand-in for a QuerySet in DRF's cursor paginator over an integer key (``-id`` or ``id`` order).

    The paginator orders it, may filter it past the cursor's position (``id__lt``/``id__gt``) and slices it; then
    it iterates, and :meth:`fetch` reads the rows."""

    field = "id"

    def __init__(self):
        self.ordering: tuple[str, ...] = (f"-{self.field}",)
        self.bound: tuple[str, int] | None = None
        self.window: tuple[int, int | None] = (0, None)

    def _copy(self, **changes) -> "CursorSource":
        clone = copy.copy(self)
        for name, value in changes.items():
            setattr(clone, name, value)
        return clone

    def order_by(self, *ordering: str) -> "CursorSource":
        if ordering not in ((self.field,), (f"-{self.field}",)):
            raise ValueError(f"ordered only by {self.field}")
        return self._copy(ordering=ordering)

    def filter(self, **conditions) -> "CursorSource":
        ((lookup, position),) = conditions.items()
        if lookup not in (f"{self.field}__lt", f"{self.field}__gt"):
            raise ValueError(f"filtered only by {self.field}__lt or __gt")
        return self._copy(
            bound=(lookup.rsplit("__", 1)[1], int(position))
        )  # ValueError: not a position of ours

    def __getitem__(self, window: slice) -> "CursorSource":
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("only a slice")
        return self._copy(window=(window.start or 0, window.stop))

    def __iter__(self):
        return iter(self.fetch())

    def fetch(self) -> list:
        raise NotImplementedError


class CompiledRows(CursorSource):
    """A cursor source whose rows are read through ``cache`` with the position as one of the values.
    ``build(position=..., **values)`` returns the QuerySet unordered and unsliced; ``key`` is the shape of
    everything else."""

    def __init__(self, cache: StatementCache, key: Hashable, build: Callable[..., QuerySet], values: dict):
        super().__init__()
        self.cache, self.key, self.build, self.values = cache, key, build, values

    def fetch(self) -> list[dict[str, Any]]:
        bound, ordering, (start, stop) = self.bound, self.ordering, self.window
        values = dict(self.values)
        if bound is not None:
            values["position"] = bound[1]

        def build(position=None, **values):
            queryset = self.build(**values)
            if bound is not None:
                queryset = queryset.filter(**{f"{self.field}__{bound[0]}": position})
            return queryset.order_by(*ordering)[start:stop]

        shape = (self.key, ordering, bound and bound[0], start, stop)
        return self.cache.rows(shape, build, values)
