"""The outbox and the email templates are the outbox app's now (its 0001): removed from
playbooks' state only; the tables stay, under their old names, and keep every row."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("playbooks", "0007_document_links_withdrawn_at"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="emailattachment",
                    name="email",
                ),
                migrations.DeleteModel(
                    name="EmailTemplate",
                ),
                migrations.RemoveField(
                    model_name="outboundemail",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="outboundemail",
                    name="engagement",
                ),
                migrations.DeleteModel(
                    name="EmailAttachment",
                ),
                migrations.DeleteModel(
                    name="OutboundEmail",
                ),
            ],
        ),
    ]
