#!/usr/bin/env bash
# Start Debian's PostgreSQL 15 cluster (with PostGIS) and create the landgis test database.
# Prints the URL for LANDGIS_TEST_POSTGIS_URL. Needs root or sudo; never touches other databases.
set -euo pipefail
# Only the URL goes to stdout (callers capture it); everything the tools print goes to stderr.
exec 3>&1 1>&2

DB=${LANDGIS_TEST_DB:-landgis_test}
ROLE=landgis_test
PASSWORD=landgis_test

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "PostgreSQL is not installed (run scripts/install_system_packages.sh)" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then as_postgres=(runuser -u postgres --); sudo=""; else
  as_postgres=(sudo -u postgres); sudo="sudo"; fi

if ! pg_lsclusters -h 2>/dev/null | grep -q "^15 \+main"; then
  $sudo pg_createcluster 15 main 3>&-
fi
if ! pg_lsclusters -h | grep -q "^15 \+main .* online"; then
  $sudo pg_ctlcluster 15 main start 3>&-  # the server must not hold the URL pipe open
fi

psql_admin() { "${as_postgres[@]}" psql -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
  psql_admin -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE $DB OWNER $ROLE"
fi
psql_admin -d "$DB" -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS postgis"
echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:5432/$DB" >&3
