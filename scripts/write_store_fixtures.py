"""Write the small stores of the current schema version into tests/data/stores/ (run once per
released schema version; the files of earlier versions stay as they are).

Each version N gets `landgis-vN.gpkg.gz` (a GeoPackage, gzipped: its empty pages compress
330 kB to 12 kB), `landgis-vN-postgis.sql` (a plain-SQL
pg_dump of schema landgis_fixture_vN) and `landgis-vN.json` (what both hold: parcel codes and
versions, audit records, accounts, context layers, enquiries, projects, import profiles),
which
tests/store/test_migrations.py checks after upgrading each store. The content: the four test
parcels, one account, three audit records (two edits), one context layer, one enquiry, one
project and (from version 2) one import profile. PostGIS needs LANDGIS_TEST_POSTGIS_URL (or
--postgis-url) and pg_dump.
"""

import argparse
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import psycopg
from shapely.geometry import LineString

from webapp.domain.audit import ChangeFilter
from webapp.domain.context import ContextLayer
from webapp.domain.filters import ParcelFilter
from webapp.domain.landuse import load_landuse_table
from webapp.domain.pipeline import ProjectFilter
from webapp.importing.pipeline import plan_strict_import
from webapp.store import GeoPackageStore, ParcelStore
from webapp.store.postgis import PostGISStore
from webapp.store.schema_version import CURRENT_SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "tests" / "data" / "stores"
SMALL = ROOT / "tests" / "data" / "small.geojson"
ACTOR = "fixture"


def fill(store: ParcelStore) -> None:
    """Put the fixture content into an empty store."""
    store.replace_all(plan_strict_import(SMALL, load_landuse_table()).parcels, actor=ACTOR)
    store.ensure_schema()
    store.staff.add_user("fixture-admin", "admin", "scrypt:32768:8:1$fixture$not-a-real-hash")
    first = store.get("T-001", include_drafts=True)
    edited = store.update_parcel(first.id, {"status": "洽谈中", "contact": "招商局 0555-1234567"},
                                 first.version, "fixture-admin", "edit")
    store.update_parcel(first.id, {"status": "可供"}, edited.version, "fixture-admin", "edit")
    road = gpd.GeoDataFrame({"name": ["示例路"], "feature_class": ["主干路"]},
                            geometry=[LineString([(118.50, 31.70), (118.52, 31.71)])],
                            crs="EPSG:4326")
    store.context.replace_layer(ContextLayer("roads", "道路", "road"), road, ACTOR)
    store.pipeline.add_enquiry({
        "parcel_codes": ("T-001",), "company": "示例机械有限公司", "contact_name": "王经理",
        "phone": "13812345678", "email": "wang@example.com", "industry": "intelligent_equipment",
        "investment_wan": 12500.5, "jobs": 120, "message": "希望了解供地时间", "language": "zh",
        "requirement": "land_use=0601", "consent_at": "2026-03-01T08:00:00+00:00"})
    store.pipeline.add_project({
        "name": "示例齿轮项目", "company": "示例机械有限公司", "contact": "王经理",
        "industry": "intelligent_equipment", "investment_wan": 30000.0, "jobs": 200,
        "street": "慈湖街道", "parcel_codes": ("T-001",), "owner": "fixture-admin",
        "next_action": "约谈企业", "next_action_due": "2026-04-01"}, ACTOR)
    store.import_profiles.add("自然资源局 月报", ["宗地編號", "用地性質", "面積"], {
        "fields": {"宗地編號": "code", "用地性質": "land_use"},
        "values": {"land_use": {"住宅區": "0701"}}, "defaults": {"status": "reserve"}}, ACTOR)


def describe(store: ParcelStore) -> dict:
    """What a fixture store holds, in the form its .json file keeps."""
    parcels = store.query(ParcelFilter(include_drafts=True), with_geometry=False).parcels
    changes = store.changes(ChangeFilter(), limit=1000).changes
    return {
        "parcels": {p.code: p.version for p in parcels},
        "audit": sorted([c.parcel_code, c.field, c.version, c.actor] for c in changes),
        "accounts": sorted([u.name, u.role] for u in store.staff.users()),
        "context_layers": sorted([layer.name, layer.feature_count]
                                 for layer in store.context.layers()),
        "enquiries": store.pipeline.enquiries(limit=1).number_matched,
        "projects": sorted(p.name for p in store.pipeline.projects(ProjectFilter()).records),
        "import_profiles": sorted([p.name, list(p.signature), p.mapping, p.version]
                                  for p in store.import_profiles.profiles()),
    }


def write_geopackage(version: int) -> dict:
    path = FOLDER / f"landgis-v{version}.gpkg"
    path.unlink(missing_ok=True)
    store = GeoPackageStore(path)
    fill(store)
    content = describe(store)
    store.close()
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("DELETE FROM landgis_tile_cache")  # cached tiles: not the store's data
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("VACUUM")
    with open(path, "rb") as raw, gzip.open(f"{path}.gz", "wb", compresslevel=9) as packed:
        shutil.copyfileobj(raw, packed)
    path.unlink()
    return content


def write_postgis(version: int, url: str) -> dict:
    schema = f"landgis_fixture_v{version}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    store = PostGISStore(f"{url}{'&' if '?' in url else '?'}schema={schema}")
    try:
        fill(store)
        content = describe(store)
        store.close()
        dump = subprocess.run(["pg_dump", "--format=plain", "--no-owner", "--no-privileges",
                               f"--schema={schema}", f"--dbname={url}"],
                              check=True, capture_output=True, text=True).stdout
        (FOLDER / f"landgis-v{version}-postgis.sql").write_text(dump, encoding="utf-8")
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    return content


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgis-url", default=os.environ.get("LANDGIS_TEST_POSTGIS_URL"))
    args = parser.parse_args()
    if not args.postgis_url:
        parser.error("a PostGIS database is needed: --postgis-url or LANDGIS_TEST_POSTGIS_URL")
    version = CURRENT_SCHEMA_VERSION
    FOLDER.mkdir(parents=True, exist_ok=True)
    gpkg = write_geopackage(version)
    postgis = write_postgis(version, args.postgis_url)
    if gpkg != postgis:
        print(f"the stores differ:\n{gpkg}\n{postgis}", file=sys.stderr)
        return 1
    (FOLDER / f"landgis-v{version}.json").write_text(
        json.dumps(gpkg, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote the version {version} fixtures to {FOLDER}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
