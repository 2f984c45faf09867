"""Render docs/performance.md from the JSON results under bench/results/."""

from __future__ import annotations

import json
from pathlib import Path

START = "<!-- results:start (written by make bench) -->"
END = "<!-- results:end -->"


def render(results_dir: Path) -> str:
    lines: list[str] = []
    for path in sorted(results_dir.glob("*.json")):
        report = json.loads(path.read_text())
        lines += [
            f"### {report['benchmark']} on {report['database']}",
            "",
            f"{report['engagements']:,} engagements over {report['organizations']:,} organizations; "
            f"{report['repeats']} requests per case after warm-up; {report['machine']}, "
            f"Python {report['python']}; measured {report['measured_at']}.",
            "",
            "| case | URL | median (ms) | p95 (ms) | SQL queries | response bytes |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for name, result in report["results"].items():
            lines.append(
                f"| {name} | `{result['url']}` | {result['median_ms']:.2f} | {result['p95_ms']:.2f} "
                f"| {result['queries']} | {result['bytes']:,} |"
            )
        lines.append("")
    return "\n".join(lines)


def write_summary(results_dir: Path, page: Path) -> None:
    text = page.read_text() if page.exists() else f"# Performance\n\n{START}\n{END}\n"
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    page.write_text(f"{before}{START}\n{render(results_dir)}\n{END}{after}")
