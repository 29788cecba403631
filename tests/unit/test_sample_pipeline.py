"""Checks of the sample district's SYNTHETIC pipeline (geodata/sample/pipeline.json) and of its
generator and reader: reproducible, consistent with the sample parcels, clearly invented, and
meaningful (overdue actions, waiting times) whenever it is loaded."""

import json
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from webapp.domain.pipeline import (
    ENQUIRY_STATUSES,
    INDUSTRIES,
    PROBLEM_STATUSES,
    STAGES,
)
from webapp.importing.sample_pipeline import read_sample_pipeline, resolve_day

ROOT = Path(__file__).resolve().parents[2]
FILE = ROOT / "geodata" / "sample" / "pipeline.json"
PARCELS = ROOT / "geodata" / "sample" / "parcels.geojson"
SCRIPT = ROOT / "scripts" / "sample_pipeline.py"
TODAY = date(2027, 3, 15)  # any load date: the file holds offsets from it
MAJOR_WAN = 10000.0  # PIPELINE_MAJOR_WAN's default
PARCEL_STATUS = {"negotiating": "negotiating", "signed": "sold", "started": "sold",
                 "producing": "sold", "dropped": "available", "lead": "available"}
FICTIONAL_MOBILE = re.compile(r"1380000\d{4}")


@pytest.fixture(scope="module")
def sample():
    return read_sample_pipeline(FILE, TODAY)


@pytest.fixture(scope="module")
def parcels() -> dict[str, dict]:
    features = json.loads(PARCELS.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["code"]: f["properties"] for f in features}


def test_sample_pipeline_regenerates_byte_for_byte(tmp_path):
    out = tmp_path / "pipeline.json"
    result = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == FILE.read_bytes()


def test_sample_pipeline_is_small_and_says_it_is_synthetic():
    assert FILE.stat().st_size < 100 * 1024
    assert json.loads(FILE.read_text(encoding="utf-8"))["about"].startswith("SYNTHETIC")


def test_sample_pipeline_has_a_few_dozen_projects_in_every_stage(sample):
    assert 24 <= len(sample.projects) <= 60
    assert {p.stage for p in sample.projects} == set(STAGES)
    assert {p.industry for p in sample.projects} <= set(INDUSTRIES)
    assert len({p.industry for p in sample.projects}) >= 6


def test_sample_pipeline_projects_span_two_years(sample):
    created = [date.fromisoformat(p.created_at[:10]) for p in sample.projects]
    assert TODAY - timedelta(days=731) <= min(created) < TODAY - timedelta(days=365)


def test_sample_pipeline_has_major_projects(sample):
    majors = [p for p in sample.projects if (p.investment_wan or 0) >= MAJOR_WAN]
    assert 3 <= len(majors) < len(sample.projects) / 2


def test_sample_pipeline_dropped_projects_give_a_reason(sample):
    for project in sample.projects:
        assert bool(project.drop_reason) == (project.stage == "dropped"), project.name


def test_sample_pipeline_parcel_codes_exist(sample, parcels):
    codes = [c for r in [*sample.projects, *sample.enquiries] for c in r.parcel_codes]
    codes += [p.parcel_code for p in sample.problems if p.parcel_code]
    assert codes and set(codes) <= set(parcels)


def test_sample_pipeline_projects_match_their_parcels(sample, parcels):
    for project in sample.projects:
        for code in project.parcel_codes:
            assert parcels[code]["street"] == project.street, project.name
            assert parcels[code]["status"] == PARCEL_STATUS[project.stage], project.name


def test_sample_pipeline_gives_a_parcel_to_one_active_project(sample):
    codes = [c for p in sample.projects if p.stage != "dropped" for c in p.parcel_codes]
    assert len(codes) == len(set(codes))


def test_sample_pipeline_stage_dates_follow_each_other(sample):
    for p in sample.projects:
        dates = [p.created_at[:10], p.signed_on, p.started_on, p.stage_since, p.updated_at[:10]]
        known = [d for d in dates if d]
        assert known == sorted(known) and known[-1] < TODAY.isoformat(), p.name
        if p.stage in ("signed", "started", "producing"):
            assert p.signed_on, p.name
        if p.stage in ("started", "producing"):
            assert p.started_on, p.name


def test_sample_pipeline_has_overdue_and_upcoming_next_actions(sample):
    dues = [p.next_action_due for p in sample.projects if p.next_action_due]
    assert any(d < TODAY.isoformat() for d in dues) and any(d >= TODAY.isoformat() for d in dues)


def test_sample_pipeline_enquiries_link_to_their_projects(sample):
    projects = {p.id: p for p in sample.projects}
    converted = [e for e in sample.enquiries if e.status == "converted"]
    assert converted and {e.status for e in sample.enquiries} == set(ENQUIRY_STATUSES)
    for enquiry in converted:
        project = projects[enquiry.project_id]
        assert project.enquiry_id == enquiry.id and enquiry.company == project.company
        assert enquiry.received_at < project.created_at
    linked = {p.enquiry_id for p in sample.projects if p.enquiry_id}
    assert linked == {e.id for e in converted}


def test_sample_pipeline_enquiries_are_recent_enough_to_answer(sample):
    new = [e for e in sample.enquiries if e.status == "new"]
    assert new and all(e.received_at[:10] >= (TODAY - timedelta(days=30)).isoformat()
                       for e in new)


def test_sample_pipeline_references_carry_the_received_date(sample):
    for enquiry in sample.enquiries:
        assert re.fullmatch(r"ZS-\d{8}-[A-HJ-NP-Z2-9]{6}", enquiry.reference)
        assert enquiry.reference[3:11] == enquiry.received_at[:10].replace("-", "")
    assert len({e.reference for e in sample.enquiries}) == len(sample.enquiries)


def test_sample_pipeline_people_and_companies_are_fictional(sample):
    for enquiry in sample.enquiries:
        assert enquiry.company.startswith(("示例", "Sample ")), enquiry.company
        assert "示例" in enquiry.contact_name or enquiry.contact_name.startswith("Sample ")
        assert enquiry.phone is None or FICTIONAL_MOBILE.fullmatch(enquiry.phone)
        assert enquiry.email is None or enquiry.email.endswith("@example.com")
        assert enquiry.phone or enquiry.email
    for project in sample.projects:
        assert project.company.startswith("示例") and project.name.startswith("示例")
        assert re.search(r"（示例） 138 0000 \d{4}$", project.contact), project.contact


def test_sample_pipeline_instants_lie_in_the_past(sample):
    instants = [e.received_at for e in sample.enquiries] + [n.written_at for n in sample.notes]
    instants += [p.created_at for p in [*sample.projects, *sample.problems]]
    assert max(instants) < TODAY.isoformat()


def test_sample_pipeline_notes_follow_their_project(sample):
    projects = {p.id: p for p in sample.projects}
    assert len(sample.notes) >= len(sample.projects)
    for note in sample.notes:
        assert note.written_at >= projects[note.project_id].created_at
        assert note.author == projects[note.project_id].owner


def test_sample_pipeline_problems_by_department(sample):
    assert {p.status for p in sample.problems} == set(PROBLEM_STATUSES)
    departments = {p.department for p in sample.problems}
    assert {"自然资源和规划局", "住建局", "生态环境分局", "供电公司"} <= departments
    assert any(d.endswith("街道") for d in departments)
    for problem in sample.problems:
        assert (problem.project_id is None) != (problem.parcel_code is None)
        assert (problem.solved_at is not None) == (problem.status == "solved")


def test_sample_pipeline_has_overdue_problems_of_signed_projects(sample):
    signed = {p.id for p in sample.projects if p.stage == "signed"}
    overdue = [p for p in sample.problems if p.status == "open" and p.due_date
               and p.due_date < TODAY.isoformat()]
    assert any(p.project_id in signed for p in overdue)


def test_sample_pipeline_public_problems_are_parcel_problems(sample):
    public = [p for p in sample.problems if p.public]
    assert public and all(p.parcel_code for p in public)
    assert any(p.parcel_code and not p.public for p in sample.problems)


@pytest.mark.parametrize(("text", "with_time", "expected"), [
    ("D-12", False, "2027-03-03"), ("D+0", False, "2027-03-15"), ("D+20", False, "2027-04-04"),
    ("D-1 09:30", True, "2027-03-14T09:30:00+00:00"),
])
def test_resolve_day_counts_from_the_load_date(text, with_time, expected):
    assert resolve_day(text, TODAY, with_time) == expected


@pytest.mark.parametrize(("text", "with_time"), [
    ("2027-03-03", False), ("D-12 09:30", False), ("D-12", True), ("D12", False), ("", False),
    ("D-1 9:30", True),
])
def test_resolve_day_refuses_other_text(text, with_time):
    with pytest.raises(ValueError, match="day offset"):
        resolve_day(text, TODAY, with_time)


def test_read_sample_pipeline_names_an_unknown_field(tmp_path):
    path = tmp_path / "pipeline.json"
    path.write_text(json.dumps({"notes": [{"id": 1, "colour": "red"}]}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"notes row 1: unknown fields \['colour'\]"):
        read_sample_pipeline(path, TODAY)
