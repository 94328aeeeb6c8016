#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY PostgreSQL database and an empty (or
# new) attachment directory. Then start Heard on them with the data keys the backup needs
# (docs/operations.md#backup-and-restore).
#
#   DATABASE_URL=postgresql://…/heard_restored ATTACHMENT_DIR=/srv/heard/attachments scripts/restore.sh /backups/heard-2026-12-07
set -euo pipefail

usage() { echo "usage: DATABASE_URL=postgresql://… ATTACHMENT_DIR=… $0 BACKUP_DIRECTORY" >&2; exit 2; }
[ $# -eq 1 ] || usage
source_dir=$1
: "${DATABASE_URL:?DATABASE_URL must name an empty PostgreSQL database}"
: "${ATTACHMENT_DIR:?ATTACHMENT_DIR must name an empty or new directory}"
database=${DATABASE_URL/#postgresql+psycopg:/postgresql:}
database=${database/#postgres:/postgresql:}
[[ $database == postgresql://* ]] || { echo "DATABASE_URL is not a PostgreSQL URL" >&2; exit 2; }

# A damaged or incomplete copy is refused before anything is written.
(cd "$source_dir" && sha256sum --check --quiet SHA256SUMS)
tables=$(psql --no-psqlrc --tuples-only --no-align --dbname="$database" \
  --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
[ "$tables" = 0 ] || { echo "The database already holds $tables tables: restore into an empty one" >&2; exit 1; }
if [ -d "$ATTACHMENT_DIR" ] && [ -n "$(ls -A "$ATTACHMENT_DIR")" ]; then
  echo "ATTACHMENT_DIR $ATTACHMENT_DIR is not empty: restore into an empty one" >&2
  exit 1
fi

umask 077
mkdir -p "$ATTACHMENT_DIR"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$database" "$source_dir/database.dump"
tar --extract --gzip --file="$source_dir/attachments.tar.gz" --directory="$ATTACHMENT_DIR"
echo "Restored $(grep schema_revision "$source_dir/about.txt") made $(grep made_at "$source_dir/about.txt" | cut -d= -f2)."
echo "Start Heard with DATA_ENCRYPTION_KEYS = the current key first, then every key that was"
echo "listed when the backup was made; then run \`flask keys rotate\` before dropping any."
