"""GDAL's Arrow stream of a layer (pyogrio.open_arrow) as frames, one batch at a time: the
columns and geometry pyogrio.read_dataframe would give for the same features."""

import json
import warnings
from collections.abc import Iterator
from typing import Any

import geopandas as gpd
import nanoarrow
import numpy as np
import pandas as pd
import shapely
from nanoarrow.iterator import UnregisteredExtensionWarning


def _parsed_json(values: pd.Series) -> pd.Series:
    """A JSON-typed field's values parsed, or kept as text when any does not parse (as
    pyogrio.read_dataframe does)."""
    try:
        return values.map(json.loads, na_action="ignore")
    except ValueError:
        return values


def frame_of_batch(batch: Any, meta: dict) -> gpd.GeoDataFrame:
    """One record batch (a nanoarrow array of the layer's fields and WKB geometry) as a
    GeoDataFrame in the layer's CRS, fields in the layer's order, nulls as None/NaN."""
    with warnings.catch_warnings():
        # geoarrow.wkb is read as its storage (WKB bytes), which shapely decodes below
        warnings.simplefilter("ignore", UnregisteredExtensionWarning)
        names, columns = batch.to_columns_pysequence(handle_nulls=nanoarrow.nulls_as_sentinel())
    data = dict(zip(names, columns, strict=True))
    wkb = data.get(meta["geometry_name"] or "wkb_geometry")
    fields = [str(name) for name in meta["fields"]]
    frame = pd.DataFrame({name: data[name] for name in fields})
    for name, dtype, kind, subtype in zip(fields, meta["dtypes"], meta["ogr_types"],
                                          meta["ogr_subtypes"], strict=True):
        if str(dtype).startswith("datetime"):
            frame[name] = pd.to_datetime(frame[name], errors="coerce")
        elif kind.endswith("List"):  # IntegerList, RealList, StringList: arrays, as pyogrio's
            frame[name] = frame[name].map(np.asarray, na_action="ignore")
        elif subtype == "OFSTJSON":
            frame[name] = _parsed_json(frame[name])
    geometry = shapely.from_wkb(np.asarray(wkb if wkb is not None else [None] * len(frame),
                                           dtype=object))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=meta["crs"])


def stream_frames(meta: dict, stream: Any) -> Iterator[gpd.GeoDataFrame]:
    """The frames of an open Arrow stream (pyogrio.open_arrow's), batch by batch."""
    for batch in nanoarrow.ArrayStream(stream):
        yield frame_of_batch(batch, meta)
