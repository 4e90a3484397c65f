from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sponsorship.core"
    label = "core"
    verbose_name = "Core"
