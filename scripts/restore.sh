#!/usr/bin/env bash
# Restore a dump made by scripts/backup.sh into the PostgreSQL database named by
# DATABASE_URL (or by .env). The database must exist; it must be empty unless FORCE=1, which
# replaces what the dump holds. All or nothing: one transaction.
#
#   make restore FILE=backups/20261123T150000Z.dump
#   make restore FILE=... FORCE=1    # into a database that has tables already
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "restore: $*" >&2; exit 1; }

file="${1:-${FILE:-}}"
[[ -n "$file" ]] || die "name the dump: make restore FILE=backups/<timestamp>.dump"
[[ -f "$file" ]] || die "$file: no such file."

. scripts/postgres_url.sh
url="$(postgres_url)" || exit 1
command -v pg_restore >/dev/null || die "pg_restore is not installed (Debian: apt-get install postgresql-client)."

if [[ -f "$file.sha256" ]]; then
  (cd "$(dirname "$file")" && sha256sum --check --quiet "$(basename "$file").sha256") \
    || die "$file does not match its checksum ($file.sha256): it is damaged."
fi

tables="$(psql "$url" --no-psqlrc --tuples-only --no-align --quiet \
  --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" \
  || die "cannot reach the database named by DATABASE_URL; create it first (createdb) if it does not exist."
clean=()
if [[ "$tables" -gt 0 ]]; then
  [[ "${FORCE:-0}" == 1 ]] \
    || die "the database has $tables tables already. Restore into an empty database, or set FORCE=1 to replace them with the dump's."
  clean=(--clean --if-exists)
fi

pg_restore --dbname="$url" --no-owner --no-acl --exit-on-error --single-transaction \
  "${clean[@]}" "$file"
echo "Restored $file."
