"""The Home Office message board."""

from django.db import models
from django.utils import timezone

from sponsorship.core.db import choices_check

from .sponsors import Route, Sponsor


class Message(models.Model):
    """A Home Office message on the board, for every sponsor or for some routes."""

    title = models.CharField(max_length=200)
    body = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)
    archive_on = models.DateField(
        help_text="From this date the message moves to the archived view."
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    for_all_routes = models.BooleanField(default=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["archived_at", "-published_at"]),
            models.Index(fields=["archive_on"]),
        ]

    def __str__(self) -> str:
        return self.title


class MessageRoute(models.Model):
    """A route a message is addressed to, when it is not for every route."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="routes")
    route = models.CharField(max_length=40, choices=Route.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "route"], name="message_route_unique"),
            choices_check("route", Route, "message_route_route_valid"),
        ]
        indexes = [models.Index(fields=["route", "message"])]

    def __str__(self) -> str:
        return f"{self.message_id} to {self.route}"


class MessageRead(models.Model):
    """A user has read a message."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    sponsor = models.ForeignKey(Sponsor, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="message_read_once"),
        ]
        indexes = [models.Index(fields=["user", "message"])]

    def __str__(self) -> str:
        return f"{self.message_id} read by {self.user_id}"
