from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sponsorship.api"
    label = "api"
    verbose_name = "API"
