"""Issue templates get plain values since issue 17: ``hub.get_provider_display`` (a
method of the model) is now ``hub.provider``, already the provider's name."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    IssueTemplate = apps.get_model("playbooks", "IssueTemplate")
    for template in IssueTemplate.objects.filter(body__contains="hub.get_provider_display"):
        template.body = template.body.replace("hub.get_provider_display", "hub.provider")
        template.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("playbooks", "0005_default_playbooks")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
