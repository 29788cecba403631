"""Property-based fuzzing of the API with schemathesis, driven by /api/openapi.

Generated requests (valid and invalid per the schema, half each) go to the WSGI app in
process. Every response must be free of server errors and conform to the document: a
documented status, a documented media type and, for JSON, the documented schema. The PATCH
operation is fuzzed on its own: as an anonymous client (every request refused, nothing stored)
and with an editor's session.

Bounded by LANDGIS_FUZZ_EXAMPLES, the GET requests in all (default 1,300: about 35 s on two
cores alone; each PATCH run gets a seventeenth of it). A long run, e.g. before a release or
after changing the API: `LANDGIS_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/api/test_fuzz.py`.
Runs are derandomized, so a given count always sends the same requests.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.editing_fixtures import client_as, csrf_token
from webapp.domain.filters import ParcelFilter
from webapp.domain.parcel import parcel_etag

IDENTITY = {"Accept-Encoding": "identity"}  # the WSGI transport does not decompress
REQUESTS = int(os.environ.get("LANDGIS_FUZZ_EXAMPLES", "1300"))  # GET requests in all
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
PATCH_REQUESTS = max(REQUESTS // 17, 60)  # per client; each allowed one writes to the store


def both_modes(schema):
    """Cases valid and invalid per the schema, half each."""
    return st.one_of(schema.as_strategy(generation_mode=GenerationMode.POSITIVE),
                     schema.as_strategy(generation_mode=GenerationMode.NEGATIVE))


def patch_settings(test):
    """Deterministic PATCH fuzzing, bounded by PATCH_REQUESTS."""
    return settings(max_examples=PATCH_REQUESTS, deadline=None, database=None,
                    derandomize=True, phases=[Phase.generate],
                    suppress_health_check=list(HealthCheck))(test)


def versions(store) -> dict[int, int]:
    """Every parcel's version, drafts included."""
    parcels = store.query(ParcelFilter(include_drafts=True), with_geometry=False).parcels
    return {p.id: p.version for p in parcels}


@pytest.mark.slow
def test_fuzz_api_has_no_server_error_and_conforms_to_openapi(small_app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi", small_app).include(method="GET")
    cases = st.one_of(schema.as_strategy(generation_mode=GenerationMode.POSITIVE),
                      schema.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    sent = []

    @settings(max_examples=REQUESTS, deadline=None, database=None, derandomize=True,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def call(case):
        case.call_and_validate(headers=IDENTITY, checks=CHECKS)
        sent.append(case.operation.label)

    call()
    assert len(sent) >= REQUESTS - REQUESTS // 25  # a few generated cases are discarded
    assert len(set(sent)) == len(list(schema.get_all_operations()))


@pytest.mark.slow
def test_fuzz_anonymous_patch_is_refused_and_conforms_to_openapi(small_app, small_store):
    schema = schemathesis.openapi.from_wsgi("/api/openapi", small_app).include(method="PATCH")
    before = versions(small_store)
    statuses = []

    @patch_settings
    @given(case=both_modes(schema))
    def call(case):
        statuses.append(case.call_and_validate(headers=IDENTITY, checks=CHECKS).status_code)

    call()
    assert len(statuses) >= PATCH_REQUESTS // 2 and 200 not in statuses
    assert versions(small_store) == before


@pytest.mark.slow
def test_fuzz_editor_patch_conforms_to_openapi(staff_app, staff_store):
    client = client_as(staff_app, "editor")
    token = {"X-CSRFToken": csrf_token(client, "/admin/parcels")}
    cookies = {"session": client.get_cookie("session").value}  # after the token: it holds it
    schema = schemathesis.openapi.from_wsgi("/api/openapi", staff_app).include(method="PATCH")
    parcel_id = staff_store.get("T-002").id
    statuses = []

    @patch_settings
    @given(case=both_modes(schema), aim=st.sampled_from(["anywhere", "parcel", "version"]))
    def call(case, aim):
        if aim != "anywhere":  # a real parcel (generated ids rarely are one) ...
            case.path_parameters = {"feature_id": str(parcel_id)}
        if aim == "version":  # ... at its current version: these requests get through
            case.headers = {**(case.headers or {}), "If-Match": parcel_etag(
                staff_store.get(parcel_id, include_drafts=True))}
        response = case.call_and_validate(headers={**IDENTITY, **token}, cookies=cookies,
                                          checks=CHECKS)
        statuses.append(response.status_code)

    call()
    assert {200, 400, 404, 412, 422, 428} <= set(statuses)
