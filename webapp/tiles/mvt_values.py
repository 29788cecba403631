"""An MVT layer's values table and each feature's tags, from attribute columns.

Values are deduplicated per column: numbers sorted, other values written as text, deduplicated by
that text, in order of first use; None and NaN leave the attribute out of a feature. Up to
SMALL_LAYER_FEATURES features they are built in one compiled call (mvt_compiled.small_layer_values),
past that with numpy and pandas (whose per-call cost pays off there); both write the same bytes.
"""

import numpy as np
import pandas as pd

from webapp.tiles import compiled_loops
from webapp.tiles.protobuf import message, varint_bytes, varint_sizes

VALUE_TAG = 0x22  # layer field 4 (values), length-delimited
SMALL_LAYER_FEATURES = 256  # up to this many features the compiled path is the faster one
# The value message of a string of n < 126 UTF-8 bytes starts with these 4 bytes.
_SHORT_STRING_HEADERS = [bytes((VALUE_TAG, n + 2, 0x0A, n)) for n in range(126)]


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
    """Every column in one compiled call (mvt_compiled.small_layer_values): its per-call cost,
    not the values, is what a small layer's values table costs."""
    loops = compiled_loops()
    kinds, ints, doubles, texts = [], [], [], []
    for column in columns:
        kind = column.dtype.kind
        if kind in "iu":  # unsigned ones below 2^63, as ids and counts are
            kinds.append(loops.NUMBER_INT)
            ints.append(column)
        elif kind == "f":
            kinds.append(loops.NUMBER_DOUBLE)
            doubles.append(column)
        else:
            kinds.append(loops.TEXT)
            texts.append(column.tolist())
    picked = features.tolist()
    encoded = [v.encode() if v.__class__ is str else _text_bytes(v)
               for values in texts for v in map(values.__getitem__, picked)]
    lengths = np.array([-1 if b is None else len(b) for b in encoded], np.int64)
    rows = len(columns[0]) if columns else 0
    data, tags = loops.small_layer_values(
        np.array(kinds, np.int64), _stacked(ints, rows, np.int64),
        _stacked(doubles, rows, np.float64),
        np.frombuffer(b"".join(filter(None, encoded)), np.uint8),
        lengths.reshape(len(texts), len(picked)), features.astype(np.int64, copy=False))
    return data.tobytes(), tags


def _stacked(columns: list[np.ndarray], rows: int, dtype) -> np.ndarray:
    """Columns side by side as one C-ordered 2-D array (rows × 0 when there are none)."""
    if not columns:
        return np.empty((rows, 0), dtype)
    return np.ascontiguousarray(np.column_stack(columns), dtype=dtype)


def _text_bytes(value) -> bytes | None:
    """A value of a text column as UTF-8 (None: missing, as None and NaN are)."""
    if value is None or value != value:  # NaN is not equal to itself
        return None
    return value.encode("utf-8") if isinstance(value, str) else str(value).encode()


def _string_message(text: str) -> bytes:
    body = text.encode("utf-8")
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
    if not all(isinstance(v, str) for v in uniques):  # 14 and "14" are one text value
        codes_of_texts, uniques = pd.factorize(np.array([str(v) for v in uniques], object))
        codes = np.where(codes < 0, -1, codes_of_texts[codes])
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
