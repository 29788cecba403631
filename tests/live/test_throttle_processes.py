"""Login throttling holds when failed attempts are spread over two server processes."""

import pytest

from tests.editing_fixtures import PASSWORD
from tests.live.http_session import Session
from tests.live.servers import live_servers, prepare_instance

pytestmark = pytest.mark.slow


@pytest.fixture
def two_servers(tmp_path):
    app = prepare_instance(tmp_path, {"eddie": "editor", "vera": "viewer"},
                           LOGIN_MAX_FAILURES=5, LOGIN_MAX_FAILURES_PER_ADDRESS=8)
    with live_servers(app, 2, tmp_path) as urls:
        yield urls


def test_throttle_counts_failures_from_both_servers(two_servers):
    statuses = [Session().login(two_servers[n % 2], "eddie", "wrong password").status
                for n in range(5)]
    refused = [Session().login(url, "eddie", PASSWORD).status for url in two_servers]
    assert statuses == [200] * 5 and refused == [429, 429]


def test_throttle_per_address_counts_across_servers(two_servers):
    for n in range(8):
        Session().login(two_servers[n % 2], f"nobody{n}", "wrong password")
    assert Session().login(two_servers[1], "vera", PASSWORD).status == 429


def test_throttle_concurrent_failures_never_exceed_limit(two_servers):
    from concurrent.futures import ThreadPoolExecutor

    def attempt(n):
        return Session().login(two_servers[n % 2], "eddie", "wrong password").status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(attempt, range(12)))
    assert statuses.count(200) == 5 and statuses.count(429) == 7
