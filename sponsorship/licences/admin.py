from django.contrib import admin
from django.http import HttpRequest

from .models import (
    ActionPlan,
    Allocation,
    KeyPerson,
    LicenceRequest,
    Message,
    MessageRoute,
    Sponsor,
    SponsorRoute,
)


class SponsorRouteInline(admin.TabularInline):
    model = SponsorRoute
    extra = 0


class KeyPersonInline(admin.StackedInline):
    model = KeyPerson
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Sponsor)
class SponsorAdmin(admin.ModelAdmin):
    list_display = ("name", "licence_number", "status", "town")
    list_filter = ("status", "nation")
    search_fields = ("name", "licence_number")
    inlines = [SponsorRouteInline, KeyPersonInline]


class MessageRouteInline(admin.TabularInline):
    model = MessageRoute
    extra = 0


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("title", "published_at", "archive_on", "archived_at", "for_all_routes")
    inlines = [MessageRouteInline]


# The technical admin may look; every change goes through the service and its audit trail.
class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(LicenceRequest)
class LicenceRequestAdmin(ReadOnlyAdmin):
    list_display = ("pk", "sponsor", "kind", "status", "submitted_at", "decided_at")
    list_filter = ("kind", "status")
    search_fields = ("sponsor__name", "sponsor__licence_number")
    list_select_related = ("sponsor",)


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ("sponsor", "route", "year_start", "year_end", "limit", "used")
    list_filter = ("route",)
    search_fields = ("sponsor__name", "sponsor__licence_number")
    list_select_related = ("sponsor",)


@admin.register(ActionPlan)
class ActionPlanAdmin(ReadOnlyAdmin):
    list_display = ("sponsor", "route", "status", "payment_due")
    list_filter = ("status",)
    list_select_related = ("sponsor",)
