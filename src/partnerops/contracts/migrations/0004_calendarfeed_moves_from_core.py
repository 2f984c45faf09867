"""The calendar feed moves here from core (issue 16): its pages are contracts'. The table
keeps its name; only Django's state and the content type move."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core", model="calendarfeed").update(app_label="contracts")


def move_content_type_back(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="contracts", model="calendarfeed").update(app_label="core")


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0003_invoicing_policies"),
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
                    name="CalendarFeed",
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
                        ("token", models.CharField(max_length=64, unique=True)),
                        ("rotated_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="calendar_feed",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "core_calendarfeed",
                    },
                ),
            ],
        ),
    ]
