"""The sample district's synthetic pipeline (geodata/sample/pipeline.json) loads into each
backend's empty pipeline whole: every record, its links remapped, its dates counted from today,
one `created` audit row per record; a second load adds nothing."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from webapp.domain.pipeline import ProblemFilter, ProjectFilter
from webapp.importing.sample_pipeline import read_sample_pipeline
from webapp.services import SAMPLE_ACTOR, load_sample_pipeline_into

SAMPLE = Path(__file__).resolve().parents[2] / "geodata" / "sample" / "parcels.geojson"
EXPECTED = read_sample_pipeline(SAMPLE.parent / "pipeline.json")


@pytest.fixture
def loaded(store):
    """A store of each backend with the sample pipeline loaded."""
    assert load_sample_pipeline_into(store, SAMPLE) == len(EXPECTED.projects)
    return store


def counts(store) -> tuple[int, int, int, int]:
    pipeline = store.pipeline
    projects = pipeline.projects(ProjectFilter()).records
    return (pipeline.enquiries(limit=1000).number_matched, len(projects),
            sum(len(pipeline.notes(p.id)) for p in projects),
            len(pipeline.problems(ProblemFilter())))


def test_sample_pipeline_loads_every_record(loaded):
    assert counts(loaded) == (len(EXPECTED.enquiries), len(EXPECTED.projects),
                              len(EXPECTED.notes), len(EXPECTED.problems))


def test_sample_pipeline_keeps_its_links(loaded):
    pipeline = loaded.pipeline
    converted = pipeline.enquiries(status="converted", limit=1000).records
    assert len(converted) == sum(e.status == "converted" for e in EXPECTED.enquiries)
    for enquiry in converted:
        project = pipeline.project(enquiry.project_id)
        assert project.enquiry_id == enquiry.id and project.company == enquiry.company
    titles = {p.id: p.name for p in pipeline.projects(ProjectFilter()).records}
    problems = [p for p in pipeline.problems(ProblemFilter()) if p.project_id]
    expected = {p.id: p.name for p in EXPECTED.projects}
    assert sorted(titles[p.project_id] for p in problems) == sorted(
        expected[p.project_id] for p in EXPECTED.problems if p.project_id)


def test_sample_pipeline_dates_are_counted_from_today(loaded):
    today = datetime.now(UTC).date()
    projects = loaded.pipeline.projects(ProjectFilter()).records
    dues = [p.next_action_due for p in projects if p.next_action_due]
    assert any(d < today.isoformat() for d in dues) and any(d >= today.isoformat() for d in dues)
    assert min(p.created_at for p in projects) >= (today - timedelta(days=731)).isoformat()
    assert {p.stage for p in projects} == {p.stage for p in EXPECTED.projects}


def test_sample_pipeline_is_audited_as_created(loaded):
    page = loaded.pipeline.changes(limit=1000)
    assert {(c.field, c.actor) for c in page.records} == {("created", SAMPLE_ACTOR)}
    assert page.number_matched == (len(EXPECTED.enquiries) + len(EXPECTED.projects)
                                   + len(EXPECTED.problems))


def test_sample_pipeline_loads_only_into_an_empty_pipeline(loaded):
    before = counts(loaded)
    assert load_sample_pipeline_into(loaded, SAMPLE) == 0
    assert counts(loaded) == before
