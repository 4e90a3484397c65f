from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "sponsorship.casework"
    label = "casework"
    verbose_name = "Casework"
