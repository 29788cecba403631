"""A bureau file whose land-use column speaks another vocabulary (住宅區, 商業區, R-1), for the
web mapping step's tests: built as GeoJSON near the test district."""

import json
from pathlib import Path

VOCABULARY_ROWS = (("M-001", "住宅區"), ("M-002", "住宅區"), ("M-003", "住宅區"),
                   ("M-004", "商業區"), ("M-005", "R-1"))
FIELDS = ("宗地编号", "用地性質", "状态")


def square(index: int) -> dict:
    """A 100 m square near 马鞍山, one per index, side by side."""
    lon0, lat0, step = 118.505 + 0.0015 * index, 31.705, 0.001
    ring = [[lon0, lat0], [lon0 + step, lat0], [lon0 + step, lat0 + step],
            [lon0, lat0 + step], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


def write_vocabulary_file(folder: Path, rows=VOCABULARY_ROWS, name: str = "bureau.geojson",
                          status: str = "可供", code_field: str = "宗地编号") -> Path:
    """A GeoJSON of (code, land-use word) rows with the fields 宗地编号 (or `code_field`),
    用地性質, 状态."""
    features = [{"type": "Feature", "geometry": square(index),
                 "properties": {code_field: code, "用地性質": land_use, "状态": status}}
                for index, (code, land_use) in enumerate(rows)]
    path = folder / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                               ensure_ascii=False), encoding="utf-8")
    return path
