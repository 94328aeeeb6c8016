"""Services commit; routes never do (docs/architecture.md, Transactions)."""

from __future__ import annotations

import ast
from pathlib import Path

import portal

ROOT = Path(portal.__file__).parent


def _page_modules() -> list[Path]:
    """Every module that defines pages (a view decorated with a blueprint's route)."""
    return [path for path in sorted(ROOT.rglob("*.py")) if "@bp." in path.read_text()]


def _session_calls(path: Path, names: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in names
            and ast.unparse(node.func.value).endswith("session")
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node.func)}")
    return found


def test_no_page_commits_or_rolls_back() -> None:
    pages = _page_modules()
    assert len(pages) >= 20
    calls = [call for path in pages for call in _session_calls(path, {"commit", "rollback"})]
    # /readyz recovers its own failed SELECT 1: nothing of the person's to save or undo
    assert [call.split(":")[0] for call in calls] == ["site/routes.py"]
    assert calls[0].endswith("db.session.rollback")
