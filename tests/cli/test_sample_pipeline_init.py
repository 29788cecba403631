"""The sample district's synthetic pipeline (pipeline.json beside its parcel file) is loaded with
its context layers, by `landgis init` and by the first-run seeding, into an empty pipeline only,
and never for a district without one (loading itself, on both backends:
tests/store/test_sample_pipeline_load.py)."""

import shutil

from tests.conftest import DATA, make_app
from webapp.cli import main
from webapp.domain.pipeline import ProblemFilter, ProjectFilter
from webapp.importing.sample_pipeline import read_sample_pipeline
from webapp.services import load_sample_pipeline_into

ROOT = DATA.parents[1]
PIPELINE = ROOT / "geodata" / "sample" / "pipeline.json"
EXPECTED = read_sample_pipeline(PIPELINE)


def district_with_pipeline(folder):
    """A district folder: the four test parcels with the sample pipeline beside them."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PIPELINE, folder / "pipeline.json")
    return folder


def counts(store) -> tuple[int, int, int, int]:
    pipeline = store.pipeline
    projects = pipeline.projects(ProjectFilter()).records
    notes = sum(len(pipeline.notes(p.id)) for p in projects)
    return (pipeline.enquiries(limit=1000).number_matched, len(projects), notes,
            len(pipeline.problems(ProblemFilter())))


def expected_counts() -> tuple[int, int, int, int]:
    return (len(EXPECTED.enquiries), len(EXPECTED.projects), len(EXPECTED.notes),
            len(EXPECTED.problems))


def test_a_district_without_a_pipeline_file_gets_none(small_store):
    assert load_sample_pipeline_into(small_store, DATA / "small.geojson") == 0
    assert small_store.pipeline.projects(ProjectFilter()).number_matched == 0


def test_first_run_seeding_loads_the_pipeline(tmp_path):
    folder = district_with_pipeline(tmp_path / "app")
    app = make_app(folder, DATA / "small.geojson", AUTO_INIT=True)  # AUTO_INIT: not a snapshot
    assert counts(app.extensions["landgis.store"]) == expected_counts()


def test_init_loads_the_sample_pipeline_once(runner, tmp_path, monkeypatch):
    folder = district_with_pipeline(tmp_path / "sample")
    shutil.copyfile(DATA / "small.geojson", folder / "parcels.geojson")
    monkeypatch.setenv("LANDGIS_SAMPLE_PATH", str(folder / "parcels.geojson"))
    result = runner.invoke(main, ["init"])
    assert f"Loaded the sample pipeline: {len(EXPECTED.projects)} synthetic projects." in (
        result.output), result.output
    again = runner.invoke(main, ["init", "--force"])
    assert again.exit_code == 0 and "sample pipeline" not in again.output, again.output
    check = make_app(tmp_path / "check", DATA / "small.geojson",
                     INSTANCE_PATH=str(tmp_path / "instance"))
    assert counts(check.extensions["landgis.store"]) == expected_counts()
