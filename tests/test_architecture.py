"""Issue 16: the apps depend one way, lower to higher, written in docs/architecture.md.
An app never imports one above it, at module level or inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import partnerops

ROOT = Path(partnerops.__file__).parent
# Lowest first. The project level (partnerops/*.py, api/, management/) may import any.
ORDER = (
    "core",
    "crm",
    "outbox",
    "contracts",
    "hubs",
    "costs",
    "usage",
    "invoicing",
    "playbooks",
    "team",
    "grants",
)
RANK = {app: rank for rank, app in enumerate(ORDER)}


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            found += [(node.lineno, name) for name in names if name.startswith("partnerops.")]
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, alias.name)
                for alias in node.names
                if alias.name.startswith("partnerops.")
            ]
    return found


def test_every_domain_app_is_in_the_order() -> None:
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps - {"api"} == set(ORDER)


def test_no_app_imports_one_above_it() -> None:
    upward = []
    for app in ORDER:
        for path in sorted((ROOT / app).rglob("*.py")):
            for line, module in _imports(path):
                target = module.split(".")[1]
                if target in RANK and RANK[target] > RANK[app]:
                    upward.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
                elif target not in RANK and target != app and (ROOT / target).is_dir():
                    upward.append(
                        f"{path.relative_to(ROOT)}:{line} imports the project level ({module})"
                    )
    assert upward == [], (
        "imports against the order " + " < ".join(ORDER) + ":\n" + "\n".join(upward)
    )


def test_the_order_is_written_in_the_architecture_notes() -> None:
    notes = (ROOT.parents[1] / "docs" / "architecture.md").read_text()
    assert " < ".join(ORDER) in notes
