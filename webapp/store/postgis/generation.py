"""A generation counter bumped by a statement trigger on a table, whoever writes it (landgis, or
QGIS editing the table directly): the DDL both the parcel summaries and the context layers use."""


def generation_statements(state: str, bump: str, trigger: str, table: str) -> list[str]:
    """Statements creating the one-row `state` table (generation 0), the `bump` function and the
    `trigger` that calls it after any write to `table`; each may run again (IF NOT EXISTS).
    `state`, `bump` and `table` are schema-qualified names; `trigger` is a bare name."""
    return [
        f"CREATE TABLE IF NOT EXISTS {state} (id integer PRIMARY KEY CHECK (id = 1), "
        "generation bigint NOT NULL)",
        f"INSERT INTO {state} (id, generation) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
        f"""CREATE OR REPLACE FUNCTION {bump}() RETURNS trigger LANGUAGE plpgsql
            SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
            BEGIN
                UPDATE {state} SET generation = generation + 1 WHERE id = 1;
                RETURN NULL;
            END $$""",
        f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '{trigger}'
                           AND tgrelid = '{table}'::regclass) THEN
                CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
                    ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {bump}();
            END IF;
        END $$""",
    ]
