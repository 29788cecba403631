"""Inspect an uploaded GeoPackage with Python's sqlite3 (read-only) before GDAL opens it.

A GeoPackage is an SQLite database, and SQLite schema objects are code: a view can call
functions and read other tables when selected, a trigger runs on writes, a virtual table is
served by a module. A parcel file needs none of that beyond what the GeoPackage standard and
GDAL create, so everything else is refused: views, virtual tables other than the spatial
index (``USING rtree(``), triggers other than the standard ones (R-tree maintenance of a
feature table, GDAL's feature-count triggers, the gpkg_* metadata checks), and contents that
are not ``features``. The file is opened ``mode=ro&immutable=1`` with ``trusted_schema=OFF``,
so nothing is written to it, not even a journal.
"""

import re
import sqlite3
import urllib.parse
from pathlib import Path

from webapp.domain.errors import DataFileError

_RTREE_SUFFIX = re.compile(r"_(insert|update[1-7]|delete)\Z")
# SQL tokens: quoted text ('…', "…", `…`, […]), words, and single other characters.
_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|\w+|\S""")
_TABLE_KEYWORDS = frozenset({"into", "update", "from", "join"})
# Functions and keywords the standard triggers use before a parenthesis.
_ALLOWED_CALLS = frozenset({
    "st_isempty", "st_minx", "st_maxx", "st_miny", "st_maxy", "raise", "lower", "strftime",
    "glob", "in", "values", "not", "and", "or", "when", "where", "select", "exists", "is",
    "like", "then", "else", "on", "begin",
})


def _connect(path: Path) -> sqlite3.Connection:
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro&immutable=1"
    connection = sqlite3.connect(uri, uri=True)
    connection.execute("PRAGMA trusted_schema=OFF")
    return connection


def _feature_tables(connection: sqlite3.Connection, name: str) -> dict[str, str]:
    """Feature table → its geometry column; DataFileError for non-feature contents."""
    contents = connection.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall()
    others = sorted(str(table) for table, kind in contents if kind != "features")
    if others:
        raise DataFileError(f"{name}: the GeoPackage holds contents that are not feature "
                            f"layers ({', '.join(others)}); send the parcel layer alone")
    columns = dict(connection.execute(
        "SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall())
    return {str(table): str(columns.get(table, "")) for table, _kind in contents}


def _unquote(token: str) -> str:
    if token[:1] in "'\"`[":
        return token[1:-1].replace(token[0] * 2, token[0]) if token[0] != "[" else token[1:-1]
    return token


def _sql_uses(sql: str) -> tuple[set[str], set[str]]:
    """(tables written or read, functions called) by a trigger's SQL, found token by token
    so that text inside string literals is never taken for a name."""
    tokens = _TOKEN.findall(sql)
    tables, calls = set(), set()
    for index, token in enumerate(tokens[:-1]):
        following = tokens[index + 1]
        if following == "(" and re.fullmatch(r"\w+", token):
            calls.add(token.lower())
        if token.lower() in _TABLE_KEYWORDS and following.lower() not in ("of", "on"):
            tables.add(_unquote(following))
    return tables, calls


def _standard_trigger(name: str, table: str, sql: str, features: dict[str, str]) -> bool:
    """True for the R-tree, feature-count and gpkg_* triggers GDAL and the standard create."""
    used, calls = _sql_uses(sql)
    if not calls <= _ALLOWED_CALLS:
        return False
    if name.startswith("gpkg_") and table.startswith("gpkg_"):
        return all(t.startswith("gpkg_") for t in used)
    if table not in features:
        return False
    rtree = f"rtree_{table}_{features[table]}"
    if name.startswith(rtree) and _RTREE_SUFFIX.fullmatch(name[len(rtree):]):
        return used <= {table, rtree}
    if name in (f"trigger_insert_feature_count_{table}", f"trigger_delete_feature_count_{table}"):
        return used <= {table, "gpkg_ogr_contents"}
    return False


def _check_schema(connection: sqlite3.Connection, name: str) -> None:
    features = _feature_tables(connection, name)
    rtrees = {f"rtree_{table}_{column}" for table, column in features.items()}
    for kind, object_name, table, sql in connection.execute(
            "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master"):
        if kind == "view":
            raise DataFileError(f"{name}: the GeoPackage holds a view ({object_name}); views "
                                "are not accepted in uploads")
        if kind == "trigger" and not _standard_trigger(object_name, table, sql, features):
            raise DataFileError(f"{name}: the GeoPackage holds a trigger that is not a standard "
                                f"GeoPackage one ({object_name}); refused")
        virtual = kind == "table" and sql.lstrip().upper().startswith("CREATE VIRTUAL")
        if virtual and (object_name not in rtrees or "USING RTREE(" not in sql.upper()):
            raise DataFileError(f"{name}: the GeoPackage holds a virtual table "
                                f"({object_name}) other than a spatial index; refused")
    tables = {row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = sorted(set(features) - tables)
    if missing:
        raise DataFileError(f"{name}: the GeoPackage lists layers that are not tables "
                            f"({', '.join(missing)}); refused")


def check_geopackage(path: Path, name: str) -> None:
    """DataFileError unless the GeoPackage holds only feature tables and standard objects."""
    try:
        connection = _connect(path)
    except sqlite3.Error:
        raise DataFileError(f"{name}: the GeoPackage cannot be opened (damaged file)") from None
    try:
        _check_schema(connection, name)
    except sqlite3.Error:
        raise DataFileError(f"{name}: damaged or incomplete GeoPackage (its tables cannot be "
                            "read)") from None
    finally:
        connection.close()
