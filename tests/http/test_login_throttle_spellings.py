"""Failed logins are counted per matched account, whatever spelling of its name was typed, the
same on every store (issue 14: PostgreSQL's lower('İ') differs from Python's casefold)."""

from contextlib import ExitStack

import pytest

from tests.conftest import DATA, make_app
from tests.editing_fixtures import PASSWORD, add_staff, login
from tests.store.postgis_fixtures import postgis_schema_url


@pytest.fixture(params=["geopackage", "postgis"])
def turkish_app(request, tmp_path):
    """The four-parcel app on each store with accounts “İpek” (editor) and “Ada” (viewer)."""
    with ExitStack() as stack:
        settings = {}
        if request.param == "postgis":
            settings["STORE_URL"] = stack.enter_context(postgis_schema_url())
        app = make_app(tmp_path, DATA / "small.geojson", **settings)
        stack.callback(app.extensions["landgis.store"].close)
        add_staff(app, {"İpek": "editor", "Ada": "viewer"})
        yield app


@pytest.mark.parametrize(("account", "spellings"), [
    ("İpek", ["İpek", "i̇pek", "ipek", "IPEK", "ıpek"]),
    ("İpek", ["İPEK", "ｉｐｅｋ", "ＩＰＥＫ", "İｐｅｋ", "i̇PEK"]),
    ("Ada", ["ada", "ADA", "ａｄａ", "Ａｄａ", "aDa"]),
])
def test_login_throttle_counts_every_spelling_of_one_account(turkish_app, account, spellings):
    client = turkish_app.test_client()
    assert [login(client, typed, "wrong password").status_code for typed in spellings] == [200] * 5
    assert login(client, account).status_code == 429


@pytest.mark.parametrize("typed", ["i̇pek", "ıPEK", "ｉｐｅｋ"])
def test_login_with_another_spelling_logs_into_the_account(turkish_app, typed):
    assert login(turkish_app.test_client(), typed, PASSWORD).status_code == 302


def test_login_throttle_of_one_account_leaves_another_alone(turkish_app):
    client = turkish_app.test_client()
    for _ in range(5):
        login(client, "ＩＰＥＫ", "wrong password")
    assert login(client, "Ada").status_code == 302


def test_login_throttle_unknown_names_counted_by_folded_name(turkish_app):
    client = turkish_app.test_client()
    for typed in ["Nobody", "NOBODY", "ｎｏｂｏｄｙ", "nobody", "nObOdY"]:
        login(client, typed, "wrong password")
    assert login(client, "Nobody", "wrong password").status_code == 429


def test_login_throttle_long_names_are_counted_as_their_first_characters(turkish_app):
    client = turkish_app.test_client()
    for tail in "abcde":
        login(client, "x" * 100 + tail, "wrong password")
    assert login(client, "x" * 100 + "f", "wrong password").status_code == 429


def test_login_throttle_keeps_accounts_apart_whose_names_fold_alike(tmp_path):
    """Accounts made before names were folded this way (“İpek” and “ipek” were two accounts on
    the GeoPackage store) each keep their own counter: it is keyed on the account's id."""
    app = make_app(tmp_path, DATA / "small.geojson")
    store = app.extensions["landgis.store"]
    add_staff(app, {"ipek": "viewer"})
    with store.database.write_transaction() as db:  # as an older landgis could have created it
        db.execute("INSERT INTO landgis_users (name, role, password_hash, created_at) "
                   "SELECT 'İpek', 'editor', password_hash, created_at FROM landgis_users")
    client = app.test_client()
    for _ in range(5):
        login(client, "ipek", "wrong password")
    assert login(client, "İpek").status_code == 302
