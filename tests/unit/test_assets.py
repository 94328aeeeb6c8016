"""The committed static files are what `make assets` makes from their sources, every one a page
links to is fingerprinted, and the stylesheet and script hold every GOV.UK component the
templates use (they are built from a list, to keep a family's first view small)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from scripts.fingerprint import DIST, STATIC, manifest

ROOT = Path(__file__).resolve().parents[2]
HEARD_SCSS = ROOT / "assets" / "scss" / "heard.scss"
INIT_MJS = ROOT / "assets" / "js" / "init.mjs"
# GOV.UK Frontend's components that have JavaScript, by class name and the name init.mjs imports
WITH_JAVASCRIPT = {
    "accordion": "Accordion",
    "button": "Button",
    "character-count": "CharacterCount",
    "checkboxes": "Checkboxes",
    "error-summary": "ErrorSummary",
    "exit-this-page": "ExitThisPage",
    "file-upload": "FileUpload",
    "notification-banner": "NotificationBanner",
    "password-input": "PasswordInput",
    "radios": "Radios",
    "service-navigation": "ServiceNavigation",
    "skip-link": "SkipLink",
    "tabs": "Tabs",
}
# The govuk-frontend-wtf widgets the portal uses, and the component each renders
WIDGETS = {
    "GovCharacterCount": "character-count",
    "GovCheckboxInput": "checkboxes",
    "GovCheckboxesInput": "checkboxes",
    "GovDateInput": "date-input",
    "GovFileInput": "file-upload",
    "GovPasswordInput": "password-input",
    "GovRadioInput": "radios",
    "GovSelect": "select",
    "GovSubmitInput": "button",
    "GovTextArea": "textarea",
    "GovTextInput": "input",
}
COMPONENTS = sorted(
    p.name for p in (ROOT / "node_modules/govuk-frontend/dist/govuk/components").glob("*")
) or sorted(  # without node_modules: every component govuk-frontend-jinja has a macro for
    p.name
    for p in Path(__import__("govuk_frontend_jinja").__file__).parent.glob("templates/components/*")
)


def test_the_build_is_made_from_the_sources_as_they_are() -> None:
    for line in (STATIC / "govuk" / "sources.sha256").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((ROOT / name).read_bytes()).hexdigest() == digest, (
            f"{name} changed since the last build: run `make assets` and commit static/"
        )


def test_every_static_file_is_fingerprinted_as_it_is_now() -> None:
    built = (DIST / "manifest.json").read_text()
    assert __import__("json").loads(built) == manifest(), (
        "run `make assets` (or scripts/fingerprint.py)"
    )
    for target in manifest().values():
        assert (STATIC / target).read_bytes()  # there, and not empty
    assert (DIST / (manifest()["govuk/heard.mjs"].removeprefix("dist/") + ".br")).exists()


def test_pages_link_to_static_files_only_by_their_fingerprinted_names() -> None:
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        linked = re.findall(r"url_for\(['\"]static['\"], filename=['\"]([^'\"]+)", text)
        assert set(linked) <= {"govuk/assets"}, (template, linked)  # GOV.UK's asset path only
        assert "/static/" not in text, template


def _components_used() -> set[str]:
    text = "\n".join(
        path.read_text()
        for folder in ("templates", "portal")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in (".html", ".py")
    )
    classes = {name for name in COMPONENTS if re.search(rf"\bgovuk-{name}\b", text)}
    macros = {m.group(1) for m in re.finditer(r"components/([a-z-]+)/macro", text)}
    widgets = {component for widget, component in WIDGETS.items() if widget in text}
    return classes | macros | widgets


def test_the_stylesheet_holds_every_component_the_pages_use() -> None:
    built = set(
        re.findall(r'"pkg:govuk-frontend/dist/govuk/components/([a-z-]+)"', HEARD_SCSS.read_text())
    )
    used = _components_used()
    assert used - built == set(), "add these to assets/scss/heard.scss, then `make assets`"
    assert {"table", "radios", "exit-this-page", "summary-list"} <= used  # the scan finds them


def test_no_stylesheet_brings_in_every_component() -> None:
    """``@use "pkg:govuk-frontend"`` builds all of GOV.UK Frontend's components into the
    stylesheet, used or not: a partial needs only its settings, tools and helpers (``base``)."""
    for partial in HEARD_SCSS.parent.glob("*.scss"):
        assert not re.search(r'@use "pkg:govuk-frontend"', partial.read_text()), partial


def test_the_script_starts_every_component_the_pages_use() -> None:
    imported = set(
        re.findall(r"\b([A-Z][A-Za-z]+)\b", INIT_MJS.read_text().split("from 'govuk-frontend'")[0])
    )
    needed = {WITH_JAVASCRIPT[name] for name in _components_used() if name in WITH_JAVASCRIPT}
    assert needed - imported == set(), "add these to assets/js/init.mjs, then `make assets`"
    assert {"ExitThisPage", "CharacterCount"} <= needed
