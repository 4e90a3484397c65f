from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "sponsorship.licences"
    label = "licences"
    verbose_name = "Licences"
