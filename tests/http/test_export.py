"""Public exports: streamed in chunks, at most EXPORT_MAX_CONCURRENT at once, hostile text safe."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest

from tests.conftest import DATA, make_app
from tests.hostile import HOSTILE, TEXT_FIELDS, write_hostile_district
from webapp.domain.errors import ConfigError
from webapp.domain.export_columns import HEADERS
from webapp.domain.spreadsheet import FORMULA_STARTS
from webapp.exporting import stream as export_stream

FORMATS = ("csv", "geojson", "gpkg")


@pytest.fixture
def hostile_app(tmp_path):
    """App on a district with one parcel per hostile corpus string in every text field."""
    (tmp_path / "source").mkdir()
    return make_app(tmp_path / "app", write_hostile_district(tmp_path / "source"))


@pytest.fixture
def counted_reads(small_store, monkeypatch):
    """Every parcels_after call of the small store as (limit, parcels returned)."""
    calls = []
    read = small_store.parcels_after

    def counting(parcel_filter, after_id, limit, with_geometry=True):
        found = read(parcel_filter, after_id, limit, with_geometry)
        calls.append((limit, len(found)))
        return found

    monkeypatch.setattr(small_store, "parcels_after", counting)
    return calls


def export_folder(app) -> Path:
    return Path(app.instance_path) / "exports"


def read_all(response) -> bytes:
    """The body of a streamed response, read piece by piece, then closed."""
    try:
        return b"".join(response.iter_encoded())
    finally:
        response.close()


def csv_rows(body: bytes) -> list[dict]:
    """The CSV's rows keyed by column name (its headers are in the user's language)."""
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for spreadsheet programs
    columns = {name: column for column, names in HEADERS.items() for name in names}
    rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    return [{columns[header]: value for header, value in row.items()} for row in rows]


@pytest.mark.parametrize("file_format", FORMATS)
def test_export_response_is_streamed(client, file_format):
    response = client.get(f"/export/parcels.{file_format}", buffered=False)
    assert response.status_code == 200 and "Content-Length" not in response.headers
    assert response.headers["Content-Disposition"].endswith(f'.{file_format}"')
    assert read_all(response)


@pytest.mark.parametrize("file_format", FORMATS)
def test_export_reads_the_store_in_chunks(client, small_store, counted_reads, monkeypatch,
                                          file_format):
    monkeypatch.setattr(export_stream, "CHUNK_PARCELS", dict.fromkeys(FORMATS, 3))
    monkeypatch.setattr(small_store, "query", None)  # never every parcel at once
    read_all(client.get(f"/export/parcels.{file_format}", buffered=False))
    assert counted_reads == [(3, 3), (3, 1)]


def test_export_csv_sends_its_header_before_reading_parcels(client, counted_reads):
    response = client.get("/export/parcels.csv", buffered=False)
    pieces = response.iter_encoded()
    assert next(pieces).startswith("\ufeff序号,宗地编号,".encode())
    assert counted_reads == []
    response.close()


def test_export_csv_comes_one_chunk_per_piece(client, monkeypatch):
    monkeypatch.setattr(export_stream, "CHUNK_PARCELS", dict.fromkeys(FORMATS, 1))
    response = client.get("/export/parcels.csv", buffered=False)
    pieces = list(response.iter_encoded())
    response.close()
    assert len(pieces) == 1 + 4  # the header, then one piece per parcel
    assert [row["code"] for row in csv_rows(b"".join(pieces))] == ["T-001", "T-002", "T-003",
                                                                    "T-004"]


@pytest.mark.parametrize("file_format", ["geojson", "gpkg"])
def test_export_holds_every_parcel(client, small_store, tmp_path, file_format):
    path = tmp_path / f"parcels.{file_format}"
    path.write_bytes(read_all(client.get(f"/export/parcels.{file_format}", buffered=False)))
    frame = pyogrio.read_dataframe(path)
    assert sorted(frame["code"]) == ["T-001", "T-002", "T-003", "T-004"]
    assert frame.crs.to_epsg() == 4326
    parcel = small_store.get("T-002")
    row = frame[frame["code"] == "T-002"].iloc[0]
    assert row["area_m2"] == pytest.approx(parcel.area_m2, abs=0.01)
    assert row["geometry"].equals_exact(parcel.geometry, tolerance=1e-9)


def test_export_geojson_is_a_feature_collection(client):
    document = json.loads(read_all(client.get("/export/parcels.geojson", buffered=False)))
    assert document["type"] == "FeatureCollection" and document["name"] == "parcels"
    assert [f["properties"]["code"] for f in document["features"]] == ["T-001", "T-002",
                                                                        "T-003", "T-004"]
    assert document["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.parametrize("file_format", FORMATS)
def test_export_of_nothing_is_a_valid_empty_file(client, tmp_path, file_format):
    body = read_all(client.get(f"/export/parcels.{file_format}?q=no-such-parcel",
                               buffered=False))
    if file_format == "csv":
        assert csv_rows(body) == [] and "宗地编号".encode() in body
        return
    path = tmp_path / f"empty.{file_format}"
    path.write_bytes(body)
    assert len(pyogrio.read_dataframe(path)) == 0


def test_export_filters_like_the_map(client):
    body = read_all(client.get("/export/parcels.csv?status=sold", buffered=False))
    assert [row["code"] for row in csv_rows(body)] == ["T-003"]


@pytest.mark.parametrize(("url", "status", "message"), [
    ("/export/parcels.xlsx", 404, "Exports are available as"),
    ("/export/parcels.", 404, ""),
    ("/export/parcels.csv?area_min=abc", 400, "area_min"),
    ("/export/parcels.geojson?bbox=1,2,3", 400, "bbox"),
    ("/export/parcels.gpkg?land_use=no-such-use", 400, "land_use"),
])
def test_export_bad_request_is_refused_with_a_message(client, url, status, message):
    english = url + ("&" if "?" in url else "?") + "lang=en"
    response = client.get(english, headers={"Accept": "application/json"})
    assert response.status_code == status
    assert message in response.json["description"]


@pytest.mark.parametrize("file_format", FORMATS)
def test_export_from_postgis_streams_the_same_parcels(pg_app, client, monkeypatch, tmp_path,
                                                      file_format):
    monkeypatch.setattr(export_stream, "CHUNK_PARCELS", dict.fromkeys(FORMATS, 3))
    bodies = [read_all(app_client.get(f"/export/parcels.{file_format}", buffered=False))
              for app_client in (pg_app.test_client(), client)]
    if file_format == "csv":
        rows = [csv_rows(body) for body in bodies]
        assert [[row["code"], row["area_mu"]] for row in rows[0]] == [
            [row["code"], row["area_mu"]] for row in rows[1]]
        return
    frames = []
    for index, body in enumerate(bodies):
        (tmp_path / f"{index}.{file_format}").write_bytes(body)
        frames.append(pyogrio.read_dataframe(tmp_path / f"{index}.{file_format}"))
    assert list(frames[0]["code"]) == list(frames[1]["code"])
    assert frames[0].geometry.geom_equals_exact(frames[1].geometry, tolerance=1e-9).all()


# Concurrency: EXPORT_MAX_CONCURRENT slots, shared by every server process of the machine.

@pytest.fixture
def two_slot_app(tmp_path):
    return make_app(tmp_path, DATA / "small.geojson", EXPORT_MAX_CONCURRENT=2)


def test_export_third_at_once_gets_503_with_retry_after(two_slot_app):
    client = two_slot_app.test_client()
    held = [client.get(f"/export/parcels.{f}", buffered=False) for f in ("csv", "gpkg")]
    refused = client.get("/export/parcels.geojson?lang=en",
                         headers={"Accept": "application/json"})
    assert refused.status_code == 503 and int(refused.headers["Retry-After"]) > 0
    assert refused.json["code"] == "ServiceUnavailable"
    assert "exports" in refused.json["description"]
    for response in held:
        response.close()


def test_export_refused_page_is_in_the_users_language(two_slot_app):
    client = two_slot_app.test_client()
    held = [client.get("/export/parcels.csv", buffered=False) for _ in range(2)]
    refused = client.get("/export/parcels.csv?lang=zh")
    assert refused.status_code == 503 and "text/html" in refused.content_type
    assert "Retry-After" in refused.headers
    assert "服务器正忙于处理其他导出" in refused.get_data(as_text=True)
    for response in held:
        response.close()


@pytest.mark.parametrize("read_first", [True, False])
def test_export_slot_is_freed_when_the_response_closes(two_slot_app, read_first):
    client = two_slot_app.test_client()
    first = client.get("/export/parcels.gpkg", buffered=False)
    second = client.get("/export/parcels.csv", buffered=False)
    if read_first:
        next(first.iter_encoded())  # a client that goes away in the middle
    first.close()
    third = client.get("/export/parcels.csv", buffered=False)
    assert third.status_code == 200
    for response in (second, third):
        read_all(response)


def test_export_leaves_no_temporary_files(two_slot_app):
    client = two_slot_app.test_client()
    read_all(client.get("/export/parcels.gpkg", buffered=False))
    stopped = client.get("/export/parcels.gpkg", buffered=False)
    next(stopped.iter_encoded())
    stopped.close()
    assert [p.name for p in export_folder(two_slot_app).iterdir()] == ["slot-0.lock"]


HOLD_SLOTS = """
import sys
from pathlib import Path
from webapp.exporting.slots import ExportSlots
slots = ExportSlots(Path(sys.argv[1]), 2)
held = [slots.acquire(), slots.acquire()]
print("held", flush=True)
sys.stdin.read()
"""


def test_export_slots_are_shared_with_other_processes(two_slot_app):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_SLOTS,
                               str(export_folder(two_slot_app))],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        client = two_slot_app.test_client()
        assert client.get("/export/parcels.csv").status_code == 503
        holder.kill()  # a worker that dies: the system releases its locks
        holder.wait(timeout=30)
        assert client.get("/export/parcels.csv").status_code == 200
    finally:
        holder.kill()
        holder.wait(timeout=30)


# The hostile-strings corpus: every text comes back as the same text (CSV formulas neutralised).

def hostile_export(app, file_format: str, tmp_path: Path):
    body = read_all(app.test_client().get(f"/export/parcels.{file_format}", buffered=False))
    if file_format == "csv":
        return csv_rows(body)
    path = tmp_path / f"hostile.{file_format}"
    path.write_bytes(body)
    return pyogrio.read_dataframe(path).to_dict("records")


@pytest.mark.parametrize("file_format", ["geojson", "gpkg"])
def test_export_hostile_text_round_trips_exactly(hostile_app, tmp_path, file_format):
    rows = hostile_export(hostile_app, file_format, tmp_path)
    for field in TEXT_FIELDS:
        assert sorted(row[field] for row in rows) == sorted(HOSTILE.values()), field


def test_export_csv_neutralises_formulas_and_keeps_other_text(hostile_app, tmp_path):
    rows = hostile_export(hostile_app, "csv", tmp_path)
    expected = sorted("'" + text if text.startswith(FORMULA_STARTS) else text
                      for text in HOSTILE.values())
    for field in TEXT_FIELDS:
        assert sorted(row[field] for row in rows) == expected, field
    for row in rows:
        assert not any(value.startswith(FORMULA_STARTS) for value in row.values())


def test_export_csv_keeps_negative_numbers_as_numbers(client, small_store):
    parcel = small_store.get("T-001")
    small_store.update_parcel(parcel.id, {"far_min": -1.5}, None, "test", "test")
    rows = csv_rows(read_all(client.get("/export/parcels.csv", buffered=False)))
    assert rows[0]["far_min"] == "-1.5"


@pytest.mark.parametrize("value", [0, -1])
def test_export_max_concurrent_below_one_is_refused_at_start(tmp_path, value):
    with pytest.raises(ConfigError, match="EXPORT_MAX_CONCURRENT must be at least 1"):
        make_app(tmp_path, DATA / "small.geojson", EXPORT_MAX_CONCURRENT=value)
