"""Read the sample district's SYNTHETIC investment-promotion pipeline (pipeline.json beside its
parcel file, made by scripts/sample_pipeline.py) into records, its dates resolved.

Dates in the file are day offsets from the day it is loaded, so overdue next actions and waiting
times mean the same whenever the sample is loaded: `D-12` is the date twelve days before `today`,
`D+5` five days after, and an instant `D-12 09:30` that day at 09:30 UTC. `{received}` in an
enquiry's reference becomes its received date (YYYYMMDD).
"""

import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from webapp.domain.pipeline import Enquiry, Problem, Project, ProjectNote

PIPELINE_FILE = "pipeline.json"
DATE_FIELDS = frozenset({"stage_since", "signed_on", "started_on", "next_action_due",
                         "due_date"})
INSTANT_FIELDS = frozenset({"received_at", "consent_at", "erased_at", "created_at",
                            "updated_at", "written_at", "solved_at"})
DAY = re.compile(r"D([+-]\d{1,5})(?: (\d\d):(\d\d))?")
RECORD_TYPES = {"enquiries": Enquiry, "projects": Project, "notes": ProjectNote,
                "problems": Problem}


@dataclass(frozen=True)
class SamplePipeline:
    """The records of a sample pipeline, ready for PipelineStore.load_records."""

    enquiries: list[Enquiry]
    projects: list[Project]
    notes: list[ProjectNote]
    problems: list[Problem]


def sample_pipeline_path(sample_path: str | Path) -> Path:
    """Where a sample district's pipeline lives: pipeline.json beside its parcel file."""
    return Path(sample_path).parent / PIPELINE_FILE


def resolve_day(text: str, today: date, with_time: bool) -> str:
    """`D-12` → ISO date; with_time, `D-12 09:30` → ISO 8601 UTC instant (ValueError if bad)."""
    match = DAY.fullmatch(text)
    if not match or bool(match.group(2)) != with_time:
        raise ValueError(f"{text!r} is not a day offset like D-12" + (" 09:30" if with_time
                                                                       else ""))
    day = today + timedelta(days=int(match.group(1)))
    if not with_time:
        return day.isoformat()
    moment = datetime(day.year, day.month, day.day, int(match.group(2)), int(match.group(3)),
                      tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def resolve_record(values: dict, today: date) -> dict:
    """One record's values with its dates resolved and lists made tuples."""
    resolved = {}
    for name, value in values.items():
        if isinstance(value, str) and name in DATE_FIELDS | INSTANT_FIELDS:
            value = resolve_day(value, today, name in INSTANT_FIELDS)
        elif isinstance(value, list):
            value = tuple(value)
        resolved[name] = value
    if "reference" in resolved:
        received = resolved["received_at"][:10].replace("-", "")
        resolved["reference"] = resolved["reference"].replace("{received}", received)
    return resolved


def build_records(kind: str, rows: list, today: date) -> list:
    """The records of one kind (a key of RECORD_TYPES); ValueError names a bad row."""
    record_type = RECORD_TYPES[kind]
    names = {f.name for f in dataclasses.fields(record_type)}
    records = []
    for number, row in enumerate(rows, start=1):
        unknown = set(row) - names
        if unknown:
            raise ValueError(f"{kind} row {number}: unknown fields {sorted(unknown)}")
        try:
            records.append(record_type(**resolve_record(row, today)))
        except (TypeError, ValueError) as error:
            raise ValueError(f"{kind} row {number}: {error}") from None
    return records


def read_sample_pipeline(path: str | Path, today: date | None = None) -> SamplePipeline:
    """The pipeline in a pipeline.json, its day offsets counted from today (UTC by default)."""
    today = today or datetime.now(UTC).date()
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    return SamplePipeline(**{kind: build_records(kind, document.get(kind, []), today)
                             for kind in RECORD_TYPES})
