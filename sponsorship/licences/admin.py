from django.contrib import admin

from .models import KeyPerson, Message, MessageRoute, Sponsor, SponsorRoute


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
