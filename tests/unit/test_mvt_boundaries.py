"""What keeps the tile encoder one encoder: mapbox-vector-tile is a test oracle, never a part of
the app; the compiled modules stand alone, as numba's disk cache needs."""

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEBAPP = ROOT / "webapp"
# numba's cache notices a change in a compiled function's own file only: a compiled module that
# called another's functions would keep running their old machine code after an edit.
COMPILED_MODULES = ["mvt_commands.py", "mvt_messages.py"]


def imported_modules(path: Path) -> set[str]:
    """The modules a Python file imports (relative ones with their leading dots)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


def test_no_webapp_module_names_mapbox_vector_tile():
    """Not imported, nor named for importlib (prose says mapbox-vector-tile)."""
    naming = [str(path.relative_to(ROOT)) for path in sorted(WEBAPP.rglob("*.py"))
              if "mapbox_vector_tile" in path.read_text(encoding="utf-8")]
    assert naming == []


def test_writing_tiles_leaves_mapbox_vector_tile_unimported():
    code = """
import sys
import shapely
from webapp import create_app
from webapp.domain.parcel import Parcel
from webapp.tiles import projected
from webapp.tiles.grid import tile_containing
from webapp.tiles.mvt import encode_parcel_tile
projected.warm_up()
tile = tile_containing(118.51, 31.70, 16)
parcel = Parcel(id=1, code="a", land_use="0701", status="sold", area_m2=1.0,
                geometry=shapely.Point(118.51, 31.70).buffer(0.0001))
assert encode_parcel_tile([parcel], tile)
print(sorted(name for name in sys.modules if name.startswith("mapbox_vector_tile")))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=300, check=False)
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr


def test_warm_up_compiles_every_loop_tiles_then_use():
    """A server's first tiles after projected.warm_up() compile nothing more (or load nothing
    more from numba's cache): band rows as the GeoPackage store reads them, parcel records,
    an empty tile."""
    code = """
import numpy as np
import shapely
from webapp.domain.parcel import Parcel
from webapp.tiles import compiled_commands, compiled_messages, projected
from webapp.tiles.grid import tile_containing
from webapp.tiles.mvt import encode_mercator_tile, encode_parcel_tile
from webapp.tiles.mercator import mercator_polygons
projected.warm_up()
loops = [getattr(module, name) for module, names in (
    (compiled_commands(), ["geometry_commands", "plain_plot_commands"]),
    (compiled_messages(), ["values_table", "layer_message"])) for name in names]
warm = [len(loop.signatures) for loop in loops]
tile = tile_containing(118.51, 31.70, 14)
outlines = [shapely.Point(118.51, 31.70).buffer(0.001 * k, 2 + k) for k in range(1, 4)]
parcels = [Parcel(id=k, code=f"G{k}", land_use="0701", status=None if k == 2 else "sold",
                  area_m2=1000.0 * k, geometry=g) for k, g in enumerate(outlines, 1)]
rows = {"fid": np.array([1, 2, 3], np.int64), "code": np.array(["a", "b", None], object),
        "land_use": np.array(["0701"] * 3, object), "status": np.array(["sold"] * 3, object),
        "area_m2": np.array([1.0, 2.0, 3.0]),
        "wkb": shapely.to_wkb(mercator_polygons(np.array(outlines, dtype=object)))}
encode_mercator_tile(rows, tile)
encode_mercator_tile({key: column[:0] for key, column in rows.items()}, tile)
encode_parcel_tile(parcels, tile)
encode_parcel_tile([], tile)
print(warm, [len(loop.signatures) for loop in loops])
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[1, 1, 1, 1] [1, 1, 1, 1]"


@pytest.mark.parametrize("name", COMPILED_MODULES)
def test_compiled_module_calls_only_its_own_functions(name):
    assert imported_modules(WEBAPP / "tiles" / name) <= {"numba", "numpy"}


def requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower()
            for requirement in requirements}


def test_mapbox_vector_tile_is_a_test_dependency_only():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "mapbox-vector-tile" not in requirement_names(project["dependencies"])
    assert "mapbox-vector-tile" in requirement_names(project["optional-dependencies"]["test"])
