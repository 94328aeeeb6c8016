"""Fingerprint the static files: a copy of each under static/dist/, named by a hash of its
content, with Brotli and gzip copies beside it, and static/dist/manifest.json mapping each
file's own name to its fingerprinted one. `make assets` runs it after building; it needs no Node.

A fingerprinted file never changes (a change is a new name), so it is served with
`Cache-Control: public, max-age=31536000, immutable` (portal/assets.py): a family's second page
fetches no CSS, JavaScript or icon at all.

    .venv/bin/python scripts/fingerprint.py
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "static"
DIST = STATIC / "dist"
MANIFEST = DIST / "manifest.json"
# The folders under static/ whose files pages link to (static/dist is the output)
SOURCES = ("govuk", "images", "css", "js", "reports")
HASH_LENGTH = 12


def fingerprinted_name(path: Path) -> str:
    """``heard.min.css`` → ``heard.min.<hash>.css``: the hash before the last suffix, so the
    file keeps its type for the server."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
    return f"{path.stem}.{digest}{path.suffix}"


def sources() -> list[Path]:
    return sorted(
        path
        for folder in SOURCES
        for path in (STATIC / folder).rglob("*")
        if path.is_file() and path.suffix not in (".br", ".gz", ".sha256")
    )


def manifest() -> dict[str, str]:
    """Each source's name under static/ → its fingerprinted name under static/."""
    return {
        path.relative_to(STATIC).as_posix(): f"dist/{fingerprinted_name(path)}"
        for path in sources()
    }


def main() -> None:
    shutil.rmtree(DIST, ignore_errors=True)
    DIST.mkdir()
    names = manifest()
    for source, target in names.items():
        shutil.copyfile(STATIC / source, STATIC / target)
    MANIFEST.write_text(json.dumps(names, indent=2, sort_keys=True) + "\n")
    # Brotli (quality 11) and gzip (level 9) copies, kept only where smaller: served as they
    # are, so no page request pays for compressing them.
    subprocess.run(  # noqa: S603 - our own interpreter and folder
        [sys.executable, "-m", "whitenoise.compress", "--quiet", str(DIST), "json"], check=True
    )
    print(f"Fingerprinted {len(names)} files into {DIST.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
