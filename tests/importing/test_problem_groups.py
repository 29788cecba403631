"""Row messages read back as reasons: grouped with counts before the per-row list (CLI, CSV,
the preview's data) and shown in Chinese or English."""

from pathlib import Path

import pandas as pd
import pytest
from babel.support import Translations

from webapp.domain.landuse import load_landuse_table
from webapp.importing.columns import convert_attribute_columns
from webapp.importing.reasons import OTHER, REASONS, read_message, translate_message
from webapp.importing.report import REJECTED, ImportReport, RowOutcome

TRANSLATIONS = Path(__file__).resolve().parents[2] / "webapp" / "translations"
ZH = Translations.load(TRANSLATIONS, ["zh"]).gettext
RULE_MESSAGES = [
    "用地性質: unknown land use “住宅區”",
    "状态: unknown status “x”; use one of available, negotiating, sold, reserve or "
    "可供/洽谈中/已出让/储备",
    "gdfs: unknown supply method “gift”; use one of listing, auction, tender, agreement or "
    "挂牌/拍卖/招标/协议",
    "容积率: “abc” is not a number or a range",
    "年限: “abc” is not a number",
    "missing parcel code",
    "missing land use",
    "far_min 2 is larger than far_max 1",
    "duplicate code “T-001” (first in row 1)",
    "empty geometry",
    "geometry is a Point, not a polygon",
    "invalid geometry (Too few points[1 2]) has no area after repair",
    "sliver: area 0.20 m² is below 1 m²",
    "repaired invalid geometry: Self-intersection[118.5 31.7]",
    "declared area 500 differs from the computed 1,234.5 m² by more than 1%",
    "duplicate geometry: same shape as “A” (row 1)",
]


@pytest.mark.parametrize("message", RULE_MESSAGES)
def test_every_rule_message_is_read_back_and_translated(message):
    reasons = read_message(message)
    assert [reason for reason, _ in reasons if reason is OTHER] == []
    assert translate_message(message, str) == message
    chinese = translate_message(message, ZH)
    assert chinese != message and not any(word in chinese for word in (
        "unknown", "missing", "larger", "duplicate", "geometry", "sliver", "declared"))


def test_notes_joined_in_one_message_are_read_one_by_one():
    message = f"{RULE_MESSAGES[13]}; {RULE_MESSAGES[14]}"
    assert [r.key for r, _ in read_message(message)] == ["repaired", "declared_area"]
    chinese = translate_message(message, ZH)
    assert chinese.startswith("已修复无效几何：") and "; 申报面积 500 与计算面积" in chinese


def test_every_reason_has_a_chinese_label_and_template():
    for reason in REASONS:
        assert ZH(reason.label) != reason.label and ZH(reason.template) != reason.template


def test_messages_of_the_column_rules_are_known_reasons():
    frame = pd.DataFrame({"code": ["A", None, "C", "D"], "use": ["住宅區", "0901", None, "0901"],
                          "zt": ["可供", "可供", "可供", "maybe"], "far": ["1", "1", "1", "x"]})
    mapping = {"code": "code", "use": "land_use", "zt": "status", "far": "far"}
    errors = convert_attribute_columns(frame, mapping, load_landuse_table()).errors.tolist()
    assert [read_message(e)[0][0].key for e in errors] == [
        "unknown_land_use", "missing_code", "missing_land_use", "unknown_status"]


def report_of(messages: list[tuple[str, str]]) -> ImportReport:
    report = ImportReport("f.geojson", "GeoJSON")
    report.rows = [RowOutcome(i, f"C{i}", outcome, message)
                   for i, (outcome, message) in enumerate(messages, start=1)]
    return report


WORDS = [(REJECTED, "用地性質: unknown land use “住宅區”")] * 3 + [
    (REJECTED, "用地性質: unknown land use “R-1”"),
    (REJECTED, "duplicate code “C1” (first in row 1)"),
    (REJECTED, "duplicate code “C2” (first in row 2)"),
    ("accepted", ""), ("repaired", "repaired invalid geometry: Self-intersection[1 2]")]


def test_problems_are_grouped_by_reason_and_value_most_rows_first():
    groups = report_of(WORDS).problem_groups()
    assert [(g.outcome, g.text()) for g in groups] == [
        (REJECTED, "unknown land use 住宅區: 3 rows"),
        (REJECTED, "duplicate code: 2 rows"),
        ("repaired", "repaired invalid geometry: 1 row"),
        (REJECTED, "unknown land use R-1: 1 row")]


def test_csv_lists_groups_before_rows_in_the_language_asked():
    lines = report_of(WORDS).to_csv(ZH).lstrip("\ufeff").splitlines()
    assert lines[0] == "行号,宗地编号,结果,说明"
    assert lines[1] == ",,拒绝,未知土地用途 住宅區：3 行"
    assert lines[5] == "1,C1,拒绝,用地性質：未知土地用途“住宅區”"

