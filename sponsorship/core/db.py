"""Database building blocks with no domain in them."""

from typing import Any

from django.db import connections, models
from django.db.models import Q


def choices_check(
    field: str, choices: type[models.TextChoices], name: str, *, allow_blank: bool = False
) -> models.CheckConstraint:
    """A CHECK constraint for a status-like column: choices alone do not constrain the database."""
    values = list(choices.values)
    if allow_blank and "" not in values:
        values.append("")
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=name)


def insert_from_select(
    model: type[models.Model], values: dict[str, Any], rows: models.QuerySet[Any]
) -> int:
    """INSERT INTO model's table one row per row of `rows`, each field of `values` taking its
    expression (F, Value, Case...), in one statement, skipping rows that would break a unique
    constraint. The rows never pass through Python: this is how sweeps over millions of rows
    stay set-based. Returns how many rows were inserted."""
    aliases = {f"insert_col_{index}": name for index, name in enumerate(values)}
    select = (
        rows.order_by()
        .annotate(**{alias: values[name] for alias, name in aliases.items()})
        .values(*aliases)
    )
    compiler = select.query.get_compiler(using=select.db)
    select_sql, params = compiler.as_sql()
    # Name the columns in the order the compiler selects the expressions.
    selected = [aliases[alias] for _, _, alias in compiler.select]
    quote = connections[select.db].ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name in selected)  # type: ignore[union-attr,arg-type]
    table = quote(model._meta.db_table)
    with connections[select.db].cursor() as cursor:
        # Parameters stay parameters: nothing a user typed is pasted into the SQL.
        cursor.execute(
            f"INSERT INTO {table} ({names}) {select_sql} ON CONFLICT DO NOTHING",
            params,
        )
        return max(cursor.rowcount, 0)
