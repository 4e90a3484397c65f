from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sponsorship.accounts"
    label = "accounts"
    verbose_name = "Accounts"
