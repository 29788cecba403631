"""Shared pieces of the pipeline contract suite: a module-scoped store of each backend, and the
values of new enquiries, projects and problems."""

import secrets
from contextlib import ExitStack

import pytest

from tests.store.conftest import BACKENDS, prepared_small
from webapp.domain.local_time import district_today

ACTOR = "editor1"
CONSENT = "2026-03-01T08:00:00+00:00"
HUGE_IDS = (0, -1, 2**63, 2**70, -2**70)


@pytest.fixture(scope="module", params=sorted(BACKENDS))
def shared_store(request, tmp_path_factory):
    """A store of each backend with the four test parcels and its full schema, shared by a
    module's tests: each test makes its own records (`marker` tells them apart)."""
    made = BACKENDS[request.param](tmp_path_factory.mktemp("pipeline"))
    with ExitStack() as cleanup:
        store = cleanup.enter_context(made) if hasattr(made, "__enter__") else made
        store.replace_all(prepared_small())
        store.ensure_schema()
        yield store


@pytest.fixture
def pipeline(shared_store):
    return shared_store.pipeline


@pytest.fixture
def marker():
    """A text no other test uses (owner, street, parcel code...)."""
    return f"m-{secrets.token_hex(4)}"


def enquiry_values(**changed: object) -> dict[str, object]:
    """The values of a new enquiry (the form's fields, parsed)."""
    values: dict[str, object] = {
        "parcel_codes": ("GX-001", "GX-002"), "company": "安徽精工机械有限公司",
        "contact_name": "王经理", "phone": "13812345678", "email": "wang@example.com",
        "industry": "intelligent_equipment", "investment_wan": 12500.5, "jobs": 120,
        "message": "希望了解地块的供地时间", "language": "zh",
        "requirement": "land_use=0601&min_area_mu=30", "consent_at": CONSENT}
    values.update(changed)
    return values


def project_values(**changed: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name": "精密齿轮项目", "company": "安徽精工机械有限公司", "contact": "王经理 13812345678",
        "industry": "intelligent_equipment", "investment_wan": 30000.0, "jobs": 200,
        "street": "慈湖街道", "parcel_codes": ("GX-001",), "owner": "editor1",
        "next_action": "约谈企业", "next_action_due": "2026-04-01"}
    values.update(changed)
    return values


def today() -> str:
    """The pipeline's dates are Beijing dates."""
    return district_today().isoformat()
