from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "sponsorship.duties"
    label = "duties"
    verbose_name = "Reporting duties and compliance"
