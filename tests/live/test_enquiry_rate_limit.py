"""The enquiry rate limit holds when one client's enquiries go to two server processes."""

import re
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.http.enquiries import GOOD
from tests.live.http_session import CSRF, Session
from tests.live.servers import _server, prepare_instance, server_environment
from webapp.ratelimit import COUNTER_FILE
from webapp.ratelimit.counters import SQLiteCounters

pytestmark = pytest.mark.slow

LIMIT = 3


@pytest.fixture(scope="module")
def servers_on_one_store(tmp_path_factory):
    """Two waitress processes on one instance folder, RATE_LIMIT_ENQUIRY LIMIT an hour
    (started once: a start takes seconds)."""
    folder = tmp_path_factory.mktemp("enquiry-rate-limit")
    app = prepare_instance(folder, {"eddie": "editor"})
    env = server_environment(app) | {"LANDGIS_RATE_LIMIT_ENQUIRY": f"{LIMIT}/hour"}
    with ExitStack() as stack:
        yield app, [stack.enter_context(_server(env, folder / f"server-{n}.log"))
                    for n in range(2)]


@pytest.fixture
def two_servers(servers_on_one_store):
    """The servers with fresh counters and no enquiries stored yet."""
    app, servers = servers_on_one_store
    SQLiteCounters(Path(app.instance_path) / COUNTER_FILE).reset()
    yield app, servers
    pipeline = app.extensions["landgis.store"].pipeline
    for enquiry in pipeline.enquiries(limit=1000).records:  # closed: no longer counted below
        pipeline.update_enquiry(enquiry.id, {"status": "closed"}, None, "test")


def enquire(base_url: str, session: Session | None = None, **fields):
    """One enquiry from a fresh browser (its own session and CSRF token) or `session`."""
    session = session or Session()
    token = CSRF.search(session.request("GET", base_url + "/enquire?parcel=T-001").text)
    data = {"csrf_token": token.group(1), **GOOD, "parcel": "T-001", **fields}
    return session.request("POST", base_url + "/enquire?lang=en", data=data)


def stored(app) -> int:
    """Enquiries stored by this test (earlier tests' are closed)."""
    return app.extensions["landgis.store"].pipeline.enquiries("new").number_matched


def test_enquiry_rate_limit_counts_enquiries_to_both_servers(two_servers):
    app, servers = two_servers
    statuses = [enquire(servers[n % 2]).status for n in range(LIMIT + 2)]
    assert statuses == [303] * LIMIT + [429, 429]
    assert stored(app) == LIMIT


def test_enquiry_rate_limit_concurrent_enquiries_never_exceed_the_limit(two_servers):
    app, servers = two_servers
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda n: enquire(servers[n % 2]).status, range(4 * LIMIT)))
    assert statuses.count(303) == LIMIT and statuses.count(429) == 3 * LIMIT
    assert stored(app) == LIMIT


def test_enquiry_rate_limit_answer_is_a_page_with_retry_after(two_servers):
    _app, servers = two_servers
    for _ in range(LIMIT):
        enquire(servers[0])
    refused = enquire(servers[1])
    assert refused.status == 429 and 3500 <= int(refused.headers["retry-after"]) <= 3601
    assert refused.headers["content-type"].startswith("text/html")
    assert re.search(r"Too many requests from your address\. Please try again in \d+ seconds",
                     refused.text)


def test_enquiry_rate_limit_ignores_refused_forms_and_spares_the_api(two_servers):
    app, servers = two_servers
    assert [enquire(servers[n % 2], phone="1").status for n in range(LIMIT + 1)] == [422] * (
        LIMIT + 1)
    assert Session().request("GET", servers[0] + "/api/collections/parcels/items").status == 200
    assert [enquire(servers[n % 2]).status for n in range(LIMIT)] == [303] * LIMIT
    assert stored(app) == LIMIT
