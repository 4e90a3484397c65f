from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "sponsorship.certificates"
    label = "certificates"
    verbose_name = "Certificates"
