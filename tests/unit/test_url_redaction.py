"""redact_url and scrub_secrets: a store URL's password never reaches a message or a log."""

import pytest

from webapp.store.redaction import redact_url, scrub_secrets

SECRET = "s3cret-Pw"


@pytest.mark.parametrize(("url", "expected"), [
    (f"postgresql://gis:{SECRET}@db:5432/land?schema=lg",
     "postgresql://gis:***@db:5432/land?schema=lg"),
    (f"postgres://gis:{SECRET}@db/land", "postgres://gis:***@db/land"),
    (f"mysql://user:{SECRET}@host/db", "mysql://user:***@host/db"),
    (f"http://user:{SECRET}@example.test/x", "http://user:***@example.test/x"),
    (f"postgresql://:{SECRET}@db/land", "postgresql://:***@db/land"),
    (f"postgresql:/gis:{SECRET}@db/land", "postgresql:/gis:***@db/land"),  # one slash
    (f"postgresql://gis:{SECRET}@with@at@db/land", "postgresql://gis:***@db/land"),
    (f"postgresql://gis:p/a?s{SECRET}@db/land", "postgresql://gis:***@db/land"),
    (f"postgresql:///land?user=gis&password={SECRET}&schema=lg",
     "postgresql:///land?user=gis&password=***&schema=lg"),
    (f"host=db user=gis password={SECRET} dbname=land",
     "host=db user=gis password=*** dbname=land"),
    (f"host=db password='{SECRET} x' dbname=land", "host=db password=*** dbname=land"),
    ("postgresql://gis@db/land?schema=lg", "postgresql://gis@db/land?schema=lg"),
    ("postgresql:///landgis?schema=landgis", "postgresql:///landgis?schema=landgis"),
    ("data/landgis.gpkg", "data/landgis.gpkg"),
    ("", ""),
])
def test_redact_url_hides_the_password(url, expected):
    assert redact_url(url) == expected


@pytest.mark.parametrize("url", [
    f"postgresql://gis:{SECRET}@db/land", f"postgresql://gis:{SECRET.replace('-', '%2D')}@db/",
    f"postgresql:///land?password={SECRET}", f"gis:{SECRET}@db",
])
def test_scrub_secrets_removes_the_password_from_any_text(url):
    message = f'missing "=" after "{url}" in connection info string; {SECRET} again'
    assert SECRET not in scrub_secrets(message, url)
    assert SECRET.replace("-", "%2D") not in scrub_secrets(message, url)


@pytest.mark.parametrize("message", [
    'FATAL:  password authentication failed for user "gis@example"',
    "LANDGIS_STORE_URL: cannot connect to postgresql://gis:***@db/land?schema=lg",
    "[Errno 20] Not a directory: '/tmp/a-file/store'",
])
def test_scrub_secrets_leaves_other_text_alone(message):
    assert scrub_secrets(message, "postgresql://gis@db/land") == message


def test_scrub_secrets_masks_urls_inside_text():
    message = f"cannot open “mysql://root:{SECRET}@db/x” (host=db password={SECRET} )"
    assert scrub_secrets(message, "") == ("cannot open “mysql://root:***@db/x” "
                                          "(host=db password=*** )")
