"""What held under the outside probe, kept as a test (issue 17): the app served on the
embedded database, killed with SIGKILL while 20 clients write through the API, keeps
every write it answered 201 for, each with its audit event, and nothing half-written."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
WRITERS = 20

TOKEN = """
from partnerops.core.roles import Role
from partnerops.core.tokens import api_token_create
from tests.factories import UserFactory
user = UserFactory(username="writer", roles=[Role.PARTNERSHIPS])
print("TOKEN", api_token_create(actor=user, name="writers")[1])
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _writer(url: str, token: str, number: int, stop: threading.Event, created: list[int]) -> None:
    sequence = 0
    while not stop.is_set():
        sequence += 1
        body = json.dumps({"name": f"Writer {number} community {sequence}"}).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
                if response.status == 201:
                    created.append(int(json.loads(response.read())["id"]))
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.01)  # refused or cut off by the kill: not acknowledged, not counted


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_server_killed_under_twenty_writers_keeps_every_acknowledged_write(
    tmp_path: Path,
) -> None:
    database = tmp_path / "writers.sqlite3"
    env = {**os.environ, "PARTNEROPS_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{database}",
           "DEBUG": "0", "SECRET_KEY": "durability-" + "y" * 50, "ALLOWED_HOSTS": "127.0.0.1",
           "SECURE_SSL_REDIRECT": "0", "PYTHONPATH": str(ROOT)}  # fmt: skip
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = str(BIN / "partnerops")
    subprocess.run([command, "migrate", "--noinput"], env=env, check=True, capture_output=True)  # noqa: S603
    printed = subprocess.run([command, "shell", "-c", TOKEN], env=env, check=True, capture_output=True,  # noqa: S603
                             text=True).stdout  # fmt: skip
    token = next(line.split()[1] for line in printed.splitlines() if line.startswith("TOKEN "))
    port = _free_port()
    server = subprocess.Popen([command, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env,  # noqa: S603
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}/api/v1/organizations"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=1)
            except urllib.error.HTTPError:
                break  # answering (401 without a token)
            except OSError:
                time.sleep(0.1)
        stop = threading.Event()
        created: list[int] = []
        writers = [
            threading.Thread(target=_writer, args=(url, token, n, stop, created))
            for n in range(WRITERS)
        ]
        for thread in writers:
            thread.start()
        deadline = time.monotonic() + 30
        while len(created) < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        stop.set()
        for thread in writers:
            thread.join(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
    assert len(created) >= 60, f"only {len(created)} writes were acknowledged before the kill"
    with sqlite3.connect(database) as connection:
        stored = {row[0] for row in connection.execute("SELECT id FROM crm_organization")}
        audited = {
            int(row[0])
            for row in connection.execute(
                "SELECT e.object_id FROM core_auditevent e JOIN django_content_type t ON t.id = e.content_type_id "
                "WHERE e.action = 'create' AND t.app_label = 'crm' AND t.model = 'organization'"
            )
        }
    assert set(created) <= stored, f"acknowledged but lost: {sorted(set(created) - stored)[:10]}"
    assert stored <= audited, f"stored without an audit event: {sorted(stored - audited)[:10]}"
