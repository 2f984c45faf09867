from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "partnerops.core"
    label = "core"
    verbose_name = "PartnerOps core"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from partnerops.core.audit_lock import register_sqlite_function

        # Every app's audit actions (<app>/audit_actions.py), as the admin finds admin.py.
        autodiscover_modules("audit_actions")

        # Database plumbing, not business logic: the audit trigger needs this function.
        connection_created.connect(register_sqlite_function, dispatch_uid="partnerops-audit-lock")
