"""A real Prometheus server for the usage tests: a temporary TSDB backfilled from an
OpenMetrics file the test writes (``promtool tsdb create-blocks-from openmetrics``),
served by Debian's ``prometheus`` on a free loopback port, stopped after.

Without the package the tests skip with a message, as the browser tests do; CI sets
PARTNEROPS_REQUIRE_PROMETHEUS=1 and installs it, so there they cannot skip.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

UTC = dt.UTC


def at(day: int, hour: int = 0, minute: int = 0, month: int = 10, year: int = 2026) -> int:
    return int(dt.datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp())


@dataclass(frozen=True)
class Series:
    """One metric's series: labels, and (timestamp, value) samples."""

    metric: str
    labels: dict[str, str]
    samples: list[tuple[int, float]]


def server(namespace: str, user: str, start: int, hours: float) -> Series:
    """A user's server seen every 5 minutes for ``hours`` (as kube-state-metrics shows
    it), then gone: a final 0 marks the end, as a staleness marker would in a live
    scrape (a backfilled TSDB has none)."""
    steps = round(hours * 12)
    samples: list[tuple[int, float]] = [(start + i * 300, 1.0) for i in range(steps)]
    samples.append((start + steps * 300, 0.0))
    labels = {
        "namespace": namespace,
        "pod": f"jupyter-{user}",
        "annotation_hub_jupyter_org_username": user,
    }
    return Series("kube_pod_annotations", labels, samples)


def memory(namespace: str, bytes_requested: int, start: int, hours: int) -> Series:
    steps = hours * 12
    samples: list[tuple[int, float]] = [
        (start + i * 300, float(bytes_requested)) for i in range(steps)
    ]
    samples.append((start + steps * 300, 0.0))
    labels = {"namespace": namespace, "pod": f"{namespace}-pod", "container": "c",
              "resource": "memory", "unit": "byte"}  # fmt: skip
    return Series("kube_pod_container_resource_requests", labels, samples)


def openmetrics(series: Iterable[Series]) -> str:
    by_metric: dict[str, list[Series]] = {}
    for item in series:
        by_metric.setdefault(item.metric, []).append(item)
    lines = []
    for metric, items in by_metric.items():
        lines.append(f"# TYPE {metric} gauge")
        for item in items:
            labels = ",".join(f'{key}="{value}"' for key, value in sorted(item.labels.items()))
            lines += [f"{metric}{{{labels}}} {value!r} {stamp}" for stamp, value in item.samples]
    lines.append("# EOF")
    return "\n".join(lines) + "\n"


def _tools() -> tuple[str, str] | None:
    prometheus, promtool = shutil.which("prometheus"), shutil.which("promtool")
    return (prometheus, promtool) if prometheus and promtool else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RunningPrometheus:
    url: str
    process: subprocess.Popen[bytes]


def start_prometheus(
    directory: Path, series: Iterable[Series], web_config: str = ""
) -> Iterator[RunningPrometheus]:
    tools = _tools()
    if tools is None:
        message = "prometheus/promtool not found: apt-get install prometheus"
        if os.environ.get("PARTNEROPS_REQUIRE_PROMETHEUS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    binary, promtool = tools
    data = directory / "data"
    source = directory / "metrics.om"
    source.write_text(openmetrics(series))
    subprocess.run(  # noqa: S603  (the binaries found on PATH, our own arguments)
        [promtool, "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=744h",
         str(source), str(data)],
        check=True, capture_output=True,
    )  # fmt: skip
    config = directory / "prometheus.yml"
    config.write_text("global:\n  scrape_interval: 1h\nscrape_configs: []\n")
    port = _free_port()
    command = [binary, f"--config.file={config}", f"--storage.tsdb.path={data}",
               "--storage.tsdb.retention.time=100y", f"--web.listen-address=127.0.0.1:{port}"]  # fmt: skip
    if web_config:
        (directory / "web.yml").write_text(web_config)
        command.append(f"--web.config.file={directory / 'web.yml'}")
    log = (directory / "prometheus.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process, directory)
        yield RunningPrometheus(url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_ready(url: str, process: subprocess.Popen[bytes], directory: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                "prometheus exited: " + (directory / "prometheus.log").read_text()[-2000:]
            )
        try:
            # /-/ready needs no credentials only without a web config; any answer means up.
            if httpx.get(f"{url}/-/ready", timeout=1).status_code in (200, 401):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("prometheus did not become ready in 30 s")


# October 2026 on the cluster "shared-k8s": hand-countable.
#   ocean: alice 10 h, bob 2 h, dave 0.5 h; the health check "deployment-service-check"
#          1 h (excluded everywhere); staff "yuvi" 3 h (excluded on this cluster)
#   river: carol 5 h and alice (another person, same name on another hub) 1 h
#   a namespace "scratch" that is no hub: erin 1 h
#   memory: ocean 2 GiB for 48 h, river 1 GiB for 48 h, support 0.5 GiB for 48 h
#   September: ocean alice 4 h (another month; never counted in October)
OCTOBER = [
    server("ocean", "alice", at(3, 10), 10),
    server("ocean", "bob", at(5, 8), 2),
    server("ocean", "dave", at(20, 9), 0.5),
    server("ocean", "deployment-service-check", at(6), 1),
    server("ocean", "yuvi", at(8, 12), 3),
    server("river", "carol", at(7), 5),
    server("river", "alice", at(9, 18), 1),
    server("scratch", "erin", at(11), 1),
    server("ocean", "alice", at(10, 9, month=9), 4),
    memory("ocean", 2 * 2**30, at(10), 48),
    memory("river", 2**30, at(10), 48),
    memory("support", 2**29, at(10), 48),
]


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPrometheus]:
    yield from start_prometheus(tmp_path_factory.mktemp("prometheus"), OCTOBER)
