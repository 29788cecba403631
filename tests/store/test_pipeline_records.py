"""store.pipeline on every backend: an enquiry made a project, erasure, loading whole records,
concurrent writers, hostile text, and the tables of a store made before the pipeline."""

import threading
from dataclasses import replace

import pyogrio
import pytest

from tests.hostile import HOSTILE, hostile_items
from tests.store import pipeline_fixtures
from tests.store.layout_version import record_layout_version
from tests.store.pipeline_fixtures import (
    ACTOR,
    CONSENT,
    enquiry_values,
    project_values,
)
from webapp.domain.errors import ConflictError, NotFoundError
from webapp.domain.pipeline import (
    ENQUIRY_PERSONAL_FIELDS,
    Enquiry,
    Problem,
    ProblemFilter,
    Project,
    ProjectFilter,
    ProjectNote,
)
from webapp.store.pipeline_schema import PIPELINE_TABLES

# The shared fixtures, bound here so pytest finds them.
shared_store, pipeline = pipeline_fixtures.shared_store, pipeline_fixtures.pipeline
marker = pipeline_fixtures.marker

# Enquiry → project -------------------------------------------------------------------------

def test_enquiry_becomes_a_project_in_one_step(pipeline):
    enquiry = pipeline.add_enquiry(enquiry_values())
    project = pipeline.add_project(project_values(), ACTOR, enquiry_id=enquiry.id)
    converted = pipeline.enquiry(enquiry.id)
    assert (converted.status, converted.project_id, converted.version) == (
        "converted", project.id, 2)
    assert project.enquiry_id == enquiry.id
    assert pipeline.changes("project", project.id).records[0].source == "enquiry"
    rows = {(c.field, c.old_value, c.new_value, c.source)
            for c in pipeline.changes("enquiry", enquiry.id).records if c.version == 2}
    assert rows == {("status", "new", "converted", "enquiry"),
                    ("project_id", None, project.id, "enquiry")}


def test_enquiry_made_a_project_twice_is_a_conflict(pipeline, marker):
    enquiry = pipeline.add_enquiry(enquiry_values())
    pipeline.add_project(project_values(owner=marker), ACTOR, enquiry_id=enquiry.id)
    with pytest.raises(ConflictError) as raised:
        pipeline.add_project(project_values(owner=marker), ACTOR, enquiry_id=enquiry.id)
    assert raised.value.current == pipeline.enquiry(enquiry.id)
    assert pipeline.projects(ProjectFilter(owner=marker)).number_matched == 1


def test_project_from_an_unknown_enquiry_is_not_stored(pipeline, marker):
    with pytest.raises(NotFoundError):
        pipeline.add_project(project_values(owner=marker), ACTOR, enquiry_id=10**9)
    assert pipeline.projects(ProjectFilter(owner=marker)).number_matched == 0


# Erasure -----------------------------------------------------------------------------------

@pytest.fixture
def erased(pipeline):
    """An enquiry made a project whose contact was edited, then erased: (before, after)."""
    enquiry = pipeline.add_enquiry(enquiry_values())
    project = pipeline.add_project(project_values(), ACTOR, enquiry_id=enquiry.id)
    pipeline.update_project(project.id, {"contact": "李总 13900001111", "name": "新名称"},
                            1, ACTOR)
    return enquiry, pipeline.erase_enquiry(enquiry.id, "admin1")


def test_erase_enquiry_clears_personal_data_and_keeps_figures(erased):
    before, after = erased
    assert all(getattr(after, name) is None for name in ENQUIRY_PERSONAL_FIELDS)
    assert (after.industry, after.investment_wan, after.jobs, after.parcel_codes) == (
        before.industry, before.investment_wan, before.jobs, before.parcel_codes)
    assert (after.reference, after.received_at, after.status) == (
        before.reference, before.received_at, "converted")
    assert after.erased_by == "admin1" and after.erased_at is not None
    assert after.version == 3


def test_erase_enquiry_clears_the_project_contact(pipeline, erased):
    project = pipeline.project(erased[1].project_id)
    assert project.contact is None
    assert (project.name, project.company, project.version) == ("新名称", "安徽精工机械有限公司", 3)


def test_erase_enquiry_blanks_personal_audit_values(pipeline, erased):
    project_rows = pipeline.changes("project", erased[1].project_id).records
    contact = [c for c in project_rows if c.field == "contact"]
    assert [(c.old_value, c.new_value) for c in contact] == [(None, None)]
    assert ("name", "精密齿轮项目", "新名称") in {(c.field, c.old_value, c.new_value)
                                                for c in project_rows}
    last = pipeline.changes("enquiry", erased[1].id).records[0]
    assert (last.field, last.actor, last.source, last.version) == (
        "erased", "admin1", "erasure", 3)
    assert (last.old_value, last.new_value) == (None, None)


def test_erase_enquiry_twice_is_harmless(pipeline, erased):
    again = pipeline.erase_enquiry(erased[1].id, "admin2")
    assert again == erased[1]
    assert [c.field for c in pipeline.changes("enquiry", again.id).records].count("erased") == 1


def test_erase_enquiry_without_a_project(pipeline):
    enquiry = pipeline.add_enquiry(enquiry_values())
    after = pipeline.erase_enquiry(enquiry.id, "admin1")
    assert after.company is None and after.version == 2 and after.project_id is None


# Hostile text and typed values ---------------------------------------------------------------

@pytest.mark.parametrize(("name", "text"), hostile_items(), ids=list(HOSTILE))
def test_hostile_text_is_stored_verbatim(pipeline, name, text):
    enquiry = pipeline.add_enquiry(enquiry_values(company=text, message=text, requirement=text,
                                                  parcel_codes=(text,)))
    assert (enquiry.company, enquiry.message, enquiry.requirement, enquiry.parcel_codes) == (
        text, text, text, (text,))
    project = pipeline.add_project(project_values(name=text, parcel_codes=(text,)), ACTOR)
    project = pipeline.update_project(project.id, {"next_action": text}, 1, text)
    assert (project.name, project.next_action, project.parcel_codes) == (text, text, (text,))
    assert pipeline.projects(ProjectFilter(parcel_code=text)).records[0].id == project.id
    assert pipeline.add_note(project.id, text, text).text == text
    assert pipeline.notes(project.id)[0].author == text
    problem = pipeline.add_problem({"parcel_code": text, "title": text, "department": text,
                                    "notes": text}, ACTOR)
    assert pipeline.problems(ProblemFilter(parcel_code=text, department=text)) == [problem]
    change = pipeline.changes("project", project.id).records[0]
    assert (change.actor, change.old_value, change.new_value) == (text, "约谈企业", text)


def test_audit_values_keep_their_types(pipeline):
    project = pipeline.add_project(project_values(investment_wan=None, jobs=None), ACTOR)
    pipeline.update_project(project.id, {"investment_wan": 2500, "jobs": 12}, 1, ACTOR)
    values = {c.field: c.new_value for c in pipeline.changes("project", project.id).records}
    assert values["investment_wan"] == 2500.0 and isinstance(values["investment_wan"], float)
    assert values["jobs"] == 12 and isinstance(values["jobs"], int)
    problem = pipeline.add_problem({"parcel_code": "GX-1", "title": "t", "department": "d"},
                                   ACTOR)
    pipeline.update_problem(problem.id, {"public": True}, 1, ACTOR)
    assert pipeline.changes("problem", problem.id).records[0].new_value is True


# Concurrent writers --------------------------------------------------------------------------

def run_together(*calls):
    """Run the calls in threads started at once; each one's result or exception."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 (the test looks at it)
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_writers_with_one_version_exactly_one_wins(pipeline):
    project = pipeline.add_project(project_values(), ACTOR)
    results = run_together(
        lambda: pipeline.update_project(project.id, {"jobs": 1}, 1, "first"),
        lambda: pipeline.update_project(project.id, {"jobs": 2}, 1, "second"))
    won = [r for r in results if isinstance(r, Project)]
    assert len(won) == 1 and sum(isinstance(r, ConflictError) for r in results) == 1
    assert pipeline.project(project.id) == won[0] and won[0].version == 2
    assert [c.field for c in pipeline.changes("project", project.id).records] == [
        "jobs", "created"]


def test_two_conversions_of_one_enquiry_exactly_one_wins(pipeline, marker):
    enquiry = pipeline.add_enquiry(enquiry_values())
    results = run_together(*(lambda: pipeline.add_project(project_values(owner=marker), ACTOR,
                                                          enquiry_id=enquiry.id),) * 2)
    assert sum(isinstance(r, Project) for r in results) == 1
    assert sum(isinstance(r, ConflictError) for r in results) == 1
    assert pipeline.projects(ProjectFilter(owner=marker)).number_matched == 1


# Whole records and the schema ----------------------------------------------------------------

@pytest.fixture
def fresh(store):
    """The four-parcel store of each backend with its full schema and an empty pipeline."""
    store.ensure_schema()
    return store


def sample_records():
    enquiry = Enquiry(id=70, reference="ZS-20250102-ABCDEF",
                      received_at="2025-01-02T03:00:00+00:00", parcel_codes=("GX-001",),
                      company="C", contact_name="N", phone=None,
                      email="a@b.c", industry="logistics", investment_wan=10.0, jobs=3,
                      message="m", language="en", requirement=None, consent_at=CONSENT,
                      status="converted", project_id=900, version=2)
    signed = Project(id=900, name="Signed", company="C", contact=None, industry="logistics",
                     investment_wan=25000.0, jobs=40, stage="signed", stage_since="2025-06-01",
                     signed_on="2025-06-01", started_on=None, drop_reason=None, street="S",
                     parcel_codes=("GX-001", "GX-002"), owner="o", next_action=None,
                     next_action_due=None, enquiry_id=70, created_at="2025-01-05T00:00:00+00:00",
                     updated_at="2025-06-01T00:00:00+00:00", version=4)
    lead = replace(signed, id=901, name="Lead", stage="lead", signed_on=None, enquiry_id=None,
                   parcel_codes=(), updated_at="2025-07-01T00:00:00+00:00", version=1)
    note = ProjectNote(id=5, project_id=900, written_at="2025-02-01T00:00:00+00:00", author="o",
                       text="visited")
    problem = Problem(id=8, project_id=901, parcel_code=None, title="P", department="D",
                      due_date="2025-08-01", status="open", notes=None, public=False,
                      created_at="2025-07-01T00:00:00+00:00",
                      updated_at="2025-07-01T00:00:00+00:00", solved_at=None)
    return [enquiry], [signed, lead], [note], [problem]


def test_load_records_remaps_ids_and_keeps_values(fresh):
    store_pipeline = fresh.pipeline
    (enquiry,), (signed, lead), (note,), (problem,) = sample_records()
    store_pipeline.load_records([enquiry], [signed, lead], [note], [problem], "sample")
    projects = store_pipeline.projects(ProjectFilter()).records
    assert [p.name for p in projects] == ["Lead", "Signed"]  # most recently updated first
    new_lead, new_signed = projects
    (new_enquiry,) = store_pipeline.enquiries().records
    assert new_signed == replace(signed, id=new_signed.id, enquiry_id=new_enquiry.id)
    assert new_enquiry == replace(enquiry, id=new_enquiry.id, project_id=new_signed.id)
    (new_note,) = store_pipeline.notes(new_signed.id)
    assert new_note == replace(note, id=new_note.id, project_id=new_signed.id)
    (new_problem,) = store_pipeline.problems(ProblemFilter(project_id=new_lead.id))
    assert new_problem == replace(problem, id=new_problem.id, project_id=new_lead.id)
    created = store_pipeline.changes(limit=10).records
    assert [(c.record, c.changed_at) for c in created] == [
        ("problem", "2025-07-01T00:00:00+00:00"), ("project", "2025-01-05T00:00:00+00:00"),
        ("project", "2025-01-05T00:00:00+00:00"), ("enquiry", "2025-01-02T03:00:00+00:00")]
    assert {(c.field, c.actor, c.source) for c in created} == {("created", "sample", "form")}
    with pytest.raises(ValueError):
        store_pipeline.load_records([], [lead], [], [], "sample")


def test_load_records_refuses_links_to_records_not_given(fresh):
    (enquiry,), (signed, _), _, _ = sample_records()
    with pytest.raises(ValueError):
        fresh.pipeline.load_records([enquiry], [replace(signed, id=1)], [], [], "sample")
    assert fresh.pipeline.enquiries().number_matched == 0  # one transaction: nothing stayed


def drop_pipeline_tables(store):
    """Make the store look like one written before the pipeline existed (layout version 1,
    whose baseline migration adds what its layout lacks)."""
    if hasattr(store, "location"):
        with store.database.transaction() as conn:
            for table in PIPELINE_TABLES:
                conn.execute(f"DROP TABLE {store.location.table(table)}")
        record_layout_version(store, 1)
        return
    with store.database.write_transaction() as db:
        for table in PIPELINE_TABLES:
            db.execute(f"DROP TABLE {table}")
            db.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (table,))
            db.execute("DELETE FROM gpkg_extensions WHERE table_name = ?", (table,))
    record_layout_version(store, 1)


def test_ensure_schema_adds_the_pipeline_to_an_older_store(fresh):
    drop_pipeline_tables(fresh)
    fresh.ensure_schema()
    enquiry = fresh.pipeline.add_enquiry(enquiry_values())
    assert fresh.pipeline.enquiry(enquiry.id) == enquiry
    fresh.ensure_schema()  # idempotent
    assert fresh.pipeline.enquiries().number_matched == 1


def test_geopackage_pipeline_tables_are_not_layers(gpkg):
    gpkg.pipeline.add_project(project_values(), ACTOR)
    layers = {name for name, _ in pyogrio.list_layers(gpkg.path)}
    assert layers.isdisjoint(PIPELINE_TABLES)
    assert "parcels" in layers
    with gpkg.database.read() as db:
        kinds = {row[0] for row in db.execute(
            "SELECT data_type FROM gpkg_contents WHERE table_name IN "
            f"({', '.join('?' * len(PIPELINE_TABLES))})", PIPELINE_TABLES)}
    assert kinds == {"landgis_pipeline"}
