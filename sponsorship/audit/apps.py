from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sponsorship.audit"
    label = "audit"
    verbose_name = "Audit trail"
