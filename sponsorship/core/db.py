"""Database building blocks with no domain in them."""

from django.db import models
from django.db.models import Q


def choices_check(
    field: str, choices: type[models.TextChoices], name: str, *, allow_blank: bool = False
) -> models.CheckConstraint:
    """A CHECK constraint for a status-like column: choices alone do not constrain the database."""
    values = list(choices.values)
    if allow_blank and "" not in values:
        values.append("")
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=name)
