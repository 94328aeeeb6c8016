#!/usr/bin/env bash
# Back up Heard: the database (pg_dump, custom format) and the attachment files (tar), into a
# new directory, with their SHA-256 sums. The data keys are NOT included: keep them apart
# (docs/operations.md#backup-and-restore).
#
#   DATABASE_URL=postgresql://… ATTACHMENT_DIR=/srv/heard/attachments scripts/backup.sh /backups/heard-$(date +%F)
#
# Needs pg_dump of the server's major version or newer. Run it away from `flask retention run`
# and `flask keys rotate`: the dump and the files are copied one after the other, not at one
# instant.
set -euo pipefail

usage() { echo "usage: DATABASE_URL=postgresql://… ATTACHMENT_DIR=… $0 NEW_DIRECTORY" >&2; exit 2; }
[ $# -eq 1 ] || usage
destination=$1
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
: "${ATTACHMENT_DIR:?ATTACHMENT_DIR must name the attachment directory}"
# SQLAlchemy's driver name (postgresql+psycopg://) means nothing to libpq.
database=${DATABASE_URL/#postgresql+psycopg:/postgresql:}
database=${database/#postgres:/postgresql:}
[[ $database == postgresql://* ]] || { echo "DATABASE_URL is not a PostgreSQL URL" >&2; exit 2; }
[ -d "$ATTACHMENT_DIR" ] || { echo "ATTACHMENT_DIR $ATTACHMENT_DIR is not a directory" >&2; exit 2; }
[ ! -e "$destination" ] || { echo "$destination exists: give a new directory" >&2; exit 2; }

umask 077
mkdir -p "$destination"
# --no-owner/--no-privileges: the copy restores into a database owned by whoever restores it.
pg_dump --format=custom --no-owner --no-privileges --file="$destination/database.dump" \
  --dbname="$database"
tar --create --gzip --file="$destination/attachments.tar.gz" --directory="$ATTACHMENT_DIR" .
revision=$(psql --no-psqlrc --tuples-only --no-align --dbname="$database" \
  --command="SELECT version_num FROM alembic_version")
{
  echo "made_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "schema_revision=$revision"
} >"$destination/about.txt"
(cd "$destination" && sha256sum database.dump attachments.tar.gz about.txt >SHA256SUMS)
echo "Backed up to $destination (schema $revision): $(du -sh "$destination" | cut -f1)."
echo "It opens only with the data keys that were in DATA_ENCRYPTION_KEYS when it was made."
