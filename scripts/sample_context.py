"""Generate the SYNTHETIC context layers of the sample district (geodata/sample/context/).

Drawn in EPSG:4549 metres around the sample parcels (geodata/sample/parcels.geojson), never
across one: the Yangtze (长江) and its east bank west of the riverside streets, a riverside belt
2 km deep, the 205 national road between 江东/桃源路 and 霍里, an expressway east of the
district with three interchanges at the ends of three east-west roads, a station and two ports,
and street (街道) boundaries that cover each street's parcels (Voronoi cells of points along the
parcel outlines, dissolved per street and simplified as one coverage, so neighbours share their
edges). Positions and names are invented; the same parcels give byte-identical files.
"""

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box

WORK_CRS = "EPSG:4549"
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PARCELS = REPO_ROOT / "geodata" / "sample" / "parcels.geojson"
DEFAULT_OUT = REPO_ROOT / "geodata" / "sample" / "context"
DECIMALS = 6  # about 10 cm
DISTRICT = (351_000.0, 3_503_500.0, 366_500.0, 3_515_500.0)  # minx, miny, maxx, maxy (m)
BANK = [(351_900, 3_503_000), (352_300, 3_506_000), (352_500, 3_508_500),
        (352_650, 3_511_000), (353_000, 3_514_000), (353_400, 3_516_000)]
RIVER_WIDTH_M = 1_800
BELT_DEPTH_M = 2_000
G205 = [(361_280, 3_503_000), (361_260, 3_507_400), (361_180, 3_509_100),
        (361_000, 3_512_000), (360_900, 3_516_000)]
EXPRESSWAY = [(364_600, 3_503_000), (364_800, 3_505_000), (365_000, 3_508_680),
              (365_300, 3_514_000), (365_500, 3_516_000)]
# East-west roads from the bank to an interchange on the expressway: (name, y at each end).
ROADS = [("银塘路", 3_505_000), ("九华东路", 3_508_680), ("慈湖河路", 3_514_000)]
INTERCHANGES = ["桃源互通", "马鞍山东互通", "慈湖互通"]  # at the ends of ROADS, same order
STATION = ("马鞍山东站", (360_400, 3_512_500))
PORTS = [("慈湖港区", 3_512_600), ("塘西港区", 3_506_800)]  # on the bank, at these northings
OUTLINE_STEP_M = 40  # spacing of the outline points the street cells grow from
SIMPLIFY_M = (80, 40, 20, 10, 0)  # coverage simplification tried in turn until parcels fit
CLEARANCE_M = 15  # roads keep at least this far from every parcel

# name, title, kind, file: the manifest `landgis init` reads (layers.json).
LAYERS = [
    ("yangtze", "长江", "river", "yangtze.geojson"),
    ("riverbank", "长江岸线", "riverbank", "riverbank.geojson"),
    ("riverside", "沿江带", "riverside_belt", "riverside.geojson"),
    ("g205", "205国道", "national_road", "g205.geojson"),
    ("expressway", "宁芜高速", "expressway", "expressway.geojson"),
    ("interchanges", "高速互通", "interchange", "interchanges.geojson"),
    ("roads", "主干道路", "road", "roads.geojson"),
    ("stations", "车站", "station", "stations.geojson"),
    ("ports", "港口码头", "port", "ports.geojson"),
    ("streets", "街道界线", "street_boundary", "streets.geojson"),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=Path, default=DEFAULT_PARCELS,
                        help="the sample parcels (default: geodata/sample/parcels.geojson)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder (default: geodata/sample/context in the repo)")
    return parser.parse_args(argv)


def bank_line() -> LineString:
    """The Yangtze's east bank, south to north."""
    return LineString(BANK)


def bank_x(y: float) -> float:
    """The bank's easting at a northing."""
    line = bank_line()
    crossing = line.intersection(LineString([(DISTRICT[0] - 5_000, y), (DISTRICT[2], y)]))
    return float(shapely.get_coordinates(crossing)[0, 0])


def bank_strip(offset_m: float) -> Polygon:
    """The strip between the bank and the bank moved east by offset_m (west when negative),
    clipped to DISTRICT's northings."""
    moved = [(x + offset_m, y) for x, y in reversed(BANK)]
    strip = Polygon([*BANK, *moved])
    minx, miny, maxx, maxy = DISTRICT
    return shapely.intersection(strip, box(minx - 5_000, miny, maxx, maxy))


def district_area() -> Polygon:
    """The land side of the district: east of the bank, inside DISTRICT."""
    return shapely.intersection(bank_strip(30_000), box(*DISTRICT))


def road_lines() -> list[tuple[str, LineString]]:
    """The east-west roads, from the bank to the expressway."""
    expressway = LineString(EXPRESSWAY)
    roads = []
    for name, y in ROADS:
        across = LineString([(DISTRICT[0] - 5_000, y), (DISTRICT[2] + 5_000, y)])
        end = shapely.get_coordinates(across.intersection(expressway))[0]
        roads.append((name, LineString([(bank_x(y), y), (float(end[0]), y)])))
    return roads


def street_cells(parcels: gpd.GeoDataFrame, area: Polygon) -> tuple[list[str], list]:
    """Per street (sorted by name), the union of the Voronoi cells of points along its parcels'
    outlines, clipped to the district: every parcel lies inside its street's cell."""
    outlines = shapely.segmentize(shapely.get_exterior_ring(parcels.geometry.to_numpy()),
                                  OUTLINE_STEP_M)
    points, owners = [], []
    for ring, street in zip(outlines, parcels["street"], strict=True):
        coordinates = shapely.get_coordinates(ring)[:-1]
        points.append(coordinates)
        owners += [street] * len(coordinates)
    cells = shapely.get_parts(shapely.voronoi_polygons(
        MultiPoint(np.vstack(points)), extend_to=box(*DISTRICT).buffer(5_000), ordered=True))
    owners_array = np.asarray(owners, dtype=object)
    names = sorted(set(owners))
    unions = [shapely.intersection(shapely.union_all(cells[owners_array == name]), area)
              for name in names]
    return names, [largest_part(u) for u in unions]


def largest_part(geometry) -> Polygon:
    """The largest polygon of a (multi)polygon, holes removed."""
    parts = shapely.get_parts(geometry)
    biggest = max(parts, key=lambda p: p.area)
    return Polygon(biggest.exterior)


def fitted_boundaries(parcels: gpd.GeoDataFrame, names: list[str], cells: list) -> np.ndarray:
    """The street cells simplified as one coverage, as much as every parcel still fits in its
    street (parcels shrunk by 1 m for the test)."""
    shrunk = parcels.geometry.buffer(-1.0)
    for tolerance in SIMPLIFY_M:
        simplified = shapely.coverage_simplify(np.asarray(cells, dtype=object), tolerance)
        by_name = dict(zip(names, simplified, strict=True))
        fits = shapely.within(shrunk.to_numpy(), np.asarray([by_name[s] for s in
                                                             parcels["street"]]))
        if fits.all():
            return simplified
    raise ValueError("the street boundaries cannot hold their parcels")


def check_clear(parcels: gpd.GeoDataFrame, lines: dict[str, list]) -> None:
    """ValueError when a road passes within CLEARANCE_M of a parcel."""
    tree = shapely.STRtree(parcels.geometry.to_numpy())
    for layer, geometries in lines.items():
        hits = tree.query(np.asarray(geometries), predicate="dwithin", distance=CLEARANCE_M)
        if hits.size:
            raise ValueError(f"{layer} passes within {CLEARANCE_M} m of parcel "
                             f"{parcels['code'].iloc[hits[1][0]]}")


def build_layers(parcels: gpd.GeoDataFrame) -> dict[str, list[tuple[dict, object]]]:
    """Every layer's features as (properties, geometry in EPSG:4549)."""
    bank = bank_line()
    area = district_area()
    roads = road_lines()
    expressway = LineString(EXPRESSWAY)
    check_clear(parcels, {"g205": [LineString(G205)], "expressway": [expressway],
                          "roads": [line for _name, line in roads], "riverbank": [bank]})
    names, cells = street_cells(parcels, area)
    streets = fitted_boundaries(parcels, names, cells)
    return {
        "yangtze": [({"name": "长江", "class": "干流"}, bank_strip(-RIVER_WIDTH_M))],
        "riverbank": [({"name": "长江东岸", "class": "岸线"}, bank)],
        "riverside": [({"name": "沿江带", "class": f"岸线以内{BELT_DEPTH_M} m"},
                       bank_strip(BELT_DEPTH_M))],
        "g205": [({"name": "205国道", "class": "G205"}, LineString(G205))],
        "expressway": [({"name": "宁芜高速", "class": "高速公路"}, expressway)],
        "interchanges": [({"name": name, "class": "互通立交"}, Point(line.coords[-1]))
                         for name, (_road, line) in zip(INTERCHANGES, roads, strict=True)],
        "roads": [({"name": name, "class": "主干路"}, line) for name, line in roads],
        "stations": [({"name": STATION[0], "class": "高铁站"}, Point(STATION[1]))],
        "ports": [({"name": name, "class": "港区"}, Point(bank_x(y), y)) for name, y in PORTS],
        "streets": [({"name": name, "class": "街道"}, polygon)
                    for name, polygon in zip(names, streets, strict=True)],
    }


def geojson_geometry(geometry) -> dict:
    """RFC 7946 geometry (counter-clockwise exteriors) with DECIMALS decimals."""
    mapping = shapely.geometry.mapping(shapely.orient_polygons(geometry))
    return json.loads(json.dumps(mapping), parse_float=lambda text: round(float(text), DECIMALS))


def write_layer(features: list[tuple[dict, object]], path: Path) -> None:
    """A FeatureCollection in lon/lat, one feature per line, UTF-8, LF line ends."""
    frame = gpd.GeoSeries([geometry for _props, geometry in features], crs=WORK_CRS)
    lonlat = frame.to_crs("EPSG:4326")
    lines = [json.dumps({"type": "Feature", "properties": props,
                         "geometry": geojson_geometry(geometry)},
                        ensure_ascii=False, separators=(",", ":"))
             for (props, _geometry), geometry in zip(features, lonlat, strict=True)]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_bytes(text.encode("utf-8"))


def write_manifest(folder: Path) -> None:
    """layers.json: the name, title, kind and file of every layer, in drawing order."""
    layers = [{"name": name, "title": title, "kind": kind, "file": file}
              for name, title, kind, file in LAYERS]
    text = json.dumps({"synthetic": True, "layers": layers}, ensure_ascii=False, indent=1)
    (folder / "layers.json").write_bytes((text + "\n").encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    """Generate the sample's context layers and write them with their manifest."""
    args = parse_args(argv)
    parcels = gpd.read_file(args.parcels).to_crs(WORK_CRS)
    layers = build_layers(parcels)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, _title, _kind, file in LAYERS:
        write_layer(layers[name], args.out / file)
    write_manifest(args.out)
    size = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"wrote {len(LAYERS)} synthetic context layers ({size / 1024:.0f} kB) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
