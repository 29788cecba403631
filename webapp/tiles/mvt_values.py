"""An MVT layer's values table and each feature's tags, from attribute columns.

Values are deduplicated per column: numbers sorted, other values (written as strings) in order of
first use; None and NaN leave the attribute out of a feature. Up to SMALL_LAYER_FEATURES features
they are built value by value (numbers in compiled code, text in plain Python), past that with
numpy and pandas (whose per-call cost pays off there); both write the same bytes.
"""

import struct

import numpy as np
import pandas as pd

from webapp.tiles import compiled_loops
from webapp.tiles.protobuf import message, varint, varint_bytes, varint_sizes

VALUE_TAG = 0x22  # layer field 4 (values), length-delimited
SMALL_LAYER_FEATURES = 64  # up to this many features plain loops are faster than numpy
UINT64_MASK = (1 << 64) - 1  # integer values are written as uint64, as numpy casts them
DOUBLE_VALUE = b"\x22\x09\x19"  # a value message holding one double (field 3, fixed64)
# The value message of a string of n < 126 UTF-8 bytes starts with these 4 bytes.
_SHORT_STRING_HEADERS = [bytes((VALUE_TAG, n + 2, 0x0A, n)) for n in range(126)]
_pack_double = struct.Struct("<d").pack


def layer_values(properties: dict[str, np.ndarray], features: np.ndarray
                 ) -> tuple[bytes, np.ndarray]:
    """(the value messages of the given features' attributes, their tags: one row per feature,
    key index and value index per column, value index -1 where the attribute is missing)."""
    columns = [np.asarray(column) for column in properties.values()]
    if len(features) <= SMALL_LAYER_FEATURES:
        return _small_layer_values(columns, features)
    return _bulk_layer_values([column[features] for column in columns], len(features))


def _small_layer_values(columns: list[np.ndarray], features: np.ndarray
                        ) -> tuple[bytes, np.ndarray]:
    """Numbers in compiled code (mvt_compiled.number_values), text in plain Python."""
    messages, codes, offsets, offset = [], [], [], 0
    for column in columns:
        kind = column.dtype.kind
        if kind in "fi":
            doubles = kind == "f"
            data, column_codes = compiled_loops().number_values(
                column.astype(np.float64 if doubles else np.int64, copy=False), features,
                doubles)
            messages.append(data.tobytes())
            count = int((column_codes.max(initial=-1)) + 1)
        else:
            texts, text_codes = _column_values(column, features.tolist())
            messages.append(b"".join(texts))
            column_codes = np.array([-1 if c is None else c for c in text_codes], np.int64)
            count = len(texts)
        codes.append(column_codes)
        offsets.append(offset)
        offset += count
    tags = np.empty((len(features), 2 * len(columns)), np.int64)
    if columns:
        stacked = np.column_stack(codes)
        tags[:, 0::2] = np.arange(len(columns))
        tags[:, 1::2] = np.where(stacked < 0, -1, stacked + np.array(offsets))
    return b"".join(messages), tags


def _column_values(values: np.ndarray, features: list[int]
                   ) -> tuple[list[bytes], list[int | None]]:
    """(value messages of the distinct values, each feature's value index or None)."""
    listed = values.tolist()
    picked = [listed[i] for i in features]
    kind = values.dtype.kind
    present = [v for v in picked if v is not None and v == v]  # NaN is not equal to itself
    if kind == "f":
        distinct = sorted(set(present))
        messages = [DOUBLE_VALUE + _pack_double(v) for v in distinct]
    elif kind in "iu":
        distinct = sorted(set(present))
        messages = [message(VALUE_TAG, b"\x20" + varint(v & UINT64_MASK)) for v in distinct]
    else:
        distinct = list(dict.fromkeys(present))
        messages = [_string_message(v) for v in distinct]
    index = {value: i for i, value in enumerate(distinct)}
    return messages, [index.get(v) for v in picked]  # missing values are not in the index


def _string_message(value) -> bytes:
    body = value.encode("utf-8") if isinstance(value, str) else str(value).encode()
    if len(body) < len(_SHORT_STRING_HEADERS):
        return _SHORT_STRING_HEADERS[len(body)] + body
    return message(VALUE_TAG, message(0x0A, body))


def _bulk_layer_values(columns: list[np.ndarray], count: int) -> tuple[bytes, np.ndarray]:
    messages, tags, offset = [], [np.zeros((count, 0), np.int64)], 0
    for key_index, values in enumerate(columns):
        codes, uniques = _factorize(values)
        if values.dtype.kind == "f":
            messages.append(_double_messages(uniques))
        elif values.dtype.kind in "iu":
            messages.append(_int_messages(uniques))
        else:
            messages.append(b"".join(_string_message(v) for v in uniques.tolist()))
        tags.append(np.column_stack([np.full(len(codes), key_index),
                                     np.where(codes < 0, -1, codes + offset)]))
        offset += len(uniques)
    return b"".join(messages), np.ascontiguousarray(np.hstack(tags), dtype=np.int64)


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code of each value, -1 for None/NaN; the distinct values)."""
    if values.dtype.kind in "fiu":
        present = ~np.isnan(values) if values.dtype.kind == "f" else np.ones(len(values), bool)
        uniques, inverse = np.unique(values[present], return_inverse=True)
        codes = np.full(len(values), -1, dtype=np.int64)
        codes[present] = inverse
        return codes, uniques
    codes, uniques = pd.factorize(values, use_na_sentinel=True)  # None and NaN: -1
    return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=object)


def _double_messages(values: np.ndarray) -> bytes:
    """Value messages (double_value) of many floats at once."""
    out = np.empty((len(values), 11), dtype=np.uint8)
    out[:, :3] = (VALUE_TAG, 9, 0x19)
    out[:, 3:] = values.astype("<f8").view(np.uint8).reshape(-1, 8)
    return out.tobytes()


def _int_messages(values: np.ndarray) -> bytes:
    """Value messages (int_value) of many non-negative integers at once."""
    tokens = np.column_stack([np.full(len(values), VALUE_TAG), varint_sizes(values) + 1,
                              np.full(len(values), 0x20), values]).reshape(-1)
    return varint_bytes(tokens)[0].tobytes()
