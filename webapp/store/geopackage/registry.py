"""Register landgis's own tables in a GeoPackage as non-feature content.

GeoPackage readers list only what gpkg_contents names; a table registered there with a
landgis data type (and, where the file has gpkg_extensions, a row naming landgis's extension)
is declared as belonging to landgis, and GIS clients do not offer it as a map layer.
"""

import sqlite3


def register_tables(db: sqlite3.Connection, tables: tuple[str, ...], data_type: str,
                    description: str, extension: str | None = None,
                    definition: str = "") -> None:
    """Record the tables in gpkg_contents (and gpkg_extensions when given an extension name and
    the file has that table); tables already registered are left as they are."""
    has_extensions = extension and db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_extensions'"
    ).fetchone()
    for table in tables:
        db.execute("INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
                   "description) VALUES (?, ?, ?, ?)", (table, data_type, table, description))
        if has_extensions and not db.execute(
                "SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND extension_name = ?",
                (table, extension)).fetchone():
            db.execute("INSERT INTO gpkg_extensions (table_name, column_name, extension_name, "
                       "definition, scope) VALUES (?, NULL, ?, ?, 'read-write')",
                       (table, extension, definition))


def schema_has(db: sqlite3.Connection, name: str) -> bool:
    """Whether the file's schema holds a table, index or trigger of this name (stores made
    before a feature lack its tables)."""
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() \
        is not None
