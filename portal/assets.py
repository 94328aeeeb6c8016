"""Static files: served by WhiteNoise ahead of Flask, and linked by their fingerprinted names.

`make assets` copies each static file to static/dist/ under a name made from its content
(scripts/fingerprint.py) and writes static/dist/manifest.json. Pages link to those names
through ``asset_url``; as a fingerprinted file never changes, it is served cached for good
(``immutable``), so a family's second page fetches nothing but itself. WhiteNoise answers before
Flask runs: no session is opened, so no cookie and no ``Vary: Cookie``, and it sends the Brotli or
gzip copy made at build time instead of compressing on each request.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask, url_for
from whitenoise import WhiteNoise

ONE_YEAR = 365 * 24 * 60 * 60
# static/dist/<name>.<12 hex digits>.<type>: scripts/fingerprint.py's names
FINGERPRINTED = re.compile(r"/static/dist/[^/]+\.[0-9a-f]{12}\.[A-Za-z0-9]+$")


def load_manifest(static_folder: Path) -> dict[str, str]:
    """A static file's own name → its fingerprinted name; empty before the first build."""
    path = static_folder / "dist" / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else {}


def is_fingerprinted(_path: str, url: str) -> bool:
    return FINGERPRINTED.search(url) is not None


CACHED_FOR_GOOD = f"public, max-age={ONE_YEAR}, immutable"


def _headers(headers, _path: str, url: str) -> None:  # noqa: ANN001 - WhiteNoise's Headers
    headers["X-Content-Type-Options"] = "nosniff"
    if is_fingerprinted(_path, url):  # a year, as RFC 9111 suggests for "never changes"
        headers["Cache-Control"] = CACHED_FOR_GOOD


def init_app(app: Flask) -> None:
    static_folder = Path(app.static_folder or "static")
    manifest = load_manifest(static_folder)

    def asset_url(name: str) -> str:
        """The URL of the static file ``name`` (as under static/), fingerprinted when built."""
        return url_for("static", filename=manifest.get(name, name))

    app.add_template_global(asset_url)
    # Files not fingerprinted (none that a page links to) are checked again on each use.
    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app,
        root=str(static_folder),
        prefix="static/",
        max_age=0,
        immutable_file_test=is_fingerprinted,
        add_headers_function=_headers,
        allow_all_origins=False,
    )
