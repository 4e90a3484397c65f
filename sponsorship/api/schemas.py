"""Shapes shared by every API endpoint: the error body and pagination."""

from ninja import Schema
from pydantic import ConfigDict


class StrictSchema(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")


class FieldError(Schema):
    field: str
    message: str


class ErrorBody(Schema):
    code: str
    message: str
    fields: list[FieldError] = []


class Error(Schema):
    """Every error the API returns has this shape."""

    error: ErrorBody


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}
