#!/usr/bin/env bash
# docker-compose's PostgreSQL, first start only (docker-entrypoint-initdb.d): the schema owner
# that runs the migrations and the app's role that owns nothing (README "Database roles"). The
# migration CLI grants the app role its privileges after each run.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<'SQL'
CREATE ROLE changarrito_owner LOGIN PASSWORD 'changarrito_owner';
CREATE ROLE changarrito_app LOGIN PASSWORD 'changarrito_app' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE changarrito OWNER changarrito_owner;
SQL
