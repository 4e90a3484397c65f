"""Database building blocks with no domain in them."""

from django.db import models
from django.db.models import Q


def choices_check(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    """A CHECK constraint for a status-like column: choices alone do not constrain the database."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)
