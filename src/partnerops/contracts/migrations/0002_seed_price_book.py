"""The price book's defaults, from the domain facts: the 2022 pricing strategy per hub,
and the later memberships and support hours."""

from decimal import Decimal

from django.db import migrations

TIERS = [
    # code, name, kind, from, monthly, annual, hourly, fte per hub, hubs per engineer, notes
    (
        "education",
        "Education",
        "education",
        "2022-01-01",
        "1000.00",
        "12000.00",
        None,
        "0.0450",
        "22",
        "Fee = $250,000 per engineer-year / 22 hubs.",
    ),
    (
        "research",
        "Research",
        "research",
        "2022-01-01",
        "1500.00",
        "18000.00",
        None,
        "0.0750",
        "14",
        "Fee = $250,000 per engineer-year / 14 hubs.",
    ),
    (
        "partnership",
        "Partnership",
        "partnership",
        "2022-01-01",
        "4166.67",
        "50000.00",
        None,
        "0.2000",
        "5",
        "At least $50,000 a year; at least 20% of an engineer.",
    ),
    (
        "membership-general",
        "General membership",
        "membership",
        "2025-01-01",
        "1250.00",
        "15000.00",
        None,
        "0.0450",
        "22",
        "2025-2026 membership model.",
    ),
    (
        "membership-premier",
        "Premier membership",
        "membership",
        "2025-01-01",
        "4166.67",
        "50000.00",
        None,
        "0.2000",
        "5",
        "2025-2026 membership model.",
    ),
    (
        "support-hours",
        "Support hours",
        "support_hours",
        "2025-01-01",
        "0.00",
        "0.00",
        "250.00",
        "0.0000",
        "0",
        "Advanced: 4 hours a quarter; Premier: 8 hours a quarter.",
    ),
]


def seed(apps, schema_editor):
    ServiceTier = apps.get_model("contracts", "ServiceTier")
    for code, name, kind, start, monthly, annual, hourly, fte, hubs, notes in TIERS:
        ServiceTier.objects.get_or_create(
            code=code,
            version=1,
            defaults={
                "name": name,
                "kind": kind,
                "effective_from": start,
                "monthly_fee": Decimal(monthly),
                "annual_fee": Decimal(annual),
                "hourly_rate": Decimal(hourly) if hourly else None,
                "currency": "USD",
                "cloud_cost_pass_through": True,
                "dedicated_cluster_markup_percent": Decimal("50.00"),
                "engineer_fte_per_hub": Decimal(fte),
                "hubs_per_engineer": Decimal(hubs),
                "notes": notes,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
