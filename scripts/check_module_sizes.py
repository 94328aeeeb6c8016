"""Fails when a module of the app is over 400 lines: a module that long does more than one
thing and wants splitting (docs/architecture.md). Run by ``make lint``; tests and benchmarks
are not held to it.

    .venv/bin/python scripts/check_module_sizes.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 400


def too_long() -> list[tuple[Path, int]]:
    modules = [*ROOT.joinpath("portal").rglob("*.py"), ROOT / "config.py", ROOT / "wsgi.py"]
    lengths = ((path, len(path.read_text(encoding="utf-8").splitlines())) for path in modules)
    return sorted((path, count) for path, count in lengths if count > LIMIT)


def main() -> int:
    offenders = too_long()
    for path, count in offenders:
        print(f"{path.relative_to(ROOT)}: {count} lines (at most {LIMIT}): split it")
    return 1 if offenders else 0


if __name__ == "__main__":
    sys.exit(main())
