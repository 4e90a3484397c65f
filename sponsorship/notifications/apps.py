from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "sponsorship.notifications"
    label = "notifications"
    verbose_name = "Notifications"
