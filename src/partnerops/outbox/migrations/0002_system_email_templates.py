"""PartnerOps' own emails (invoices, reminders, check-ins, notifications) as templates
administrators can edit: one row each, with the built-in text (issue 16)."""

from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from partnerops.outbox.defaults import SYSTEM_TEMPLATES

    EmailTemplate = apps.get_model("outbox", "EmailTemplate")
    for key, (name, _variables, subject, body) in SYSTEM_TEMPLATES.items():
        EmailTemplate.objects.get_or_create(
            key=key, defaults={"name": name, "subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("outbox", "0001_initial"), ("playbooks", "0008_outbox_moves_to_its_app")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
