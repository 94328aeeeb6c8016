#!/usr/bin/env bash
# Build Heard's front-end assets from GOV.UK Frontend (npm) into static/govuk/.
# Usage (from anywhere): bash scripts/build-assets.sh
set -euo pipefail

cd "$(dirname "$0")/.."

if [ -f package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund
else
  npm install --ignore-scripts --no-audit --no-fund
fi

src=node_modules/govuk-frontend/dist/govuk
out=static/govuk

rm -rf "$out"
mkdir -p "$out"

# CSS: Arial only, compressed, no source map. --quiet-deps hides deprecation
# warnings raised inside govuk-frontend itself.
npx --no-install sass \
  --pkg-importer=node \
  --load-path=node_modules \
  --style=compressed \
  --no-source-map \
  --quiet-deps \
  assets/scss/heard.scss "$out/heard.min.css"

# JS: the ES module bundle (drop its sourceMappingURL: we do not ship maps).
sed -e 's#//\# sourceMappingURL=.*$##' "$src/govuk-frontend.min.js" > "$out/govuk-frontend.min.js"
# Our own JavaScript as one module (one request): init.mjs, then the time-limit warning.
cat assets/js/init.mjs assets/js/time-limit.mjs assets/js/listen.mjs > "$out/init.mjs"

# No fonts (GDS Transport is for GOV.UK only) and no GOV.UK icons (crown): Heard's own icon
# lives in static/images/. The CSS needs no image of its own, apart from the one below.

# Checks: no GDS Transport, no @font-face, every url() under our assets path.
fail=0
if grep -rqi "gds transport" "$out"; then
  echo "ERROR: 'GDS Transport' found in $out" >&2; fail=1
fi
if grep -qi "@font-face" "$out/heard.min.css"; then
  echo "ERROR: @font-face found in heard.min.css" >&2; fail=1
fi
bad_urls=$(grep -o 'url([^)]*)' "$out/heard.min.css" | grep -v '^url("\?/static/govuk/assets/' || true)
if [ -n "$bad_urls" ]; then
  echo "ERROR: url() outside /static/govuk/assets/: $bad_urls" >&2; fail=1
fi
# govuk-crest.svg (Royal crest) is only used by .govuk-footer__copyright-logo,
# which Heard must not use (council content is not Crown copyright): not shipped.
for u in $(grep -o 'url("\?/static/govuk/assets/[^")]*' "$out/heard.min.css" | sed 's#^url("\?/static/govuk/##' | sort -u); do
  [ "$u" = assets/images/govuk-crest.svg ] && continue
  [ -f "$out/$u" ] || { echo "ERROR: CSS references missing file $out/$u" >&2; fail=1; }
done
[ "$fail" -eq 0 ] || exit 1

echo "Built $out: heard.min.css $(wc -c < "$out/heard.min.css") bytes ($(gzip -9c "$out/heard.min.css" | wc -c) gzipped)"
