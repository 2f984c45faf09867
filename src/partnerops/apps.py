from django.apps import AppConfig


class PartnerOpsConfig(AppConfig):
    """The project level: what drives every app (``tick``, ``demo``) lives here, above
    the domain apps, so that no domain app needs to import one above it."""

    name = "partnerops"
    label = "partnerops"
    verbose_name = "PartnerOps"
