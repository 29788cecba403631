"""`landgis context import|list|delete`, the sample's context layers at `landgis init`, and the
street fill of `landgis import`."""

import json
import shutil

import pytest

from tests.conftest import DATA, make_app
from tests.importing.context_files import gbk_points_zip, roads_geojson, street_boundaries
from webapp.cli import main


def stored(tmp_path):
    """The store the runner's landgis wrote (opened by a separate app)."""
    app = make_app(tmp_path / "check", DATA / "small.geojson",
                   INSTANCE_PATH=str(tmp_path / "instance"))
    return app.extensions["landgis.store"]


@pytest.fixture
def ready(runner):
    """The runner after `landgis init` on the four test parcels."""
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    return runner


def test_context_import_writes_the_layer(ready, tmp_path):
    result = ready.invoke(main, ["context", "import", "roads", str(roads_geojson(tmp_path)),
                                 "--kind", "road", "--title", "主干道路"])
    assert result.exit_code == 0, result.output
    assert "Imported context layer roads (road): 2 features." in result.output
    assert stored(tmp_path).context.layer("roads").title == "主干道路"


def test_context_import_reports_encoding_and_fields(ready, tmp_path):
    result = ready.invoke(main, ["context", "import", "ic", str(gbk_points_zip(tmp_path)),
                                 "--kind", "interchange", "--title", "互通", "--dry-run"])
    assert "Text encoding: gb18030" in result.output
    assert "Fields: 名称 → name, 等级 → feature_class" in result.output
    assert "Dry run: nothing was written." in result.output


def test_context_import_dry_run_writes_nothing(ready, tmp_path):
    ready.invoke(main, ["context", "import", "roads", str(roads_geojson(tmp_path)), "--kind",
                        "road", "--title", "道路", "--dry-run"])
    assert stored(tmp_path).context.layers() == []


@pytest.mark.parametrize(("arguments", "message"), [
    (["--kind", "port", "--title", "港口"], "holds no point layer"),
    (["--kind", "road", "--title", "道路", "--name-field", "MC"], "no field “MC”"),
    (["--kind", "road", "--title", " "], "title: a layer title needs 1-80 characters"),
    (["--kind", "road", "--title", "道路", "--crs", "EPSG:4549"], "outside the service area"),
])
def test_context_import_bad_input_is_a_clear_error(ready, tmp_path, arguments, message):
    result = ready.invoke(main, ["context", "import", "roads", str(roads_geojson(tmp_path)),
                                 *arguments])
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Nothing was written." in result.output and "Traceback" not in result.output


def test_context_import_unknown_kind_is_a_usage_error(ready, tmp_path):
    result = ready.invoke(main, ["context", "import", "roads", str(roads_geojson(tmp_path)),
                                 "--kind", "volcano", "--title", "火山"])
    assert result.exit_code == 2 and "'volcano' is not one of" in result.output


def test_context_import_bad_name_is_refused(ready, tmp_path):
    result = ready.invoke(main, ["context", "import", "Roads!", str(roads_geojson(tmp_path)),
                                 "--kind", "road", "--title", "道路"])
    assert result.exit_code == 1 and "layer name “Roads!” must be" in result.output


def test_context_list_before_init_is_an_error(runner, monkeypatch):
    monkeypatch.setenv("LANDGIS_AUTO_INIT", "false")
    result = runner.invoke(main, ["context", "list"])
    assert result.exit_code == 1 and "run `landgis init` first" in result.output


def test_context_list_shows_each_layer(ready, tmp_path):
    ready.invoke(main, ["context", "import", "roads", str(roads_geojson(tmp_path)), "--kind",
                        "road", "--title", "主干道路"])
    line = ready.invoke(main, ["context", "list"]).output.splitlines()[-1]
    assert line.split()[:4] == ["roads", "road", "2", "主干道路"]


def test_context_list_says_when_there_is_none(ready):
    assert "No context layers yet" in ready.invoke(main, ["context", "list"]).output


def test_context_delete_removes_the_layer(ready, tmp_path):
    ready.invoke(main, ["context", "import", "roads", str(roads_geojson(tmp_path)), "--kind",
                        "road", "--title", "道路"])
    result = ready.invoke(main, ["context", "delete", "roads"], input="y\n")
    assert "Deleted context layer roads." in result.output
    assert stored(tmp_path).context.layer("roads") is None


def test_context_delete_unknown_layer_is_an_error(ready):
    result = ready.invoke(main, ["context", "delete", "nope", "--yes"])
    assert result.exit_code == 1 and "No context layer is named “nope”." in result.output


def test_init_loads_the_sample_context_layers(runner, tmp_path, monkeypatch):
    sample = tmp_path / "sample"
    (sample / "context").mkdir(parents=True)
    shutil.copyfile(DATA / "small.geojson", sample / "parcels.geojson")
    street_boundaries(sample / "context")
    (sample / "context" / "layers.json").write_text(json.dumps({"layers": [
        {"name": "streets", "title": "街道界线", "kind": "street_boundary",
         "file": "streets.geojson"}]}), encoding="utf-8")
    monkeypatch.setenv("LANDGIS_SAMPLE_PATH", str(sample / "parcels.geojson"))
    result = runner.invoke(main, ["init"])
    assert "Loaded 1 context layers: streets (2)." in result.output, result.output
    assert stored(tmp_path).context.layer("streets").feature_count == 2


def test_import_fills_missing_streets_from_boundaries(ready, tmp_path):
    ready.invoke(main, ["context", "import", "streets", str(street_boundaries(tmp_path)),
                        "--kind", "street_boundary", "--title", "街道界线"])
    data = json.loads((DATA / "small.geojson").read_text(encoding="utf-8"))
    data["features"][3]["properties"]["street"] = None
    path = tmp_path / "no_street.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = ready.invoke(main, ["import", str(path)])
    assert "Street filled from boundaries: 1" in result.output, result.output
    assert stored(tmp_path).get("T-004").street == "塘西街道"
