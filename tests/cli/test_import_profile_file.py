"""A saved import profile downloaded from the web is a mapping file `landgis import --mapping`
reads: the same bureau layout imports on the command line with the profile's value mapping."""

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as
from tests.importing.mapping_files import write_vocabulary_file
from webapp.cli import main


def test_downloaded_profile_imports_on_the_cli(runner, tmp_path):
    app = make_app(tmp_path / "web", DATA / "small.geojson",
                   INSTANCE_PATH=str(tmp_path / "instance"))
    add_staff(app)
    store = app.extensions["landgis.store"]
    profile = store.import_profiles.add("自然资源局 monthly", ["宗地编号", "用地性質", "状态"], {
        "fields": {"用地性質": "land_use"},
        "values": {"land_use": {"住宅區": "0701", "商業區": "0901"}},
        "others": {"land_use": "1209"}, "defaults": {}, "fixed": {"street": "塘西街道"}},
        "eddie")
    download = client_as(app, "editor").get(f"/imports/profiles/{profile.id}/mapping.json")
    mapping_file = tmp_path / "profile.json"
    mapping_file.write_bytes(download.get_data())
    bureau = write_vocabulary_file(tmp_path)
    result = runner.invoke(main, ["import", str(bureau), "--mode", "upsert",
                                  "--mapping", str(mapping_file)])
    assert result.exit_code == 0, result.output
    stored = make_app(tmp_path / "check", DATA / "small.geojson",
                      INSTANCE_PATH=str(tmp_path / "instance")).extensions["landgis.store"]
    parcels = [stored.get(f"M-00{i}", include_drafts=True) for i in range(1, 6)]
    assert [p.land_use for p in parcels] == ["0701", "0701", "0701", "0901", "1209"]
    assert {p.street for p in parcels} == {"塘西街道"}
