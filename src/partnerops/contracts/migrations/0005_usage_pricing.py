"""Usage prices (issue 12): the monthly-active-user fee in bands, seeded with the
domain facts' bands; tiers name the usage price they charge; agreements may override."""

import datetime as dt

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import partnerops.crm.models

BANDS = [
    {"up_to": 10, "unit_amount": "10.00"},
    {"up_to": 100, "unit_amount": "5.00"},
    {"up_to": 1000, "unit_amount": "2.50"},
    {"up_to": 10000, "unit_amount": "1.25"},
    {"up_to": None, "unit_amount": "0.00"},
]


def seed(apps, schema_editor):
    UsagePricing = apps.get_model("contracts", "UsagePricing")
    UsagePricing.objects.get_or_create(
        code="mau",
        version=1,
        defaults={
            "name": "Monthly active users",
            "currency": "USD",
            "effective_from": dt.date(2025, 1, 1),
            "bands": BANDS,
            "notes": "2025-2026 model: first 10 MAU $10.00 each, 11-100 $5.00, "
            "101-1000 $2.50, 1001-10000 $1.25, above 10000 $0.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0004_calendarfeed_moves_from_core")]

    operations = [
        migrations.CreateModel(
            name="UsagePricing",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(help_text="Stable name across versions.")),
                ("version", models.PositiveIntegerField(default=1)),
                ("name", models.CharField(max_length=100)),
                (
                    "currency",
                    models.CharField(
                        default="USD",
                        max_length=3,
                        validators=[partnerops.crm.models.currency_validator],
                    ),
                ),
                ("effective_from", models.DateField()),
                (
                    "effective_until",
                    models.DateField(
                        blank=True, help_text="Last day this price applies.", null=True
                    ),
                ),
                ("bands", models.JSONField(default=list)),
                ("notes", models.TextField(blank=True)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
            ],
            options={
                "ordering": ["code", "-version"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("code", "version"), name="usage_pricing_version_unique"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="servicetier",
            name="usage_pricing_code",
            field=models.SlugField(
                blank=True,
                help_text="Charges a usage fee at this usage price (the version in effect each month); blank: no usage fee.",
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="usage_pricing",
            field=models.ForeignKey(
                blank=True,
                help_text="Overrides the tier's usage price; blank: the tier's.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="agreements",
                to="contracts.usagepricing",
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="usage_fee_waived",
            field=models.BooleanField(
                default=False, help_text="No usage fee, whatever the tier charges."
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
