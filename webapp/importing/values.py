"""Parse attribute values as bureau files write them: numbers with units, ranges, Chinese names."""

import math
import re

from pandas import NaT

from webapp.domain.parcel import STATUSES, SUPPLY_METHODS
from webapp.importing.traditional import fold_traditional

_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_NUMBER_RE = re.compile(_NUMBER)
# Chinese documents type the full-width comparison signs; they are read as > < =.
_AT_LEAST = ("≥", ">=", "＞＝", "不小于", "不低于", "大于等于", "以上", ">", "＞", "大于")  # noqa: RUF001
_AT_MOST = ("≤", "<=", "＜＝", "不大于", "不高于", "不超过", "小于等于", "以下", "<", "＜", "小于")  # noqa: RUF001
_BOUND_MARKS = sorted([(m, "min") for m in _AT_LEAST] + [(m, "max") for m in _AT_MOST],
                     key=lambda pair: -len(pair[0]))

STATUS_NAMES = {
    "available": ("可供", "可供应", "待出让", "待供应", "招商中", "可出让", "available"),
    "negotiating": ("洽谈中", "洽谈", "意向", "negotiating", "under negotiation"),
    "sold": ("已出让", "已供应", "已成交", "已售", "sold"),
    "reserve": ("储备", "储备用地", "未供应", "reserve"),
}
SUPPLY_METHOD_NAMES = {
    "listing": ("挂牌", "挂牌出让", "listing"),
    "auction": ("拍卖", "拍卖出让", "auction"),
    "tender": ("招标", "招标出让", "tender"),
    "agreement": ("协议", "协议出让", "agreement"),
}


def is_blank(value: object) -> bool:
    """True for None, NaN, NaT and empty or whitespace-only text."""
    if value is None or value is NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def plain_value(value: object) -> object:
    """A field value as the JSON of a parcel's extra attributes can hold it: text, numbers and
    booleans as they are, dates and times in ISO 8601, anything else (binary, ...) as text."""
    if isinstance(value, str | bool | int | float) or value is None:
        return value
    if hasattr(value, "isoformat"):  # datetime, date, time, pandas Timestamp
        return value.isoformat()
    if hasattr(value, "item"):  # a numpy scalar
        return plain_value(value.item())
    if isinstance(value, bytes | bytearray):
        return value.hex()
    return str(value)


def parse_number_text(value: object) -> float:
    """A number from 12.5, '12.5', '1,234.5 万元', '50年', '15%'; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"“{value}” is not a number")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"“{value}” is not a number")
        return float(value)
    text = str(value).replace(",", "").replace("，", "").strip()
    found = _NUMBER_RE.findall(text)
    if len(found) != 1 or re.search(r"\d", _NUMBER_RE.sub("", text)):
        raise ValueError(f"“{value}” is not a number")
    return float(found[0])


def parse_range_text(value: object) -> tuple[float | None, float | None]:
    """(min, max) from '1.0-2.0', '1 ≤ R ≤ 1.5', '≥1.2', '不大于25%', '1.5' (min = max)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = parse_number_text(value)
        return number, number
    text = str(value).replace(",", "").strip()
    numbers = [float(n) for n in _NUMBER_RE.findall(text.replace("—", "-").replace("~", " ")
                                                          .replace("至", " ").replace("～", " "))]
    numbers = [abs(n) for n in numbers]
    if len(numbers) == 2:
        low, high = sorted(numbers)
        return low, high
    if len(numbers) != 1:
        raise ValueError(f"“{value}” is not a number or a range")
    for mark, side in _BOUND_MARKS:  # longest first: 不大于 (at most) before 大于 (at least)
        if mark in text:
            return (numbers[0], None) if side == "min" else (None, numbers[0])
    return numbers[0], numbers[0]


def _lookup(value: object, names: dict[str, tuple[str, ...]], what: str,
            allowed: tuple[str, ...]) -> str:
    text = fold_traditional(str(value).strip().lower())
    for key, spellings in names.items():
        if text in spellings:
            return key
    raise ValueError(f"unknown {what} “{value}”; use one of {', '.join(allowed)} "
                     f"or {'/'.join(s[0] for s in names.values())}")


def parse_status(value: object) -> str:
    """A parcel status from English or Chinese names (可供, 洽谈中, 已出让, 储备)."""
    return _lookup(value, STATUS_NAMES, "status", STATUSES)


def parse_supply_method(value: object) -> str:
    """A supply method from English or Chinese names (挂牌, 拍卖, 招标, 协议)."""
    return _lookup(value, SUPPLY_METHOD_NAMES, "supply method", SUPPLY_METHODS)
