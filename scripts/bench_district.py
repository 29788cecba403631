"""Generate a SYNTHETIC district of any size fast (vectorised grid), for scripts/bench_scale.py.

Parcels are jittered quadrilaterals on a square grid of 140 m cells around 花山区 (118.51 E,
31.70 N), about 3,500 per dense z12 tile. Same seed and count give the same file. Nothing here is
real: codes, streets and attributes are invented.
"""

import argparse
import math
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

CENTRE_LONLAT = (118.51, 31.70)
CELL_M = 140.0
GAP_M = 12.0
M_PER_DEG_LAT = 110_574.0
LAND_USES = ("100101", "100102", "110101", "0901", "0902", "07", "0801", "14", "16", "1001")
STATUSES = ("available", "negotiating", "sold", "reserve")
STREETS = ("金家庄街道", "塘西街道", "江东街道", "解放街道", "湖东路街道", "桃源路街道")


def district_frame(count: int, seed: int = 20261125) -> gpd.GeoDataFrame:
    """`count` parcels as an EPSG:4326 frame with the columns of the bundled sample."""
    rng = np.random.default_rng(seed)
    side = math.ceil(math.sqrt(count))
    index = np.arange(count)
    col, row = index % side, index // side
    m_per_deg_lon = M_PER_DEG_LAT * math.cos(math.radians(CENTRE_LONLAT[1]))
    x0 = (col - side / 2) * CELL_M
    y0 = (row - side / 2) * CELL_M
    size = CELL_M - GAP_M
    jitter = rng.uniform(0, 0.18 * size, size=(count, 4, 2))
    corners = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float) * size
    xy = corners[None, :, :] + np.where(corners[None] > 0, -jitter, jitter)
    xy[:, :, 0] += x0[:, None]
    xy[:, :, 1] += y0[:, None]
    lon = CENTRE_LONLAT[0] + xy[:, :, 0] / m_per_deg_lon
    lat = CENTRE_LONLAT[1] + xy[:, :, 1] / M_PER_DEG_LAT
    rings = np.concatenate([np.stack([lon, lat], axis=2), np.stack([lon, lat], axis=2)[:, :1]],
                           axis=1)
    polygons = shapely.polygons(np.round(rings, 7))
    uses = np.array(LAND_USES)[rng.integers(0, len(LAND_USES), count)]
    return gpd.GeoDataFrame({
        "code": [f"B{i:07d}" for i in index],
        "name": [f"合成地块{i}" for i in index],
        "land_use": uses,
        "street": np.array(STREETS)[(col * len(STREETS)) // side],
        "location": "合成数据（非真实地块）",
        "status": np.array(STATUSES)[rng.integers(0, len(STATUSES), count)],
        "lease_years": np.where(np.char.startswith(uses.astype(str), "07"), 70, 50),
        "contact": "花山区投资促进中心 0555-0000101",
    }, geometry=polygons, crs="EPSG:4326")


def write_district(count: int, path, seed: int = 20261125) -> None:
    """Write the synthetic district as a GeoPackage (layer `parcels`) at path."""
    pyogrio.write_dataframe(district_frame(count, seed), path, layer="parcels", driver="GPKG")


def main(argv: list[str] | None = None) -> int:
    """Write a synthetic district of any size (for trying landgis at scale)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of parcels (1 or more)")
    parser.add_argument("out", type=Path, help="GeoPackage to write (import it with "
                                               "`landgis import` or `landgis init --from`)")
    parser.add_argument("--seed", type=int, default=20261125, help="random seed")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    write_district(args.count, args.out, args.seed)
    print(f"wrote {args.count:,} synthetic parcels to {args.out} (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
