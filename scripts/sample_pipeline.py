"""Generate the SYNTHETIC investment-promotion pipeline of the sample district
(geodata/sample/pipeline.json): enquiries, projects, their notes and problems.

Consistent with the sample parcels (geodata/sample/parcels.geojson): every parcel code exists,
a project's street is its parcels' street, negotiating projects hold parcels marked 洽谈中 and
signed, started or producing ones parcels marked 已出让; dropped ones held available parcels.
Every date is a day offset from the day the file is loaded ("D-12", "D+5"; instants
"D-12 09:30", UTC), so overdue next actions and waiting times stay meaningful whenever the sample
is loaded (webapp/importing/sample_pipeline.py resolves them). Companies and people are
invented (示例 / Sample), phones are 138 0000 xxxx, e-mail example.com. Same seed, same bytes.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import sample_pipeline_texts as texts  # sibling module: scripts/ is on sys.path

from webapp.domain.pipeline import INDUSTRIES

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PARCELS = REPO_ROOT / "geodata" / "sample" / "parcels.geojson"
DEFAULT_OUT = REPO_ROOT / "geodata" / "sample" / "pipeline.json"
DEFAULT_SEED = 20261207
# How many projects end at each stage (a few dozen over the last two years).
STAGE_PLAN = {"lead": 7, "negotiating": 9, "signed": 8, "started": 6, "producing": 3,
              "dropped": 4}
PATH = ("lead", "negotiating", "signed", "started", "producing")
CREATED_DAYS_AGO = {"lead": (8, 200), "negotiating": (40, 560), "signed": (90, 700),
                    "started": (200, 715), "producing": (420, 720)}
PARCEL_STATUS = {"lead": "available", "negotiating": "negotiating", "signed": "sold",
                 "started": "sold", "producing": "sold", "dropped": "available"}
CONVERTED = 10  # projects that came from an enquiry
OPEN_ENQUIRIES = {"new": (6, 1, 14), "read": (4, 5, 60), "closed": (4, 30, 400)}  # n, ago range
PARCEL_PROBLEMS = 9
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/I)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("--parcels", type=Path, default=DEFAULT_PARCELS,
                        help="the sample parcels (default: geodata/sample/parcels.geojson)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output file (default: geodata/sample/pipeline.json in the repo)")
    return parser.parse_args(argv)


def day(offset: int) -> str:
    """A date as a day offset from the load date: D-12, D+0, D+5."""
    return f"D{int(offset):+d}"


def instant(rng: np.random.Generator, days_ago: int) -> str:
    """A time of day in office hours, days_ago (≥ 1) days before the load date."""
    return f"{day(-days_ago)} {int(rng.integers(8, 18)):02d}:{int(rng.integers(0, 60)):02d}"


def pick(rng: np.random.Generator, items):
    """One item of a sequence."""
    return items[int(rng.integers(len(items)))]


class Parcels:
    """The sample parcels by status, each given to at most one project."""

    def __init__(self, path: Path) -> None:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        self.all = [f["properties"] for f in features]
        self.used: set[str] = set()

    def free(self, status: str, industry: str, street: str | None = None) -> list[dict]:
        """Parcels of a status suiting an industry, not yet given to a project."""
        return [p for p in self.all if p["status"] == status and p["code"] not in self.used
                and p["land_use"].startswith(texts.LAND_USES[industry])
                and street in (None, p["street"])]

    def take(self, rng, status: str, industry: str, count: int) -> list[dict]:
        """Up to count free parcels of one street (none when nothing suits)."""
        first = self.free(status, industry)
        if not first:
            return []
        chosen = [pick(rng, first)]
        self.used.add(chosen[0]["code"])
        more = self.free(status, industry, chosen[0]["street"])
        for parcel in more[: count - 1]:
            chosen.append(parcel)
            self.used.add(parcel["code"])
        return chosen


def choose_industry(rng, parcels: Parcels, status: str) -> str:
    """An industry by weight that still finds a free parcel of the status."""
    weights = np.array([texts.INDUSTRY_WEIGHTS[i] for i in INDUSTRIES], dtype=float)
    for industry in rng.choice(INDUSTRIES, size=len(INDUSTRIES), replace=False,
                               p=weights / weights.sum()):
        if parcels.free(status, str(industry)):
            return str(industry)
    raise SystemExit(f"no free {status} parcel left for any industry")


def timeline(rng, stage: str) -> tuple[int, list[tuple[str, int]]]:
    """Days ago the project was created, and (stage, days ago) of each stage it entered."""
    reached = pick(rng, ("lead", "negotiating", "negotiating", "signed")) if (
        stage == "dropped") else stage
    path = [*PATH[1: PATH.index(reached) + 1], *(["dropped"] if stage == "dropped" else [])]
    low, high = CREATED_DAYS_AGO[stage if stage != "dropped" else max(
        reached, "negotiating", key=PATH.index)]
    created = int(rng.integers(low, high + 1))
    cuts = sorted(rng.choice(np.arange(2, created), size=len(path), replace=False), reverse=True)
    return created, [(s, int(c)) for s, c in zip(path, cuts, strict=True)]


def investment(rng, industry: str) -> tuple[float, int]:
    """Planned investment (万元, whole 100 万元) and jobs of a project."""
    wan = float(np.clip(round(rng.lognormal(np.log(texts.MEDIAN_INVESTMENT_WAN[industry]), 0.7),
                              -2), 500, 60000))
    return wan, max(10, int(round(wan / rng.uniform(40, 120), -1)))


def make_project(rng, number: int, stage: str, parcels: Parcels, brand: str) -> dict:
    """One project record (ids from 1), with its timeline."""
    status = PARCEL_STATUS[stage]
    industry = choose_industry(rng, parcels, status)
    held = [] if stage == "lead" and rng.random() < 0.5 else parcels.take(
        rng, status, industry, 2 if rng.random() < 0.2 else 1)
    created, entered = timeline(rng, stage)
    since = entered[-1][1] if entered else created
    reached = dict(entered)
    company_word, project_word = texts.INDUSTRY_WORDS[industry]
    wan, jobs = investment(rng, industry)
    owner = pick(rng, texts.OWNERS)
    active = stage in texts.NEXT_ACTIONS
    return {
        "id": number, "name": f"示例{brand}{project_word}项目",
        "company": f"示例{brand}{company_word}（{pick(rng, texts.ORIGINS)}）有限公司",
        "contact": f"{pick(rng, texts.SURNAMES)}{pick(rng, texts.TITLES)}（示例）"
                   f" 138 0000 {1000 + number * 7:04d}",
        "industry": industry, "investment_wan": wan, "jobs": jobs, "stage": stage,
        "stage_since": day(-since),
        "signed_on": day(-reached["signed"]) if "signed" in reached else None,
        "started_on": day(-reached["started"]) if "started" in reached else None,
        "drop_reason": pick(rng, texts.DROP_REASONS) if stage == "dropped" else None,
        "street": held[0]["street"] if held else pick(rng, sorted({p["street"]
                                                                   for p in parcels.all})),
        "parcel_codes": [p["code"] for p in held], "owner": owner,
        "next_action": pick(rng, texts.NEXT_ACTIONS[stage]) if active else None,
        "next_action_due": day(int(rng.integers(-40, 35))) if active else None,
        "enquiry_id": None, "created_at": instant(rng, created),
        "updated_at": instant(rng, int(rng.integers(1, since + 1))),
        "_created": created, "_entered": [("lead", created), *entered],
    }


def make_enquiry(rng, number: int, values: dict) -> dict:
    """One enquiry record; values give what differs (company, parcels, status, dates...)."""
    english = values.pop("english", False)
    received = values.pop("received")
    mu = int(rng.integers(2, 16)) * 10
    industry = values["industry"]
    template = pick(rng, texts.ENGLISH_MESSAGES if english else texts.MESSAGES)
    phone = f"1380000{2000 + number * 13:04d}"
    contact = rng.integers(3)  # 0: phone, 1: e-mail, 2: both
    return {
        "id": number, "reference": "ZS-{received}-" + "".join(
            pick(rng, CODE_LETTERS) for _ in range(6)),
        "received_at": instant(rng, received), "parcel_codes": values["parcel_codes"],
        "company": values["company"],
        "contact_name": pick(rng, texts.ENGLISH_NAMES) if english else
        f"{pick(rng, texts.SURNAMES)}{pick(rng, texts.TITLES)}（示例）",
        "phone": phone if contact != 1 else None,
        "email": f"enquiry{number:02d}@example.com" if contact != 0 else None,
        "industry": industry, "investment_wan": values["investment_wan"],
        "jobs": values["jobs"], "message": template.format(
            word=texts.ENGLISH_WORDS[industry] if english else texts.INDUSTRY_WORDS[industry][1],
            mu=mu, investment=int(values["investment_wan"] or 5000)),
        "language": "en" if english else "zh", "requirement": values.get("requirement"),
        "consent_at": None, "status": values["status"], "project_id": values.get("project_id"),
    }


def make_enquiries(rng, projects: list[dict], parcels: Parcels, brands: list[str]) -> list[dict]:
    """Enquiries that became projects, then new, read and closed ones."""
    enquiries = []
    for project in sorted(rng.choice(projects, size=CONVERTED, replace=False),
                          key=lambda p: p["id"]):
        number = len(enquiries) + 1
        project["enquiry_id"] = number
        enquiries.append(make_enquiry(rng, number, {
            **{k: project[k] for k in ("company", "industry", "investment_wan", "jobs",
                                       "parcel_codes")},
            "status": "converted", "project_id": project["id"],
            "received": project["_created"] + int(rng.integers(1, 8))}))
    for status, (count, low, high) in OPEN_ENQUIRIES.items():
        for _ in range(count):
            number = len(enquiries) + 1
            english = number % 8 == 0
            industry = choose_industry(rng, parcels, "available")
            wanted = parcels.free("available", industry)
            shortlist = rng.random() < 0.25
            size = 3 if shortlist else int(rng.integers(0, 3))
            codes = [p["code"] for p in rng.choice(wanted, size=min(size, len(wanted)),
                                                   replace=False)] if size else []
            wan, jobs = investment(rng, industry)
            brand = brands.pop()
            company = (f"Sample {pick(rng, texts.ENGLISH_BRANDS)} {texts.ENGLISH_WORDS[industry]}"
                       f" ({pick(rng, texts.ENGLISH_ORIGINS)}) Co., Ltd." if english else
                       f"示例{brand}{texts.INDUSTRY_WORDS[industry][0]}有限公司")
            enquiries.append(make_enquiry(rng, number, {
                "company": company, "industry": industry, "parcel_codes": codes,
                "investment_wan": wan if rng.random() < 0.8 else None,
                "jobs": jobs if rng.random() < 0.7 else None, "status": status,
                "requirement": "land_use=" + ",".join(texts.LAND_USES[industry])
                + pick(rng, texts.REQUIREMENT_EXTRAS) if shortlist else None,
                "received": int(rng.integers(low, high + 1)), "english": english}))
    for enquiry in enquiries:
        enquiry["consent_at"] = enquiry["received_at"]
    return enquiries


def make_notes(rng, projects: list[dict]) -> list[dict]:
    """Each project's notes log: at most one note per stage it went through."""
    notes = []
    for project in projects:
        entered = project["_entered"]
        for (stage, ago), following in zip(entered, [*entered[1:], ("now", 0)], strict=True):
            if ago - following[1] < 2 or rng.random() < 0.35:
                continue
            written = int(rng.integers(max(following[1], 1), ago))
            notes.append({"id": len(notes) + 1, "project_id": project["id"],
                          "written_at": instant(rng, written), "author": project["owner"],
                          "text": pick(rng, texts.NOTES[stage])})
    return notes


def make_problem(rng, number: int, owner: dict, pool, created_before: int, **forced) -> dict:
    """One problem of a project or parcel (owner), its department and dates drawn."""
    department, title = pick(rng, pool)
    solved = forced.get("solved", rng.random() < 0.35)
    created = int(rng.integers(1, max(created_before if solved else min(created_before, 120),
                                      2)))
    due = -created + int(rng.integers(15, 90))
    if forced.get("overdue"):
        due = -int(rng.integers(3, 30))
        created = max(created, -due + 10)
    done = int(rng.integers(1, created + 1)) if solved else None
    return {
        "id": number, "project_id": owner.get("id") if "stage" in owner else None,
        "parcel_code": None if "stage" in owner else owner["code"], "title": title,
        "department": owner["street"] if department == texts.STREET else department,
        "due_date": day(due), "status": "solved" if solved else "open",
        "notes": pick(rng, texts.SOLVED_NOTES if solved else texts.PROBLEM_NOTES)
        if rng.random() < 0.7 or solved else None,
        "public": forced.get("public", False), "created_at": instant(rng, created),
        "updated_at": instant(rng, done or int(rng.integers(1, created + 1))),
        "solved_at": instant(rng, done) if done else None,
    }


def make_problems(rng, projects: list[dict], parcels: Parcels) -> list[dict]:
    """Problems of negotiating, signed and started projects, then of parcels (some public)."""
    problems: list[dict] = []
    for project in projects:
        if project["stage"] not in ("negotiating", "signed", "started"):
            continue
        overdue = project["stage"] == "signed" and project["id"] % 2 == 0
        for index in range(int(rng.integers(0, 3)) + overdue):
            problems.append(make_problem(
                rng, len(problems) + 1, project, texts.PROJECT_PROBLEMS, project["_created"],
                **({"solved": False, "overdue": True} if overdue and index == 0 else {})))
    candidates = [p for p in parcels.all if p["status"] in ("available", "negotiating")]
    for index in range(PARCEL_PROBLEMS):
        parcel = pick(rng, candidates)
        public = index % 2 == 0
        riverside = public and parcel["street"] in texts.RIVERSIDE_STREETS and index % 4 == 0
        pool = ((texts.RIVERSIDE_PROBLEM,) if riverside else texts.PUBLIC_PARCEL_PROBLEMS
                if public else texts.INTERNAL_PARCEL_PROBLEMS)
        problems.append(make_problem(rng, len(problems) + 1, parcel, pool, 400,
                                     public=public, **({"solved": False} if public else {})))
    return problems


def build_pipeline(seed: int, parcels_path: Path) -> dict:
    """The whole synthetic pipeline as JSON-ready records."""
    rng = np.random.default_rng(seed)
    parcels = Parcels(parcels_path)
    brands = list(rng.permutation(texts.BRANDS))
    stages = [stage for stage, count in STAGE_PLAN.items() for _ in range(count)]
    projects = [make_project(rng, number, stage, parcels, str(brands.pop()))
                for number, stage in enumerate(stages, start=1)]
    enquiries = make_enquiries(rng, projects, parcels, [str(b) for b in brands])
    notes = make_notes(rng, projects)
    problems = make_problems(rng, projects, parcels)
    for project in projects:
        del project["_created"], project["_entered"]
    return {"enquiries": enquiries, "projects": projects, "notes": notes, "problems": problems}


def write_pipeline(pipeline: dict, seed: int, path: Path) -> None:
    """pipeline.json: an `about` line, then one record per line, UTF-8 with LF line ends."""
    about = ("SYNTHETIC sample pipeline of the sample district, made by "
             f"scripts/sample_pipeline.py --seed {seed}. Dates are day offsets from the load "
             "date (D-12: twelve days before it; instants D-12 09:30 UTC); {received} in a "
             "reference is the enquiry's received date (YYYYMMDD).")
    parts = [f' "about": {json.dumps(about, ensure_ascii=False)}']
    for kind, records in pipeline.items():
        lines = ",\n".join("  " + json.dumps(r, ensure_ascii=False, separators=(",", ":"))
                           for r in records)
        parts.append(f' "{kind}": [\n{lines}\n ]')
    path.write_text("{\n" + ",\n".join(parts) + "\n}\n", encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    """Generate the sample pipeline and write it."""
    args = parse_args(argv)
    pipeline = build_pipeline(args.seed, args.parcels)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_pipeline(pipeline, args.seed, args.out)
    counts = ", ".join(f"{len(records)} {kind}" for kind, records in pipeline.items())
    print(f"wrote a synthetic pipeline ({counts}) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
