"""Per-address rate limits of the API, tiles and exports, shared by every server process."""

import time

import pytest
from limits import parse
from limits.strategies import FixedWindowRateLimiter

from tests.conftest import DATA, make_app
from tests.editing_fixtures import add_staff, client_as
from tests.store.conftest import prepared_small
from tests.store.postgis_fixtures import postgis_store
from webapp.domain.errors import ConfigError
from webapp.ratelimit import counters as counters_module
from webapp.ratelimit.counters import SQLiteCounters
from webapp.ratelimit.storage import LandgisStorage

ITEMS = "/api/collections/parcels/items"
TILE = "/api/collections/parcels/tiles/WebMercatorQuad/15/13304/27227"


def limited_app(tmp_path, **settings):
    """The four-parcel app with rate limits switched on (they are off under TESTING)."""
    values = {"RATELIMIT_ENABLED": True, "RATE_LIMIT_API": "3/minute",
              "RATE_LIMIT_EXPORT": "2/hour", **settings}
    return make_app(tmp_path, DATA / "small.geojson", **values)


def status(client, path, **kwargs) -> int:
    with client.get(path, **kwargs) as response:  # closed: an export holds a slot until then
        return response.status_code


def statuses(client, path, count, **kwargs) -> list[int]:
    return [status(client, path, **kwargs) for _ in range(count)]


def test_rate_limit_api_answers_429_with_retry_after_past_the_limit(tmp_path):
    client = limited_app(tmp_path).test_client()
    assert statuses(client, ITEMS, 3) == [200] * 3
    refused = client.get(ITEMS + "?lang=en")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert refused.get_json() == {
        "code": "TooManyRequests", "description": "Too many requests from your address. Please "
        f"try again in {refused.headers['Retry-After']} seconds."}


def test_rate_limit_counts_every_api_route_and_tiles_together(tmp_path):
    client = limited_app(tmp_path).test_client()
    assert [status(client, p) for p in (ITEMS, TILE, "/api")] == [200, 200, 200]
    assert status(client, TILE) == 429


def test_rate_limit_counts_brochures_as_exports(tmp_path):
    client = limited_app(tmp_path, RATE_LIMIT_EXPORT="1/hour").test_client()
    assert status(client, "/parcels/T-001/brochure.pdf") == 200
    assert status(client, "/brochure.pdf?land_use=0901") == 429


def test_rate_limit_export_page_in_the_users_language(tmp_path):
    client = limited_app(tmp_path, RATE_LIMIT_EXPORT="1/hour").test_client()
    html = {"Accept": "text/html"}
    assert status(client, "/export/parcels.csv?lang=en", headers=html) == 200
    refused = client.get("/export/parcels.csv?lang=en", headers=html)
    assert refused.status_code == 429 and refused.mimetype == "text/html"
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3601
    assert "Too many requests from your address" in refused.get_data(as_text=True)


def test_rate_limit_is_per_client_address(tmp_path):
    client = limited_app(tmp_path, RATE_LIMIT_API="1/minute").test_client()
    one, other = ({"environ_base": {"REMOTE_ADDR": a}} for a in ("192.0.2.1", "192.0.2.2"))
    assert statuses(client, ITEMS, 2, **one) == [200, 429]
    assert status(client, ITEMS, **other) == 200


def test_rate_limit_counts_an_ipv6_64_network_as_one_client(tmp_path):
    client = limited_app(tmp_path, RATE_LIMIT_API="1/minute").test_client()
    seen = [status(client, ITEMS, environ_base={"REMOTE_ADDR": address}) for address in (
        "2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:3::1")]
    assert seen == [200, 429, 200]


def test_rate_limit_holds_across_two_apps_on_one_instance_folder(tmp_path):
    clients = [limited_app(tmp_path).test_client() for _ in range(2)]
    seen = [status(clients[n % 2], ITEMS) for n in range(5)]
    assert seen == [200, 200, 200, 429, 429]


def test_rate_limit_exempts_logged_in_staff(tmp_path):
    app = limited_app(tmp_path, RATE_LIMIT_API="1/minute", RATE_LIMIT_EXPORT="1/hour")
    add_staff(app)
    staff = client_as(app, "viewer")
    assert statuses(staff, ITEMS, 4) == [200] * 4
    assert statuses(staff, "/export/parcels.csv", 3) == [200] * 3


def test_rate_limit_export_has_its_own_limit(tmp_path):
    client = limited_app(tmp_path, RATE_LIMIT_API="100/minute").test_client()
    assert statuses(client, "/export/parcels.csv", 3) == [200, 200, 429]
    assert status(client, ITEMS) == 200


def test_rate_limit_empty_setting_switches_it_off(tmp_path):
    client = limited_app(tmp_path, RATE_LIMIT_API="").test_client()
    assert statuses(client, ITEMS, 6) == [200] * 6


def test_rate_limit_is_off_under_testing_by_default(tmp_path):
    client = make_app(tmp_path, DATA / "small.geojson", RATE_LIMIT_API="1/minute").test_client()
    assert statuses(client, ITEMS, 3) == [200] * 3


def test_rate_limit_public_pages_are_not_counted(tmp_path):
    client = limited_app(tmp_path, RATE_LIMIT_API="1/minute").test_client()
    assert statuses(client, "/", 3) == [200] * 3


def test_rate_limit_counters_live_outside_the_store_file(tmp_path):
    app = limited_app(tmp_path)
    app.test_client().get(ITEMS)
    assert (tmp_path / "instance" / "ratelimit.sqlite").is_file()


@pytest.mark.parametrize(("name", "value"), [
    ("RATE_LIMIT_API", "lots"), ("RATE_LIMIT_API", "10 per fortnight"),
    ("RATE_LIMIT_EXPORT", "-1/hour"), ("TILE_CACHE_MAX_TILES", 0), ("TILE_CACHE_MAX_MB", 0),
    ("SUMMARY_CACHE_MAX_ROWS", -5), ("TEXT_SEARCH_MIN_ZOOM", 25), ("TEXT_SEARCH_MIN_ZOOM", -1),
])
def test_rate_limit_and_cache_settings_are_validated(tmp_path, name, value):
    with pytest.raises(ConfigError, match=name):
        make_app(tmp_path, DATA / "small.geojson", **{name: value})


@pytest.fixture(params=["sqlite", "postgis"])
def counters(request, tmp_path):
    if request.param == "sqlite":
        yield SQLiteCounters(tmp_path / "counters.sqlite")
        return
    with postgis_store() as store:
        from webapp.ratelimit.postgres_counters import PostgresCounters

        store.replace_all(prepared_small())  # creates the schema
        yield PostgresCounters(store)  # the table comes with the first increment


def test_counters_count_hits_in_a_window(counters):
    limiter = FixedWindowRateLimiter(LandgisStorage(counters=counters))
    item = parse("2/minute")
    assert [limiter.hit(item, "192.0.2.1") for _ in range(3)] == [True, True, False]
    assert limiter.hit(item, "192.0.2.2")
    stats = limiter.get_window_stats(item, "192.0.2.1")
    assert stats.remaining == 0 and time.time() < stats.reset_time <= time.time() + 61


def test_counters_start_a_new_window_when_the_old_one_expired(counters):
    assert [counters.incr("k", 0) for _ in range(3)] == [1, 1, 1]  # each window ends at once
    assert counters.get("k") == 0


def test_counters_purge_expired_rows(counters, monkeypatch):
    monkeypatch.setattr(counters_module, "PURGE_EVERY", 5)
    for n in range(4):
        counters.incr(f"gone-{n}", 0)
    counters.incr("kept", 60)
    assert counters.row_count() == 1 and counters.get("kept") == 1


def test_counters_clear_and_reset(counters):
    counters.incr("a", 60)
    counters.incr("b", 60)
    counters.clear("a")
    assert counters.get("a") == 0 and counters.reset() == 1 and counters.row_count() == 0


def test_rate_limit_holds_across_two_servers_on_one_postgis_schema(tmp_path):
    from tests.store.postgis_fixtures import postgis_schema_url

    with postgis_schema_url() as url:
        apps = [limited_app(tmp_path / f"server-{n}", STORE_URL=url) for n in range(2)]
        try:
            seen = [status(apps[n % 2].test_client(), ITEMS) for n in range(5)]
        finally:
            for app in apps:
                app.extensions["landgis.store"].close()
    assert seen == [200, 200, 200, 429, 429]
