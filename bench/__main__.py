"""`make bench`: the pipeline benchmark on SQLite and PostgreSQL and the cloud-cost
benchmark; JSON under bench/results/, summarised in docs/performance.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.report import write_summary

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
BENCHMARKS = ["bench.pipeline", "bench.invoicing"]


def _fresh_postgres(name: str) -> str | None:
    """A new, empty database for one run, or None when no server answers."""
    try:
        import psycopg

        with psycopg.connect(
            f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=3
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as error:  # report and carry on with SQLite
        print(f"PostgreSQL not reachable at {POSTGRES_SERVER} ({error}); skipping it.")
        return None
    return f"{POSTGRES_SERVER}/{name}"


def main() -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    failures = 0
    only = os.environ.get("BENCH_ONLY")  # e.g. BENCH_ONLY=invoicing: one benchmark, both databases
    for module in BENCHMARKS:
        if only and module != f"bench.{only}":
            continue
        short = module.rsplit(".", 1)[-1]
        with tempfile.TemporaryDirectory() as scratch:
            targets = {"sqlite": f"sqlite:///{scratch}/bench.sqlite3"}
            postgres = _fresh_postgres(f"partnerops_bench_{short}")
            if postgres:
                targets["postgresql"] = postgres
            for vendor, url in targets.items():
                env = {**os.environ, "DATABASE_URL": url, "PARTNEROPS_VAR_DIR": scratch}
                output = RESULTS / f"{short}-{vendor}.json"
                print(f"{module} on {vendor}:")
                command = [sys.executable, "-m", module, str(output)]
                done = subprocess.run(command, env=env, cwd=ROOT, check=False)
                failures += done.returncode != 0
    if os.environ.get("BENCH_SKIP_COSTS") != "1" and only in (None, "costs"):
        # Database-independent; generates its exports once under var/bench-data.
        print("bench.costs (1, 2 and 5 million lines; set BENCH_SKIP_COSTS=1 to skip):")
        failures += (
            subprocess.run([sys.executable, "-m", "bench.costs"], cwd=ROOT, check=False).returncode
            != 0
        )
    write_summary(RESULTS, ROOT / "docs" / "performance.md")
    print("Summary written to docs/performance.md")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
