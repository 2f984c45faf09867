from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "partnerops.core"
    label = "core"
    verbose_name = "PartnerOps core"

    def ready(self) -> None:
        from partnerops.core.audit_lock import register_sqlite_function

        # Database plumbing, not business logic: the audit trigger needs this function.
        connection_created.connect(register_sqlite_function, dispatch_uid="partnerops-audit-lock")
