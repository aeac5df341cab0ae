"""SQL expressions that both databases understand, compiled for each: the Monday of a date's
week and the first day of its month (the periods progress buckets by, docs/training.md)."""

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction

from app.db import LocalDate


class week_start(GenericFunction[Any]):  # noqa: N801 (SQL function names are lower case)
    """The Monday on or before a date."""

    type = LocalDate()
    inherit_cache = True


class month_start(GenericFunction[Any]):  # noqa: N801
    """The first day of a date's month."""

    type = LocalDate()
    inherit_cache = True


# Each function's SQL per dialect, `{}` standing for the date. SQLite: 'weekday 0' moves forward
# to the next Sunday (or stays on one), six days back is Monday. PostgreSQL: date_trunc's weeks
# are ISO weeks, which start on Monday.
TEMPLATES: dict[tuple[type[GenericFunction[Any]], str], str] = {
    (week_start, "sqlite"): "date({}, 'weekday 0', '-6 days')",
    (month_start, "sqlite"): "date({}, 'start of month')",
    (week_start, "postgresql"): "CAST(date_trunc('week', {}) AS DATE)",
    (month_start, "postgresql"): "CAST(date_trunc('month', {}) AS DATE)",
}


def _compile(element: GenericFunction[Any], compiler: SQLCompiler, **kw: Any) -> str:
    template = TEMPLATES[(type(element), compiler.dialect.name)]
    return template.format(compiler.process(element.clauses, **kw))


for function, dialect in TEMPLATES:
    compiles(function, dialect)(_compile)
