"""Querysets of fixed shape compiled once per process (``PrecompiledQuery``), for the pages
every user opens many times a day (the dashboard, the unit's home)."""

import datetime

from django.db import connection


class PrecompiledQuery:
    """A queryset of fixed shape whose SQL the ORM compiles once per process and that then
    runs with new values: ``query(plan=3)`` is ``list(build(plan=3))`` for a ``build`` that
    returns a ``values_list()``.

    Building and compiling a queryset costs 1–5 ms of Python each on the benchmark's 2-core
    machine (joins, the two subqueries of ``RemediationAction.objects.current()``, filtered
    counts): more than PostgreSQL takes to answer, and most of a page's time. ``build`` is
    called once with stand-in values, which must come back among the compiled parameters,
    each where its value goes; a queryset that used one otherwise (folded into the SQL, or
    not at all) fails there rather than running with the wrong values. Values are keys and
    dates, never None (the ORM writes ``IS NULL`` for it). A value may be a non-empty list
    of keys (``unit__in=units``): the SQL is then compiled once per number of keys, with the
    (integer) stand-in, the stand-in minus one, and so on. The rows go through the fields'
    converters as a queryset's do. One database, the default one.
    """

    def __init__(self, build, stand_ins):
        self.build = build
        self.stand_ins = stand_ins
        self.compiled = {}  # by the lengths of the list values

    @staticmethod
    def _adapt(value):
        """A value as the ORM passes it to the driver (dates are text on SQLite)."""
        if isinstance(value, datetime.date):
            return connection.ops.adapt_datefield_value(value)
        return value

    def _compile(self, lengths):
        """The compiler (it converts the rows), the SQL, and for each parameter where its
        value comes from: (name, index in the list or None, None), or (None, None, the
        constant)."""
        stand_ins = {
            name: [value - n for n in range(lengths[name])] if name in lengths else value
            for name, value in self.stand_ins.items()
        }
        places = {}
        for name, value in stand_ins.items():
            for index, item in enumerate(value) if name in lengths else [(None, value)]:
                places[self._adapt(item)] = (name, index, None)
        compiler = self.build(**stand_ins).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = [places.get(param, (None, None, param)) for param in params]
        unused = set(places.values()) - set(slots)
        if unused:
            raise ValueError(f"{self.build.__name__}: {sorted(unused)} not passed as parameters")
        return compiler, sql, slots

    def _compiled(self, values):
        lengths = {name: len(value) for name, value in values.items() if isinstance(value, list)}
        if not all(lengths.values()):
            raise ValueError(f"{self.build.__name__}: an empty list")
        key = tuple(sorted(lengths.items()))
        if key not in self.compiled:
            self.compiled[key] = self._compile(lengths)
        return self.compiled[key]

    def sql_with_params(self, **values):
        _, sql, slots = self._compiled(values)
        return sql, [
            self._adapt(values[name] if index is None else values[name][index]) if name else param
            for name, index, param in slots
        ]

    def __call__(self, **values):
        compiler = self._compiled(values)[0]
        with connection.cursor() as cursor:
            cursor.execute(*self.sql_with_params(**values))
            return list(compiler.results_iter([cursor.fetchall()], tuple_expected=True))


def instance(model, columns, row):
    """The ``model`` instance of a row of ``PrecompiledQuery`` holding ``columns`` (field
    names), the others deferred, as ``only()`` makes it: for the model's properties."""
    values = dict(zip(columns, row, strict=True))
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


def precompiled(**stand_ins):
    """Decorator: the queryset-building function as a ``PrecompiledQuery``."""
    return lambda build: PrecompiledQuery(build, stand_ins)
