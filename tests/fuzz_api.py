"""Schema fuzzing of the whole API against the running app (issue 17, "Proof").

``make fuzz`` (and CI) runs this: a throwaway embedded database with the demo data,
the app served in production mode (DEBUG=0) on a free loopback port, and Schemathesis
over every operation of the OpenAPI description, once as an administrator and once as
a viewer, each bounded in time. It fails on any 5xx and on any answer that breaks its
documented schema, and writes the figures to ``var/fuzz/summary.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = ROOT / "var" / "fuzz"
EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "12"))
SECONDS = int(os.environ.get("FUZZ_MAX_SECONDS", "180"))  # per role
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"

TOKENS = """
from partnerops.core.roles import Role
from partnerops.core.tokens import api_token_create
from tests.factories import UserFactory
for role in (Role.ADMINISTRATOR, Role.VIEWER):
    user = UserFactory(username=f"fuzz-{role.value.lower()}", roles=[role])
    print("TOKEN", role.value.lower(), api_token_create(actor=user, name="fuzz")[1])
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(folder: Path) -> dict[str, str]:
    return {
        **os.environ, "PARTNEROPS_VAR_DIR": str(folder), "DATABASE_URL": f"sqlite:///{folder}/fuzz.sqlite3",
        "DEBUG": "0", "SECRET_KEY": "fuzz-only-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0",
        "LOGIN_FAILURE_LIMIT": "1000000", "LOGIN_ADDRESS_FAILURE_LIMIT": "1000000", "EMAIL_HOST": "", "PYTHONPATH": str(ROOT),
    }  # fmt: skip


def _partnerops(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([str(BIN / "partnerops"), *args], env=env, cwd=ROOT, check=True,  # noqa: S603
                            capture_output=True, text=True)  # fmt: skip
    return result.stdout


def _wait(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit(f"the app stopped while starting (exit {server.returncode})")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback
            return
        except urllib.error.HTTPError:
            return  # it answers (401 without a token)
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the app did not answer at {url}")


def _fuzz(role: str, token: str, schema: Path, base: str) -> dict[str, Any]:
    report = OUT / f"{role}.ndjson"
    command = [
        str(BIN / "schemathesis"), "run", str(schema), "--url", base, "-H", f"Authorization: Bearer {token}",
        "--checks", CHECKS, "--max-examples", str(EXAMPLES), "--max-time", str(SECONDS), "--workers", "1",
        "--continue-on-failure", "--report", "ndjson", "--report-ndjson-path", str(report),
        "--generation-deterministic", "--request-timeout", "30",
        # A pull asks the cluster's Prometheus: when that server fails (and fuzzed
        # clusters point nowhere) the answer is a 502 by design, which the server-error
        # check cannot tell from a bug. tests/usage runs it against a real Prometheus.
        "--exclude-operation-id", "partnerops_api_usage_pull_cluster",
    ]  # fmt: skip
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)  # noqa: S603 - our own tools
    (OUT / f"{role}.txt").write_text(result.stdout + result.stderr)
    return {"role": role, "exit": result.returncode, "seconds": round(time.monotonic() - started, 1),
            **_figures(report)}  # fmt: skip


def _figures(report: Path) -> dict[str, Any]:
    """Requests made, their status classes and the failed checks, from the NDJSON events."""
    statuses: dict[str, int] = {}
    failures: dict[str, int] = {}
    operations: set[str] = set()
    for line in report.read_text().splitlines() if report.exists() else []:
        event = json.loads(line)
        for interaction in _find(event, "interactions"):
            for item in interaction if isinstance(interaction, list) else interaction.values():
                status = (item.get("response") or {}).get("status_code")
                if status:
                    key = f"{str(status)[0]}xx"
                    statuses[key] = statuses.get(key, 0) + 1
        for label in _find(event, "label"):
            if isinstance(label, str) and " /" in label:
                operations.add(label)
        for check in _find(event, "checks"):
            for item in check if isinstance(check, list) else []:
                if isinstance(item, dict) and item.get("status") == "failure":
                    failures[item.get("name", "?")] = failures.get(item.get("name", "?"), 0) + 1
    return {"operations": len(operations), "responses": statuses, "failed_checks": failures}


def _find(value: Any, key: str) -> list[Any]:
    found = []
    if isinstance(value, dict):
        for name, item in value.items():
            if name == key:
                found.append(item)
            found.extend(_find(item, key))
    elif isinstance(value, list):
        for item in value:
            found.extend(_find(item, key))
    return found


def main() -> int:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    folder = Path(tempfile.mkdtemp(prefix="partnerops-fuzz-"))
    env = _environment(folder)
    _partnerops(env, "migrate", "--noinput")
    # As in production: pages (a 404 included) need the static files' manifest.
    _partnerops(env, "collectstatic", "--noinput")
    _partnerops(env, "demo")
    printed = _partnerops(env, "shell", "-c", TOKENS).splitlines()
    tokens = dict(line.split()[1:] for line in printed if line.startswith("TOKEN "))
    schema = OUT / "openapi.json"
    dump = "import json; from partnerops.api.v1 import api; print('SCHEMA', json.dumps(api.get_openapi_schema()))"
    printed = _partnerops(env, "shell", "-c", dump).splitlines()
    schema.write_text(next(line for line in printed if line.startswith("SCHEMA "))[7:])
    port = _free_port()
    log = (OUT / "server.log").open("wb")
    # One request at a time: the embedded database serialises writers anyway.
    server = subprocess.Popen([str(BIN / "partnerops"), "runserver", "--noreload", "--nothreading",  # noqa: S603
                               f"127.0.0.1:{port}"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=log)  # fmt: skip
    try:
        _wait(f"http://127.0.0.1:{port}/api/v1/organizations", server)
        runs = [
            _fuzz(role, token, schema, f"http://127.0.0.1:{port}")
            for role, token in sorted(tokens.items())
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)
    (OUT / "summary.json").write_text(json.dumps(runs, indent=2) + "\n")
    print(json.dumps(runs, indent=2))
    return 0 if all(run["exit"] == 0 for run in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
