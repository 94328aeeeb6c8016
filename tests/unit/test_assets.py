"""The committed JavaScript is what scripts/build-assets.sh makes from assets/js/: a change to
a source without `make assets` would otherwise ship the old code."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_served_module_is_init_then_the_time_limit_warning() -> None:
    sources = ("init.mjs", "time-limit.mjs")
    built = "".join((ROOT / "assets" / "js" / name).read_text() for name in sources)
    assert (ROOT / "static" / "govuk" / "init.mjs").read_text() == built
    assert not (ROOT / "static" / "govuk" / "time-limit.mjs").exists()  # one request, not two
