"""`partnerops serve`: the production server (gunicorn) answers, with several workers
(issue 18). Started as a real subprocess on loopback, in production mode."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.skipif(os.name != "posix", reason="gunicorn runs on POSIX")
def test_serve_runs_gunicorn_workers_that_answer_health_and_readiness(tmp_path: Path) -> None:
    env = {
        **os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3", "PARTNEROPS_VAR_DIR": str(tmp_path),
        "DEBUG": "0", "SECRET_KEY": "serve-test-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0", "EMAIL_HOST": "", "DJANGO_SETTINGS_MODULE": "partnerops.settings",
    }  # fmt: skip
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run([str(BIN / "partnerops"), "migrate", "--noinput"], env=env, check=True,  # noqa: S603
                   capture_output=True)  # fmt: skip
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "partnerops"), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                status, body = _get(f"{base}/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
                time.sleep(0.25)
        assert (status, body) == (200, {"status": "ok"})
        subprocess.run([str(BIN / "partnerops"), "tick"], env=env, check=True, capture_output=True)  # noqa: S603
        status, body = _get(f"{base}/readyz")
        assert (status, body["status"]) == (200, "ready"), body
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=30)[0].decode()
    # gunicorn itself served it, with two workers and an access log.
    assert "Booting worker" in output and output.count("Booting worker") >= 2, output
    assert '"GET /healthz HTTP/1.1" 200' in output, output
