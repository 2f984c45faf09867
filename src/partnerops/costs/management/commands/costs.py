"""partnerops costs import | attribute | report"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from partnerops.costs import output
from partnerops.costs.engine import attribute
from partnerops.costs.formats import ExportError
from partnerops.costs.rules import RulesError, load_rules_file, load_usage_csv, normalize_month


class Command(BaseCommand):
    help = "Cloud cost exports: import them, attribute them without the app, or report a month."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        load = commands.add_parser(
            "import", help="Import billing exports; replaces their months for their source."
        )
        load.add_argument("files", nargs="+", type=Path)
        load.add_argument(
            "--usage", type=Path, help="CSV of month,cluster,hub,weight for shared clusters."
        )
        load.add_argument(
            "--source", help="Whose bill (default: the provider); an import replaces its months."
        )
        standalone = commands.add_parser(
            "attribute", help="Attribute exports with a rules file; no database needed."
        )
        standalone.add_argument("files", nargs="+", type=Path)
        standalone.add_argument(
            "--rules",
            type=Path,
            help="TOML rules file (docs/costs.md); without it all is unattributed.",
        )
        standalone.add_argument("--usage", type=Path)
        standalone.add_argument("--month", help="YYYY-MM: only this invoice month.")
        standalone.add_argument("--format", choices=["json", "csv", "table"], default="table")
        report = commands.add_parser("report", help="The imported costs of a month, per community.")
        report.add_argument("--month", required=True)
        report.add_argument("--format", choices=["json", "csv", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except (ExportError, RulesError) as error:
            raise CommandError(str(error)) from None

    def _console(self) -> Console:
        return Console(file=self.stdout, width=120)  # type: ignore[arg-type]

    def _import(self, options: dict[str, Any]) -> None:
        from partnerops.costs.services import cost_import

        files: list[Path] = options["files"]
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} files"),
            TimeElapsedColumn(),
            console=Console(file=self.stderr),  # type: ignore[arg-type]
        ) as progress:
            task = progress.add_task("Reading and attributing", total=len(files))
            result = cost_import(
                actor=None,
                paths=files,
                usage_path=options["usage"],
                source=options["source"],
                on_file=lambda path: progress.advance(task),
            )
        for source, months in result.replaced.items():
            self.stdout.write(f"{source}: replaced {', '.join(months)}")
        for warning in result.duplicate_messages():
            self.stderr.write(warning)
        output.print_tables(self._console(), result.attribution.summaries())

    def _attribute(self, options: dict[str, Any]) -> None:
        rules = load_rules_file(options["rules"]) if options["rules"] else None
        usage = load_usage_csv(options["usage"]) if options["usage"] else None
        months = {normalize_month(options["month"], "--month")} if options["month"] else None
        result = attribute(options["files"], rules, usage, months)
        for item in result.duplicates:
            self.stderr.write(f"{item.name} is the same file as {item.same_as}: counted once.")
        self._emit(result.summaries(), options["format"], result)

    def _report(self, options: dict[str, Any]) -> None:
        from partnerops.costs.services import month_report

        month = normalize_month(options["month"], "--month")
        summaries = month_report(month)
        if not summaries:
            raise CommandError(f"No costs imported for {month}.")
        self._emit(summaries, options["format"], None)

    def _emit(self, summaries: list[Any], kind: str, attribution: Any) -> None:
        if kind == "json":
            from partnerops.costs.engine import Attribution

            self.stdout.write(output.to_json(attribution or Attribution([], []), summaries))
        elif kind == "csv":
            self.stdout.write(output.to_csv(summaries), ending="")
        else:
            output.print_tables(self._console(), summaries)
