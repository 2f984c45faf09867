"""partnerops usage pull | import | report"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from partnerops.usage import services
from partnerops.usage.models import Cluster, HubUsage


class Command(BaseCommand):
    help = "Hub usage: pull a month from the clusters' Prometheus, or import a CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        pull = commands.add_parser("pull", help="Pull a month from each cluster's Prometheus.")
        pull.add_argument("--month", required=True, help="YYYY-MM")
        pull.add_argument("--cluster", help="Only this cluster (its name).")
        load = commands.add_parser(
            "import", help="Import month,hub,active_users[,server_hours] rows."
        )
        load.add_argument("file", type=Path)
        report = commands.add_parser("report", help="The stored usage of a month, per hub.")
        report.add_argument("--month", required=True, help="YYYY-MM")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except services.UsageError as error:
            raise CommandError(error.message) from None

    def _console(self) -> Console:
        return Console(file=self.stdout, width=120)  # type: ignore[arg-type]

    def _pull(self, options: dict[str, Any]) -> None:
        month = options["month"]
        services.month_bounds(month)  # a bad month is refused before any request
        clusters = Cluster.objects.exclude(prometheus_url="").order_by("name")
        if options["cluster"]:
            clusters = clusters.filter(name=options["cluster"])
            if not clusters.exists():
                raise CommandError(f"No cluster {options['cluster']!r} with a Prometheus address.")
        if not clusters.exists():
            raise CommandError("No cluster has a Prometheus address: add one on the Clusters page.")
        results, failures = [], []
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} clusters"),
            TimeElapsedColumn(), console=Console(file=self.stderr),  # type: ignore[arg-type]
        ) as progress:  # fmt: skip
            task = progress.add_task(f"Pulling {month}", total=clusters.count())
            for cluster in clusters:
                # Each cluster on its own: one that is down does not stop the others.
                try:
                    results.append(services.usage_pull(actor=None, cluster=cluster, month=month))
                except services.UsageError as error:
                    failures.append(error.message)
                progress.advance(task)
        self._summary(results)
        for message in failures:
            self.stderr.write(message)
        if failures:
            raise CommandError(
                f"{len(failures)} of {len(failures) + len(results)} clusters failed; see above."
            )

    def _summary(self, results: list[services.PullResult]) -> None:
        table = Table(title="Usage pulled")
        for column in (
            "cluster",
            "hub",
            "active users",
            "excluded",
            "server-hours",
            "memory byte-hours",
        ):
            table.add_column(column, justify="left" if column in ("cluster", "hub") else "right")
        for result in results:
            for item in result.hubs:
                table.add_row(
                    result.cluster or "(file)",
                    item.hub.name,
                    f"{item.active_users:,}",
                    str(item.excluded_users),
                    "" if item.server_hours is None else f"{item.server_hours:,.2f}",
                    "" if item.memory_byte_hours is None else f"{item.memory_byte_hours:,.0f}",
                )
        self._console().print(table)
        for result in results:
            notes = []
            if result.partial_month:
                notes.append("the month is not over: a running view")
            if result.unknown_namespaces:
                notes.append(
                    "namespaces with users that are no hub: " + ", ".join(result.unknown_namespaces)
                )
            if notes:
                self.stdout.write(f"{result.cluster}: " + "; ".join(notes))

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file.") from None
        if size > services.MAX_CSV_BYTES:
            raise CommandError(f"{path}: larger than {services.MAX_CSV_BYTES // 2**20} MiB.")
        with path.open("rb") as handle:
            content = handle.read(services.MAX_CSV_BYTES + 1)
        result = services.usage_import_csv(actor=None, content=content, file_name=path.name)
        self.stdout.write(f"{path.name}: {len(result.hubs)} hub months for {result.month}")
        self._summary([result])

    def _report(self, options: dict[str, Any]) -> None:
        month = options["month"]
        services.month_bounds(month)
        rows = (
            HubUsage.objects.filter(month=month).select_related("hub", "pull").order_by("hub__name")
        )
        if not rows:
            raise CommandError(f"No usage stored for {month}.")
        table = Table(title=f"Usage {month}")
        for column in ("hub", "active users", "excluded", "server-hours", "source", "pulled"):
            table.add_column(column)
        for row in rows:
            table.add_row(
                row.hub.name, f"{row.active_users:,}", str(row.excluded_users),
                "" if row.server_hours is None else f"{row.server_hours:,.2f}",
                row.pull.get_source_display() + (" (running)" if row.pull.partial_month else ""),
                f"{row.pull.pulled_at:%Y-%m-%d %H:%M}",
            )  # fmt: skip
        self._console().print(table)
