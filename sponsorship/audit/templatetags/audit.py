"""Showing audit events to people."""

from typing import Any

from django import template

register = template.Library()


def describe_payload(payload: dict[str, Any] | None) -> str:
    """`{"second_factor": "email"}` reads as `second factor: email`."""
    if not payload:
        return ""
    parts = []
    for key, value in payload.items():
        if isinstance(value, dict):
            value = describe_payload(value) or "none"
        elif isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        parts.append(f"{key.replace('_', ' ')}: {value}")
    return "; ".join(parts)


register.filter("describe_payload", describe_payload)
