"""The outbox and the email templates move here from playbooks (issue 16). The tables
stay where they are (each model names its old table): this migration only tells
Django's state that the models are the outbox's now, and moves their content types,
so permissions and the audit trail's links to existing rows follow them."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ("outboundemail", "emailattachment", "emailtemplate")


def move_content_types(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="playbooks", model__in=MOVED).update(app_label="outbox")


def move_content_types_back(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="outbox", model__in=MOVED).update(app_label="playbooks")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("crm", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        # The tables are made (and filled with the default templates) there.
        ("playbooks", "0007_document_links_withdrawn_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="EmailTemplate",
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
                        ("key", models.SlugField(max_length=60, unique=True)),
                        ("name", models.CharField(max_length=200)),
                        ("subject", models.CharField(max_length=300)),
                        (
                            "body",
                            models.TextField(
                                help_text="Plain text. Variables: see the template list page."
                            ),
                        ),
                        (
                            "html_body",
                            models.TextField(blank=True, help_text="Optional HTML version."),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "db_table": "playbooks_emailtemplate",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="OutboundEmail",
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
                                help_text="What it is for; the same key is never sent twice.",
                                max_length=200,
                                unique=True,
                            ),
                        ),
                        ("from_email", models.CharField(max_length=300)),
                        ("to", models.JSONField(default=list)),
                        ("cc", models.JSONField(blank=True, default=list)),
                        ("reply_to", models.JSONField(blank=True, default=list)),
                        ("subject", models.CharField(max_length=300)),
                        ("body", models.TextField()),
                        ("html_body", models.TextField(blank=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("sending", "Sending"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed (will retry)"),
                                    ("gave_up", "Gave up"),
                                ],
                                db_index=True,
                                default="queued",
                                max_length=10,
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.TextField(blank=True)),
                        (
                            "next_attempt_at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                        ),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("message_id", models.CharField(blank=True, max_length=300)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_at",
                            models.DateTimeField(default=django.utils.timezone.now, editable=False),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "engagement",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="outbound_emails",
                                to="crm.engagement",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "playbooks_outboundemail",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="EmailAttachment",
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
                        ("file", models.FileField(upload_to="outbox/%Y/%m/")),
                        ("filename", models.CharField(max_length=200)),
                        (
                            "content_type",
                            models.CharField(default="application/octet-stream", max_length=100),
                        ),
                        (
                            "email",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attachments",
                                to="outbox.outboundemail",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "playbooks_emailattachment",
                    },
                ),
            ],
        ),
    ]
