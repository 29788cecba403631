"""The API rate limit holds when one client's requests are spread over two server processes."""

from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest

from tests.live.http_session import Session
from tests.live.servers import _server, prepare_instance, server_environment

pytestmark = pytest.mark.slow

LIMIT = 6
ITEMS = "/api/collections/parcels/items?limit=1"


@pytest.fixture
def two_servers(tmp_path):
    app = prepare_instance(tmp_path, {"vera": "viewer"})
    env = server_environment(app) | {"LANDGIS_RATE_LIMIT_API": f"{LIMIT}/minute"}
    with ExitStack() as stack:
        yield [stack.enter_context(_server(env, tmp_path / f"server-{n}.log")) for n in range(2)]


def test_rate_limit_counts_requests_to_both_servers(two_servers):
    statuses = [Session().request("GET", two_servers[n % 2] + ITEMS).status
                for n in range(LIMIT + 2)]
    assert statuses == [200] * LIMIT + [429, 429]


def test_rate_limit_concurrent_requests_never_exceed_the_limit(two_servers):
    def fetch(n):
        return Session().request("GET", two_servers[n % 2] + ITEMS).status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(fetch, range(3 * LIMIT)))
    assert statuses.count(200) == LIMIT and statuses.count(429) == 2 * LIMIT


def test_rate_limit_answer_carries_retry_after(two_servers):
    for _ in range(LIMIT):
        Session().request("GET", two_servers[0] + ITEMS)
    refused = Session().request("GET", two_servers[1] + ITEMS)
    assert refused.status == 429 and 1 <= int(refused.headers["retry-after"]) <= 61
