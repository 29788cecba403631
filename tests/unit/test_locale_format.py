"""Money in 万元 per language, contact links, and the district's time zone (no Flask)."""

from datetime import UTC, date, datetime

import pytest

from webapp.config import load_settings, validate_settings
from webapp.domain.contact_links import ContactPart, contact_parts
from webapp.domain.errors import ConfigError
from webapp.domain.local_time import (
    DEFAULT_TIME_ZONE,
    district_time_text,
    district_today,
    use_time_zone,
    utc_offset_text,
)
from webapp.domain.money import format_wan


@pytest.mark.parametrize(("value", "language", "per_mu", "text"), [
    (1377, "zh", False, "1,377.00 万元"), (1377, "en", False, "13,770,000 yuan"),
    (30.5, "zh", True, "30.50 万元/亩"), (30.5, "en", True, "305,000 yuan/mu"),
    (0.015, "en", False, "150 yuan"), (None, "en", False, "—")])
def test_format_wan_writes_each_language(value, language, per_mu, text):
    assert format_wan(value, language, per_mu) == text


@pytest.mark.parametrize(("text", "links"), [
    ("花山区投资促进中心 0555-0000104", [("0555-0000104", "tel:05550000104")]),
    ("张先生 13812345678，zhang@example.cn", [("13812345678", "tel:13812345678"),
                                             ("zhang@example.cn", "mailto:zhang@example.cn")]),
    ("(0555)1234567", [("(0555)1234567", "tel:05551234567")]),
    ("0555-2345678-801 转", [("0555-2345678-801", "tel:05552345678;ext=801")]),
    ("400-123-4567", [("400-123-4567", "tel:4001234567")]),
    ("G(2024)008 号地块 12345678901234", []),
    ('"><script>alert(1)</script>@x.cn', []),
])
def test_contact_parts_link_phones_and_emails(text, links):
    parts = contact_parts(text)
    assert "".join(p.text for p in parts) == text
    assert [(p.text, p.href) for p in parts if p.href] == links


def test_contact_parts_of_nothing_is_empty():
    assert contact_parts(None) == [] and contact_parts("") == []


def test_contact_parts_leaves_very_long_text_unlinked():
    text = "0555-1234567 " * 100
    assert contact_parts(text) == [ContactPart(text)]


@pytest.fixture
def zone():
    """use_time_zone, with the default zone restored after the test."""
    yield use_time_zone
    use_time_zone(DEFAULT_TIME_ZONE)


def test_default_time_zone_is_beijing_time():
    assert district_time_text("2026-12-31T16:30:00+00:00") == "2027-01-01 00:30"
    assert district_today(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)) == date(2027, 1, 1)
    assert utc_offset_text() == "UTC+08:00"


def test_configured_time_zone_changes_times_and_dates(zone):
    zone("America/New_York")
    assert district_time_text("2026-07-01T03:30:00+00:00") == "2026-06-30 23:30"
    assert district_today(datetime(2026, 7, 1, 3, 0, tzinfo=UTC)) == date(2026, 6, 30)
    assert utc_offset_text(datetime(2026, 1, 15, tzinfo=UTC)) == "UTC-05:00"


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../etc/passwd", "Asia/Shanghai\x00"])
def test_unknown_time_zone_is_refused_at_startup(tmp_path, name):
    values = load_settings(tmp_path, {"TESTING": True, "TIME_ZONE": name})
    with pytest.raises(ConfigError, match="TIME_ZONE"):
        validate_settings(values)
