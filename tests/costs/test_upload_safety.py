"""Issue 17, items 2, 3 and 9: a cost upload keeps every file, counts each once, reads
with bounds, and names files as the person uploaded them."""

from __future__ import annotations

import gzip
import hashlib
import shutil
import tempfile
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client

from partnerops.core.roles import Role
from partnerops.costs.engine import ReadLimits, attribute
from partnerops.costs.formats import ExportError
from partnerops.costs.models import CostImport, CostLine
from tests.api.client import Api
from tests.costs import exports
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _operations_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="olu", roles=[Role.OPERATIONS]))
    return client


def _totals() -> dict[str, int]:
    rows = CostLine.objects.values("source").annotate(total=Sum("amount_nanos"))
    return {row["source"]: row["total"] for row in rows}


def _expected(*paths: Path) -> dict[str, int]:
    """What each provider's files add up to, read one by one outside the app."""
    totals: dict[str, int] = {}
    for path in paths:
        result = attribute([path])
        provider = result.files[0].provider
        amount = sum((share.amount for share in result.shares), Decimal(0))
        totals[provider] = totals.get(provider, 0) + int(amount * 10**9)
    return totals


@pytest.fixture
def two_exports(tmp_path: Path) -> tuple[Path, Path]:
    """Two different exports, both called export.csv, as two accounts' downloads are."""
    for folder in ("gcp", "azure"):
        (tmp_path / folder).mkdir()
    gcp = exports.write_gcp_csv(tmp_path / "gcp" / "export.csv")
    return gcp, exports.write_azure_csv(tmp_path / "azure" / "export.csv")


def _upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def test_two_uploads_with_one_name_are_two_files_on_the_page(
    hub_table: Any, two_exports: tuple[Path, Path]
) -> None:
    gcp, azure = two_exports
    response = _operations_client().post(
        "/costs/", {"files": [_upload(gcp), _upload(azure)]}, follow=True
    )
    assert response.status_code == 200
    checksums = set(CostImport.objects.values_list("checksum", flat=True))
    assert checksums == {hashlib.sha256(p.read_bytes()).hexdigest() for p in (gcp, azure)}
    assert set(CostImport.objects.values_list("file_name", flat=True)) == {"export.csv"}
    assert _totals() == _expected(gcp, azure)


def test_the_same_file_twice_is_counted_once_and_said(hub_table: Any, tmp_path: Path) -> None:
    gcp = exports.write_gcp_json(tmp_path / "gcp.json")
    response = _operations_client().post(
        "/costs/", {"files": [_upload(gcp), _upload(gcp, "copy of gcp.json")]}, follow=True
    )
    html = response.content.decode()
    assert "copy of gcp.json is the same file as gcp.json (same contents): counted once." in html
    assert CostImport.objects.count() == 1
    assert _totals() == _expected(gcp)


def test_the_api_keeps_both_files_and_lists_duplicates(
    hub_table: Any, two_exports: tuple[Path, Path]
) -> None:
    gcp, azure = two_exports
    operations = Api(Role.OPERATIONS)
    response = operations.client.post(
        "/api/v1/costs/imports", {"files": [_upload(gcp), _upload(azure), _upload(gcp, "again.csv")]},
        HTTP_AUTHORIZATION=f"Bearer {operations.token}",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["duplicates"] == [{"name": "again.csv", "same_as": "export.csv"}]
    assert len(response.json()["imports"]) == 2
    assert _totals() == _expected(gcp, azure)


def test_the_command_line_counts_a_file_once(hub_table: Any, tmp_path: Path, capsys: Any) -> None:
    gcp = exports.write_gcp_json(tmp_path / "gcp.json")
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    copy = Path(shutil.copy(gcp, elsewhere / "gcp.json"))
    call_command("costs", "import", str(gcp), str(gcp), str(copy))
    assert _totals() == _expected(gcp)
    assert CostImport.objects.count() == 1
    assert capsys.readouterr().err.count("counted once") == 2


def test_a_one_line_bomb_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.csv.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as handle:
        for _ in range(64):
            handle.write(b"a" * (1 << 20))  # one 64 MiB line, a few hundred KB packed
    tracemalloc.start()
    try:
        with pytest.raises(ExportError, match=r"bomb\.csv\.gz: the header line is longer than"):
            attribute([bomb])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20, f"detection took {peak:,} bytes for a {bomb.stat().st_size:,}-byte file"


def test_a_file_that_unpacks_beyond_the_limit_is_refused_by_name(
    hub_table: Any, tmp_path: Path, settings: Any
) -> None:
    cur = exports.write_cur2_csv_gz(tmp_path / "cur.csv.gz")
    unpacked = len(gzip.decompress(cur.read_bytes()))
    with pytest.raises(
        ExportError, match=rf"unpacks to more than the limit for one file \({unpacked - 1:,}"
    ):
        attribute([cur], limits=ReadLimits(max_file_bytes=unpacked - 1))
    assert attribute([cur], limits=ReadLimits(max_file_bytes=unpacked)).files
    settings.COST_MAX_FILE_BYTES = unpacked - 1
    operations = Api(Role.OPERATIONS)
    response = operations.client.post(
        "/api/v1/costs/imports", {"files": [_upload(cur, "october.csv.gz")]},
        HTTP_AUTHORIZATION=f"Bearer {operations.token}",
    )  # fmt: skip
    assert response.status_code == 422
    assert "october.csv.gz: unpacks to more than the limit" in response.json()["detail"]
    assert CostImport.objects.count() == 0 and CostLine.objects.count() == 0


def test_an_upload_over_the_limit_is_refused_by_name(
    hub_table: Any, tmp_path: Path, settings: Any
) -> None:
    settings.COST_UPLOAD_MAX_BYTES = 100
    gcp = exports.write_gcp_json(tmp_path / "gcp.json")
    response = _operations_client().post("/costs/", {"files": [_upload(gcp, "big.json")]})
    assert "big.json: larger than the limit for uploads (100 bytes)." in response.content.decode()
    assert CostImport.objects.count() == 0


def test_errors_name_the_upload_not_the_server_path() -> None:
    client = _operations_client()
    response = client.post(
        "/costs/", {"files": [SimpleUploadedFile("people.csv", b"name,email\nAna,a@x.org\n")]}
    )
    html = response.content.decode()
    assert "people.csv: not a billing export PartnerOps knows" in html
    assert "partnerops-costs-" not in html and tempfile.gettempdir() not in html
    usage = SimpleUploadedFile("weights.csv", b"month,cluster\n2026-10,x\n")
    gcp = SimpleUploadedFile("gcp.json", b"{}")
    html = client.post("/costs/", {"files": [gcp], "usage": usage}).content.decode()
    assert (
        "weights.csv: expected the columns month,cluster,hub,weight" in html
        and tempfile.gettempdir() not in html
    )
