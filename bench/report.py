"""Render docs/performance.md from the JSON results under bench/results/."""

from __future__ import annotations

import json
from pathlib import Path

START = "<!-- results:start (written by make bench) -->"
END = "<!-- results:end -->"


def _when(report: dict) -> str:
    """When the cases were measured: one run, or several (a format added later)."""
    times = sorted({case.get("measured_at") or report["measured_at"] for case in report["cases"]})
    return (
        times[0] if len(times) <= 1 else f"{', '.join(times[:-1])} and {times[-1]} (see each case)"
    )


def _costs(report: dict) -> list[str]:
    lines = [
        f"### {report['benchmark']}",
        "",
        f"{report['machine']}, Python {report['python']}; measured {_when(report)}. Seconds of work in each "
        "process (imports before the clock) and its peak resident memory. floor = DuckDB alone reading and grouping "
        "every field the rules use; minimal = DuckDB reading month, account and cost only.",
        "",
        "| export | lines | file MB | ours s | ours peak MB | floor s | ours/floor | minimal s | pandas s | pandas peak MB | pandas/ours | ours s per million |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case in report["cases"]:
        ours, floor, minimal, pandas = (
            case["ours"],
            case["floor"],
            case["floor-minimal"],
            case["pandas"],
        )

        def cell(result: dict, key: str) -> str:
            return (
                str(result.get(key, ""))
                if result.get("status") == "ok"
                else result.get("status", "")
            )

        lines.append(
            f"| {case['format']} | {case['lines']:,} | {case['file_mb']:,.0f} | {cell(ours, 'seconds')} | {cell(ours, 'peak_mb')} "
            f"| {cell(floor, 'seconds')} | {case.get('ours_vs_floor', '')} | {cell(minimal, 'seconds')} "
            f"| {cell(pandas, 'seconds')} | {cell(pandas, 'peak_mb')} | {case.get('pandas_vs_ours', '')} "
            f"| {case.get('ours_seconds_per_million', '')} |"
        )
    lines.append("")
    return lines


def _billing(report: dict) -> list[str]:
    lines = [
        f"### {report['benchmark']} on {report['database']}",
        "",
        f"{report['communities']:,} communities in service, {report['cost_lines']:,} cost lines, "
        f"{report['invoice_lines']:,} invoice lines; {report['machine']}, Python {report['python']}; "
        f"measured {report['measured_at']}.",
        "",
        "| case | seconds | target (s) |",
        "|---|---:|---:|",
    ]
    for name, result in report["runs"].items():
        lines.append(f"| {name} | {result['seconds']:.2f} | < {result['target_seconds']} |")
    lines.append("")
    return lines


def render(results_dir: Path) -> str:
    lines: list[str] = []
    for path in sorted(results_dir.glob("*.json")):
        report = json.loads(path.read_text())
        if "cases" in report:
            lines += _costs(report)
            continue
        if "runs" in report:
            lines += _billing(report)
            continue
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
