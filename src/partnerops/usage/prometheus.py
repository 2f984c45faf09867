"""Asking a cluster's Prometheus over its HTTP API (``/api/v1/query``).

Every failure (the server down, a timeout, a refused token, an answer of an unexpected
shape, a query that must answer something and returns nothing) is a ``PrometheusError`` naming the cluster and
the query: a pull either gets every answer it needs or changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

# An answer larger than this is not a month of one cluster's usage: refused, not read.
MAX_ANSWER_BYTES = 64 * 1024 * 1024


class PrometheusError(Exception):
    pass


@dataclass(frozen=True)
class Sample:
    labels: dict[str, str]
    value: Decimal


@dataclass(frozen=True)
class Connection:
    cluster: str
    url: str
    auth: str = "none"
    username: str = ""
    secret: str = ""
    verify_tls: bool = True
    timeout_seconds: float = 30


def month_query(template: str, start: dt.datetime, end: dt.datetime) -> str:
    """The template with ``{range}`` set to the month's length in seconds. PromQL uses
    braces itself, so this is a plain replacement, not str.format."""
    seconds = int((end - start).total_seconds())
    return template.replace("{range}", f"{seconds}s")


def instant_query(
    connection: Connection, query: str, at: dt.datetime, *, allow_empty: bool = False
) -> list[Sample]:
    """The vector the query answers at ``at``; at least one series unless ``allow_empty``."""
    where = f"cluster {connection.cluster}, query {query!r}"
    payload = _get(
        connection, "/api/v1/query", {"query": query, "time": f"{at.timestamp():.3f}"}, where
    )
    samples = _vector(payload, where)
    if not samples and not allow_empty:
        raise PrometheusError(
            f"{where}: Prometheus answered no series for the month. Check the query and "
            "that the cluster's metrics reach this Prometheus; nothing was changed."
        )
    return samples


def _get(connection: Connection, path: str, params: dict[str, str], where: str) -> Any:
    base = connection.url.rstrip("/")
    if not base:
        raise PrometheusError(f"cluster {connection.cluster}: no Prometheus address is set.")
    headers = {"Accept": "application/json"}
    auth: httpx.BasicAuth | None = None
    if connection.auth == "bearer":
        headers["Authorization"] = f"Bearer {connection.secret}"
    elif connection.auth == "basic":
        auth = httpx.BasicAuth(connection.username, connection.secret)
    try:
        with (
            httpx.Client(
                verify=connection.verify_tls, timeout=connection.timeout_seconds, auth=auth
            ) as client,
            client.stream("GET", base + path, params=params, headers=headers) as answer,
        ):
            body = _bounded_body(answer, where)
    except httpx.TimeoutException:
        raise PrometheusError(
            f"{where}: Prometheus at {base} did not answer within {connection.timeout_seconds:g} s."
        ) from None
    except httpx.ConnectError as error:
        raise PrometheusError(f"{where}: cannot reach Prometheus at {base} ({error}).") from None
    except httpx.HTTPError as error:
        raise PrometheusError(f"{where}: the request to {base} failed ({error}).") from None
    if answer.status_code in (401, 403):
        raise PrometheusError(
            f"{where}: Prometheus at {base} refused the credentials (HTTP {answer.status_code}); "
            "check the cluster's token or password."
        )
    try:
        payload = httpx.Response(answer.status_code, content=body).json()
    except ValueError:
        payload = None
    if answer.status_code != 200:
        detail = payload.get("error") if isinstance(payload, dict) else None
        raise PrometheusError(
            f"{where}: Prometheus answered HTTP {answer.status_code}"
            + (f": {detail}" if detail else ".")
        )
    if not isinstance(payload, dict):
        raise PrometheusError(f"{where}: the answer is not Prometheus's JSON.")
    return payload


def _bounded_body(answer: httpx.Response, where: str) -> bytes:
    chunks, size = [], 0
    for chunk in answer.iter_bytes():
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise PrometheusError(
                f"{where}: the answer is larger than {MAX_ANSWER_BYTES // 2**20} MiB; "
                "narrow the query."
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _vector(payload: dict[str, Any], where: str) -> list[Sample]:
    if payload.get("status") != "success":
        raise PrometheusError(f"{where}: Prometheus reported {payload.get('error', 'a failure')}.")
    data = payload.get("data")
    if not isinstance(data, dict) or data.get("resultType") != "vector":
        kind = data.get("resultType") if isinstance(data, dict) else None
        raise PrometheusError(
            f"{where}: expected an instant vector, got {kind or 'something else'}; "
            "the query must answer one value per series."
        )
    result = data.get("result")
    if not isinstance(result, list):
        raise PrometheusError(f"{where}: the answer has no result list.")
    samples = []
    for item in result:
        try:
            labels, (_, text) = item["metric"], item["value"]
            value = Decimal(str(text))
        except (KeyError, TypeError, ValueError, InvalidOperation):
            raise PrometheusError(
                f"{where}: a series in the answer is malformed: {item!r:.200}."
            ) from None
        if not isinstance(labels, dict) or not value.is_finite() or value < 0:
            raise PrometheusError(
                f"{where}: a series has a value that is not a count: {item!r:.200}."
            )
        samples.append(Sample({str(k): str(v) for k, v in labels.items()}, value))
    return samples
