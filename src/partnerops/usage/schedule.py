"""What ``partnerops tick`` pulls: each cluster's previous month once, from the 2nd of
the month on (late samples have arrived by then), and the current month once a day as
a running view. A pull that fails records nothing, so the next tick tries again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from partnerops.usage import services
from partnerops.usage.models import Cluster, UsagePull


@dataclass
class TickPulls:
    pulled: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def pulls_due(today: dt.date) -> list[tuple[Cluster, str]]:
    current = f"{today:%Y-%m}"
    previous = services.previous_month(today)
    second = timezone.make_aware(dt.datetime.combine(today.replace(day=2), dt.time.min))
    start_of_today = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    due = []
    for cluster in Cluster.objects.exclude(prometheus_url="").order_by("name"):
        pulls = UsagePull.objects.filter(cluster=cluster)
        if today.day >= 2 and not pulls.filter(month=previous, pulled_at__gte=second).exists():
            due.append((cluster, previous))
        if not pulls.filter(month=current, pulled_at__gte=start_of_today).exists():
            due.append((cluster, current))
    return due


def pull_due(today: dt.date) -> TickPulls:
    """Each due pull on its own: a cluster that is down does not stop the others."""
    report = TickPulls()
    for cluster, month in pulls_due(today):
        try:
            result = services.usage_pull(actor=None, cluster=cluster, month=month)
        except services.UsageError as error:
            report.failed.append(error.message)
        else:
            report.pulled.append(f"{cluster.name} {month}: {result.active_users} active users")
    return report
