from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "partnerops.grants"
    label = "grants"
    verbose_name = "Grants"
