"""The store layout's version number: recorded in every store, raised by each numbered
migration (webapp/store/migrations), compared at start-up and by `landgis check`."""

CURRENT_SCHEMA_VERSION = 2  # the layout of this release; each migration adds one

# Where both stores record it: a two-column key/value table of landgis's own (the GeoPackage
# registers it as non-feature content; PRAGMA user_version is the GeoPackage format's version).
META_TABLE = "landgis_meta"
VERSION_KEY = "schema_version"
UNRECORDED = 0  # no store yet, or one made before versions were recorded (layout 1)
