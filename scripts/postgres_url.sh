# Sourced by backup.sh and restore.sh: prints the PostgreSQL URL of DATABASE_URL (from the
# environment, else from .env), or says why there is none and fails.
postgres_url() {
  local url="${DATABASE_URL:-}"
  if [[ -z "$url" && -f .env ]]; then
    url="$(sed -n 's/^DATABASE_URL=//p' .env | tail -n 1)"
  fi
  case "$url" in
    postgres://* | postgresql://*) echo "$url" ;;
    "") echo "DATABASE_URL is not set: it names the PostgreSQL database." >&2; return 1 ;;
    *) echo "DATABASE_URL is not PostgreSQL. A SQLite file (the default) is backed up by copying it while the server is stopped." >&2; return 1 ;;
  esac
}
