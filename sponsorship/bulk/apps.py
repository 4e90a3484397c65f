from django.apps import AppConfig


class BulkConfig(AppConfig):
    name = "sponsorship.bulk"
    label = "bulk"
    verbose_name = "Bulk data transfer"
