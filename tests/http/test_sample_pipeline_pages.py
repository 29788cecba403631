"""The staff pages have something to show on a fresh install: with the sample pipeline loaded at
first run, the inbox, the pipeline (table and board), a project, the weekly view, the figures
and the CSV export all render it."""

import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as
from webapp.domain.pipeline import ProjectFilter

PIPELINE = Path(__file__).resolve().parents[2] / "geodata" / "sample" / "pipeline.json"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """First run of a district with the sample pipeline beside it (loaded by create_app)."""
    folder = tmp_path_factory.mktemp("sample-pages")
    shutil.copyfile(PIPELINE, folder / "pipeline.json")
    app = make_app(folder, DATA / "small.geojson", AUTO_INIT=True)
    add_staff(app)
    return app


def a_project(app, stage: str):
    projects = app.extensions["landgis.store"].pipeline.projects(ProjectFilter()).records
    return next(p for p in projects if p.stage == stage)


@pytest.mark.parametrize(("path", "text"), [
    ("/admin/enquiries", "示例"), ("/admin/enquiries?status=all", "Sample"),
    ("/admin/projects", "示例"), ("/admin/projects?view=board", "示例"),
    ("/admin/weekly", "自然资源和规划局"), ("/admin/pipeline/figures", ""),
    ("/admin/projects.csv", "示例"),
])
def test_staff_page_shows_the_sample_pipeline(app, path, text):
    response = client_as(app, "viewer").get(path, buffered=True)
    assert response.status_code == 200 and text in response.get_data(as_text=True)


@pytest.mark.parametrize("stage", ["negotiating", "signed", "dropped"])
def test_sample_project_page_shows_its_notes_and_history(app, stage):
    project = a_project(app, stage)
    html = client_as(app, "viewer").get(f"/admin/projects/{project.id}").get_data(as_text=True)
    assert project.name in html and 'data-field="created"' in html
