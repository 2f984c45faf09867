"""Notification and CalendarFeed are outbox's and contracts' now: removed from core's
state only; their tables stay, with every row."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_api_token_expires_on"),
        ("contracts", "0004_calendarfeed_moves_from_core"),
        ("outbox", "0003_notification_moves_from_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="notification",
                    name="recipient",
                ),
                migrations.DeleteModel(
                    name="CalendarFeed",
                ),
                migrations.DeleteModel(
                    name="Notification",
                ),
            ],
        ),
    ]
