from django.contrib import admin

from .models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """The outbox, to see what is waiting or failed. Bodies can hold temporary passwords:
    only superusers reach the admin."""

    list_display = ("created_at", "to", "template", "status", "attempts", "sent_at")
    list_filter = ("status", "template")
    readonly_fields = (
        "to",
        "subject",
        "template",
        "sponsor",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    )
    exclude = ("body",)
