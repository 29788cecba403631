"""Small pieces of every context feature, for the nearest-feature search of a PostGIS store.

A KNN search (`<->`) walks a GiST index of bounding boxes: a long road or a big street outline
has a box that covers half the district, so every parcel's search opens it and measures its
whole geometry (the expressway layer of the 10^6-parcel benchmark: 732 ms for 3,000 parcels).
Each feature's distance-CRS copy is therefore also kept cut by ST_Subdivide into pieces of at
most PIECE_VERTICES vertices, in `landgis_context_pieces` (one LIST partition per layer, like
the features: mixed SRIDs cannot share one `<->` index), and the search walks the pieces
(112 ms). The distance to a feature is the least distance to its pieces (they cover it
exactly), and a parcel inside a polygon lies inside one of its pieces: distance 0.

A row trigger on the feature table keeps the pieces in step with every write, whoever makes it
(landgis, or QGIS editing `context_features` directly); ensure_schema creates and fills the
pieces of a store made before them.
"""

from webapp.domain.context import LAYER_NAME
from webapp.store.postgis.location import PostGISLocation
from webapp.store.tables import CONTEXT_FEATURES, CONTEXT_LAYERS

PIECES = "landgis_context_pieces"
PIECES_PREFIX = "landgis_pieces_"  # + the layer name (≤ 40 characters): within 63
PIECES_FUNCTION = "landgis_cut_context_pieces"
PIECES_TRIGGER = "landgis_context_pieces_kept"
PIECES_TRUNCATE_TRIGGER = "landgis_context_pieces_truncated"
PIECE_VERTICES = 16  # ST_Subdivide's max_vertices (8 is its least)


def pieces_statements(location: PostGISLocation) -> list[str]:
    """The pieces table, its indexes, the triggers that keep it and the backfill of layers
    without pieces; all idempotent. Run after the feature table exists."""
    pieces, features = location.table(PIECES), location.table(CONTEXT_FEATURES)
    return [
        f"""CREATE TABLE IF NOT EXISTS {pieces} (
            layer text COLLATE "C" NOT NULL,
            feature_id bigint NOT NULL,
            geom_m geometry NOT NULL) PARTITION BY LIST (layer)""",
        f"CREATE INDEX IF NOT EXISTS {PIECES}_geom_m_gist ON {pieces} USING gist (geom_m)",
        f"CREATE INDEX IF NOT EXISTS {PIECES}_feature ON {pieces} (layer, feature_id)",
        _function_sql(location),
        _trigger_sql(PIECES_TRIGGER, "AFTER INSERT OR UPDATE OR DELETE", "ROW", features,
                     location.table(PIECES_FUNCTION)),
        _trigger_sql(PIECES_TRUNCATE_TRIGGER, "AFTER TRUNCATE", "STATEMENT", features,
                     location.table(PIECES_FUNCTION)),
        _backfill_sql(location),
    ]


def _function_sql(location: PostGISLocation) -> str:
    # SECURITY DEFINER (a QGIS user may write features without rights on the pieces) with a
    # fixed search_path: pg_catalog, PostGIS's own schema (found when the function is made).
    pieces = location.table(PIECES)
    body = f"""
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                TRUNCATE {pieces};
                RETURN NULL;
            END IF;
            IF TG_OP <> 'INSERT' THEN
                DELETE FROM {pieces} WHERE layer = OLD.layer AND feature_id = OLD.id;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO {pieces} (layer, feature_id, geom_m)
                SELECT NEW.layer, NEW.id, ST_Subdivide(NEW.geom_m, {PIECE_VERTICES});
            END IF;
            RETURN NULL;
        END"""
    return f"""DO $do$ DECLARE postgis text := (SELECT extnamespace::regnamespace::text
                                                FROM pg_extension WHERE extname = 'postgis');
        BEGIN
            EXECUTE format($f$CREATE OR REPLACE FUNCTION {location.table(PIECES_FUNCTION)}()
                RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
                SET search_path = pg_catalog, %s, pg_temp AS $body${body}$body$$f$, postgis);
        END $do$"""


def _trigger_sql(trigger: str, events: str, level: str, table: str, function: str) -> str:
    return f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '{trigger}'
                           AND tgrelid = '{table}'::regclass) THEN
                CREATE TRIGGER {trigger} {events} ON {table}
                    FOR EACH {level} EXECUTE FUNCTION {function}();
            END IF;
        END $$"""


def _backfill_sql(location: PostGISLocation) -> str:
    # Runs after the trigger exists, in ensure_schema's transaction: the trigger's lock on the
    # feature table holds writers back until the pieces are complete.
    schema, pieces = location.schema, location.table(PIECES)
    return f"""DO $$ DECLARE layer_name text; BEGIN
            FOR layer_name IN SELECT name FROM {location.table(CONTEXT_LAYERS)} LOOP
                IF to_regclass(format('%I.%I', '{schema}', '{PIECES_PREFIX}' || layer_name))
                        IS NULL THEN
                    EXECUTE format('CREATE TABLE %I.%I PARTITION OF {pieces} '
                                   'FOR VALUES IN (%L)', '{schema}',
                                   '{PIECES_PREFIX}' || layer_name, layer_name);
                    EXECUTE format('INSERT INTO {pieces} (layer, feature_id, geom_m) '
                                   'SELECT layer, id, ST_Subdivide(geom_m, {PIECE_VERTICES}) '
                                   'FROM {location.table(CONTEXT_FEATURES)} WHERE layer = %L',
                                   layer_name);
                    EXECUTE format('ANALYZE %I.%I', '{schema}', '{PIECES_PREFIX}' || layer_name);
                END IF;
            END LOOP;
        END $$"""


def pieces_partition_table(location: PostGISLocation, layer: str) -> str:
    """The schema-qualified, quoted name of a layer's pieces partition (layer: a checked
    name, domain.context.LAYER_NAME)."""
    if not LAYER_NAME.fullmatch(layer):
        raise ValueError(f"not a layer name: {layer!r}")
    return location.table(f"{PIECES_PREFIX}{layer}")


def create_pieces_partition_sql(location: PostGISLocation, layer: str) -> str:
    """CREATE TABLE for a layer's pieces partition (idempotent; checked layer name)."""
    return (f"CREATE TABLE IF NOT EXISTS {pieces_partition_table(location, layer)} PARTITION OF "
            f"{location.table(PIECES)} FOR VALUES IN ('{layer}')")
