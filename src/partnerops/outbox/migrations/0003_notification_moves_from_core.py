"""Notifications move here from core (issue 16), with the code that sends them. The
table keeps its name; only Django's state and the content type move."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core", model="notification").update(app_label="outbox")


def move_content_type_back(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="outbox", model="notification").update(app_label="core")


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0002_system_email_templates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("core", "0004_api_token_expires_on"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(move_content_type, move_content_type_back),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "key",
                            models.CharField(
                                help_text="What makes it unique, so it is sent once.",
                                max_length=200,
                                unique=True,
                            ),
                        ),
                        ("subject", models.CharField(max_length=300)),
                        ("body", models.TextField(blank=True)),
                        ("link", models.CharField(blank=True, max_length=500)),
                        (
                            "created_at",
                            models.DateTimeField(default=django.utils.timezone.now, editable=False),
                        ),
                        ("emailed_at", models.DateTimeField(blank=True, null=True)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "core_notification",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
            ],
        ),
    ]
