"""Scheduled jobs of the notifications app."""

from .services import email_deliver_pending


def deliver_pending_email() -> int:
    return email_deliver_pending()
