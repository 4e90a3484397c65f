from django.contrib import admin

from .models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Viewing and correcting accounts; passwords are never shown or set here."""

    list_display = ("username", "given_names", "family_name", "level", "status", "sponsor")
    list_filter = ("level", "status")
    search_fields = ("username", "family_name", "email")
    raw_id_fields = ("sponsor",)
    exclude = ("password",)
    readonly_fields = ("last_login", "date_joined", "password_changed_at")
