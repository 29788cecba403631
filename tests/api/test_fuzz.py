"""Property-based fuzzing of the API with schemathesis, driven by /api/openapi.

Several thousand generated requests (valid and invalid per the schema) go to the WSGI app in
process. Every response must be free of server errors and conform to the document: a
documented status, a documented media type and, for JSON, the documented schema. Bounded by
the example count below (about 100 s on two cores alone, more when the machine is busy: tests
check behaviour, so the time is not asserted).
"""

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

IDENTITY = {"Accept-Encoding": "identity"}  # the WSGI transport does not decompress
REQUESTS = 5200  # generated requests in all, half valid and half invalid per the schema
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


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
    assert len(sent) >= 5000
    assert len(set(sent)) == len(list(schema.get_all_operations()))
