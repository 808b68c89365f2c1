#!/usr/bin/env bash
# Back up the PostgreSQL database named by DATABASE_URL (or by .env) into
# backups/<UTC timestamp>.dump, pg_dump's custom format, with a .sha256 beside it.
#
# The uploaded staffing return files live in that database (StaffingReturn.content, a
# BinaryField), so the dump holds them too: there are no other files to copy.
#
#   make backup                      # or scripts/backup.sh
#   BACKUP_DIR=/srv/backups make backup
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "backup: $*" >&2; exit 1; }

. scripts/postgres_url.sh
url="$(postgres_url)" || exit 1
command -v pg_dump >/dev/null || die "pg_dump is not installed (Debian: apt-get install postgresql-client)."

dir="${BACKUP_DIR:-backups}"
mkdir -p "$dir"
file="$dir/$(date -u +%Y%m%dT%H%M%SZ).dump"
[[ -e "$file" ]] && die "$file exists already; wait a second and run it again."

# Written under a temporary name and renamed when complete: a dump cut short by a crash or
# a full disk never looks like a backup.
pg_dump --dbname="$url" --format=custom --no-owner --no-acl --file="$file.partial"
mv "$file.partial" "$file"
(cd "$dir" && sha256sum "$(basename "$file")" > "$(basename "$file").sha256")

echo "Backed up to $file ($(du -h "$file" | cut -f1)), uploaded return files included."
echo "Restore with: make restore FILE=$file"
