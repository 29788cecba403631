"""Checks of the bundled SYNTHETIC sample district (geodata/sample) and of its generator."""

import json
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from webapp.domain.landuse import load_landuse_table
from webapp.importing.pipeline import plan_import
from webapp.importing.report import REJECTED

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "geodata" / "sample" / "parcels.geojson"
README = ROOT / "geodata" / "sample" / "README.md"
SCRIPT = ROOT / "scripts" / "generate_sample.py"
MU_M2 = 10000 / 15
FIELDS = (
    "code", "name", "land_use", "street", "location", "status", "supply_method", "lease_years",
    "far_min", "far_max", "density_min_pct", "density_max_pct", "green_min_pct",
    "green_max_pct", "height_max_m", "price_start_wan", "deposit_wan",
    "invest_min_wan_per_mu", "tax_min_wan_per_mu", "contact", "note",
)  # fmt: skip
LAND_USES = (
    "100101", "100102", "100103", "110101", "110102", "0901", "0902", "0904", "0701", "0802",
    "0804", "1401", "16",
)  # fmt: skip
INDUSTRIAL = ("100101", "100102", "100103")
NOT_OFFERED = ("1401", "16")
STREETS = ("慈湖街道", "金家庄街道", "塘西街道", "江东街道", "霍里街道", "桃源路街道")
STATUSES = ("available", "negotiating", "sold", "reserve")
SUPPLY_METHODS = ("listing", "auction", "tender", "agreement", None)
TEXT_FIELDS = ("code", "name", "land_use", "street", "location", "status", "contact")
NUMBER_FIELDS = FIELDS[8:19]
OPTIONAL_TEXT_FIELDS = ("supply_method", "note")


@pytest.fixture(scope="module")
def features() -> list[dict]:
    """The bundled file's features as plain JSON."""
    return json.loads(SAMPLE.read_text(encoding="utf-8"))["features"]


@pytest.fixture(scope="module")
def parcels() -> gpd.GeoDataFrame:
    """The bundled file read with GeoPandas."""
    return gpd.read_file(SAMPLE)


@pytest.fixture(scope="module")
def areas_mu(parcels: gpd.GeoDataFrame) -> list[float]:
    """Parcel areas in 亩, computed in EPSG:4549 (CGCS2000 GK CM 120E)."""
    return list(parcels.to_crs("EPSG:4549").area / MU_M2)


def test_sample_has_at_least_300_features(parcels: gpd.GeoDataFrame) -> None:
    assert len(parcels) >= 300


def test_sample_crs_is_epsg_4326(parcels: gpd.GeoDataFrame) -> None:
    assert parcels.crs.to_epsg() == 4326


def test_sample_geometry_is_polygon(parcels: gpd.GeoDataFrame) -> None:
    assert set(parcels.geom_type) == {"Polygon"}


def test_sample_geometry_is_valid(parcels: gpd.GeoDataFrame) -> None:
    assert parcels.is_valid.all()


def test_sample_geometry_is_not_empty(parcels: gpd.GeoDataFrame) -> None:
    assert not parcels.is_empty.any()


def test_sample_parcels_do_not_overlap(parcels: gpd.GeoDataFrame) -> None:
    geoms = parcels.to_crs("EPSG:4549").geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    overlaps = [
        (int(i), int(j))
        for i, j in zip(left, right, strict=True)
        if i < j and shapely.intersection(geoms[i], geoms[j]).area > 1.0
    ]
    assert overlaps == []


def test_sample_parcels_lie_around_huashan(parcels: gpd.GeoDataFrame) -> None:
    west, south, east, north = parcels.total_bounds
    assert 118.40 < west < east < 118.62
    assert 31.62 < south < north < 31.78


def test_sample_codes_are_unique(parcels: gpd.GeoDataFrame) -> None:
    assert parcels["code"].is_unique


def test_sample_codes_follow_pattern(features: list[dict]) -> None:
    pattern = re.compile(r"G\(20(19|2[0-6])\)\d{3}")
    bad = [
        f["properties"]["code"] for f in features if not pattern.fullmatch(f["properties"]["code"])
    ]
    assert bad == []


def test_sample_properties_have_documented_keys(features: list[dict]) -> None:
    assert {tuple(f["properties"]) for f in features} == {FIELDS}


@pytest.mark.parametrize(
    ("field", "allowed"),
    [
        ("land_use", LAND_USES),
        ("status", STATUSES),
        ("supply_method", SUPPLY_METHODS),
        ("street", STREETS),
        ("lease_years", (40, 50, 70, None)),
    ],
)
def test_sample_enum_field_has_allowed_values(
    features: list[dict], field: str, allowed: tuple
) -> None:
    assert {f["properties"][field] for f in features} <= set(allowed)


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_sample_text_field_is_non_empty_string(features: list[dict], field: str) -> None:
    values = [f["properties"][field] for f in features]
    assert all(isinstance(v, str) and v for v in values)


@pytest.mark.parametrize("field", OPTIONAL_TEXT_FIELDS)
def test_sample_optional_text_field_is_string_or_null(features: list[dict], field: str) -> None:
    values = [f["properties"][field] for f in features]
    assert all(v is None or (isinstance(v, str) and v) for v in values)


@pytest.mark.parametrize("field", NUMBER_FIELDS)
def test_sample_number_field_is_positive_float_or_null(features: list[dict], field: str) -> None:
    values = [f["properties"][field] for f in features]
    assert all(v is None or (type(v) is float and v > 0) for v in values)


def test_sample_lease_years_is_int_or_null(features: list[dict]) -> None:
    values = [f["properties"]["lease_years"] for f in features]
    assert all(v is None or type(v) is int for v in values)


def test_sample_far_max_exceeds_far_min(features: list[dict]) -> None:
    props = [f["properties"] for f in features if f["properties"]["far_max"] is not None]
    assert all(p["far_min"] is not None and p["far_max"] > p["far_min"] for p in props)


@pytest.mark.parametrize(
    "field", ["supply_method", "lease_years", "price_start_wan", "deposit_wan", "far_min"]
)
def test_sample_green_and_reserved_land_has_no_sale_terms(features: list[dict], field: str) -> None:
    props = [f["properties"] for f in features if f["properties"]["land_use"] in NOT_OFFERED]
    assert props
    assert all(p[field] is None for p in props)


@pytest.mark.parametrize("field", ["supply_method", "price_start_wan", "deposit_wan"])
def test_sample_reserve_status_has_no_offer_terms(features: list[dict], field: str) -> None:
    props = [f["properties"] for f in features if f["properties"]["status"] == "reserve"]
    assert props
    assert all(p[field] is None for p in props)


@pytest.mark.parametrize("field", ["invest_min_wan_per_mu", "tax_min_wan_per_mu"])
def test_sample_investment_terms_only_on_industrial_land(features: list[dict], field: str) -> None:
    props = [f["properties"] for f in features]
    assert all((p[field] is not None) == (p["land_use"] in INDUSTRIAL) for p in props)


def test_sample_deposit_is_at_most_half_the_price(features: list[dict]) -> None:
    props = [f["properties"] for f in features if f["properties"]["price_start_wan"] is not None]
    assert all(p["deposit_wan"] <= 0.5 * p["price_start_wan"] + 5 for p in props)


def test_sample_smallest_parcel_is_under_3_mu(areas_mu: list[float]) -> None:
    assert min(areas_mu) < 3


def test_sample_largest_parcel_is_over_200_mu(areas_mu: list[float]) -> None:
    assert max(areas_mu) > 200


def test_sample_areas_stay_between_half_and_400_mu(areas_mu: list[float]) -> None:
    assert min(areas_mu) > 0.5
    assert max(areas_mu) < 400


def test_sample_exterior_rings_are_counter_clockwise(features: list[dict]) -> None:
    rings = [shapely.LinearRing(f["geometry"]["coordinates"][0]) for f in features]
    assert all(ring.is_ccw for ring in rings)


def test_sample_polygons_have_no_holes(features: list[dict]) -> None:
    assert {len(f["geometry"]["coordinates"]) for f in features} == {1}


def test_sample_coordinates_have_at_most_7_decimals(features: list[dict]) -> None:
    values = [v for f in features for point in f["geometry"]["coordinates"][0] for v in point]
    assert all(round(v, 7) == v for v in values)


def test_sample_readme_says_synthetic_at_the_top() -> None:
    top = README.read_text(encoding="utf-8").splitlines()[:5]
    assert any("SYNTHETIC" in line for line in top)


@pytest.mark.parametrize("field", FIELDS)
def test_sample_readme_documents_field(field: str) -> None:
    assert f"| `{field}` |" in README.read_text(encoding="utf-8")


def run_generator(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run scripts/generate_sample.py from tmp_path with the test's interpreter."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_generator_reproduces_bundled_file(tmp_path: Path) -> None:
    out = tmp_path / "parcels.geojson"
    result = run_generator(tmp_path, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == SAMPLE.read_bytes()


def test_generator_writes_requested_count(tmp_path: Path) -> None:
    out = tmp_path / "small.geojson"
    result = run_generator(tmp_path, "--out", str(out), "--seed", "3", "--count", "40")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) == 40


def test_generator_rejects_zero_count(tmp_path: Path) -> None:
    result = run_generator(tmp_path, "--out", str(tmp_path / "x.geojson"), "--count", "0")
    assert result.returncode == 2
    assert "--count" in result.stderr


def test_generator_refuses_a_count_its_layout_cannot_hold_and_names_the_alternative(
        tmp_path: Path) -> None:
    out = tmp_path / "x.geojson"
    result = run_generator(tmp_path, "--out", str(out), "--count", "100000")
    assert result.returncode == 2 and not out.exists()
    assert "20,000" in result.stderr and "bench_district.py" in result.stderr
    assert "Traceback" not in result.stderr


def test_bench_district_writes_a_district_landgis_imports(tmp_path: Path) -> None:
    out = tmp_path / "district.gpkg"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_district.py"), "500",
                             str(out)], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    plan = plan_import(out, load_landuse_table())
    assert len(plan.parcels) == 500 and plan.report.count(REJECTED) == 0
