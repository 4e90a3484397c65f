from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "sponsorship.records"
    label = "records"
    verbose_name = "Record keeping and audit readiness"
