"""Expand, then contract (docs/development.md#migrations-expand-then-contract): what a migration's
upgrade() removes (drops or renames: a column or a table), read from its source, and whether
the code that runs beside it still maps what it removes.

A migration that removes something must say so, in a module-level ``contracts`` tuple of
``"table.column"`` or ``"table"`` names; every name it removes, and every name it declares, must
be mapped neither by the current models nor by the models of the previous release (the code
still serving while the migration runs). The previous release's models are read by importing
that commit's ``portal.models`` in a separate process.
"""

from __future__ import annotations

import ast
import functools
import json
import re
import shutil
import subprocess  # noqa: S404 - git and python, fixed arguments
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from config import PROJECT_ROOT

UNKNOWN = "?"  # a removal whose table or column is not a literal in the source
_SQL = [
    re.compile(
        r"ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?\"?(\w+)\"?\s+DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?\"?(\w+)",
        re.I,
    ),
    re.compile(
        r"ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?\"?(\w+)\"?\s+RENAME\s+(?:COLUMN\s+)?\"?(\w+)\"?\s+TO",
        re.I,
    ),
    re.compile(r"(?:DROP|TRUNCATE)\s+TABLE\s+(?:IF\s+EXISTS\s+)?\"?(\w+)", re.I),
    re.compile(r"ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?\"?(\w+)\"?\s+RENAME\s+TO", re.I),
]


@dataclass
class Migration:
    path: Path
    revision: str
    removes: set[str] = field(default_factory=set)  # what upgrade() drops or renames
    contracts: set[str] = field(default_factory=set)  # what it declares it removes


def _literal(node: ast.AST | None) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else UNKNOWN


def _argument(call: ast.Call, position: int, name: str) -> ast.AST | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == name), None)


def _renames(call: ast.Call) -> bool:
    return any(k.arg == "new_column_name" for k in call.keywords)


class _Removals(ast.NodeVisitor):
    """The drops and renames in a function: op.*, batch_alter_table's batch_op.*, and SQL."""

    def __init__(self) -> None:
        self.found: set[str] = set()
        self.batches: dict[str, str] = {}  # the name a batch is bound to -> its table

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            call = item.context_expr
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "batch_alter_table"
                and isinstance(item.optional_vars, ast.Name)
            ):
                table = _literal(_argument(call, 0, "table_name"))
                self.batches[item.optional_vars.id] = table
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            owner = func.value.id if isinstance(func.value, ast.Name) else None
            batch_table = self.batches.get(owner) if owner else None
            if batch_table is not None:  # batch_op.drop_column("col") on the batch's table
                if func.attr == "drop_column" or (func.attr == "alter_column" and _renames(node)):
                    self.found.add(f"{batch_table}.{_literal(_argument(node, 0, 'column_name'))}")
            elif func.attr == "drop_column" or (func.attr == "alter_column" and _renames(node)):
                table = _literal(_argument(node, 0, "table_name"))
                self.found.add(f"{table}.{_literal(_argument(node, 1, 'column_name'))}")
            elif func.attr in {"drop_table", "rename_table"}:
                self.found.add(
                    _literal(
                        _argument(
                            node, 0, "table_name" if func.attr == "drop_table" else "old_table_name"
                        )
                    )
                )
        for argument in node.args:
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                self._sql(argument.value)
            elif isinstance(argument, ast.Call) and argument.args:  # sa.text("…")
                inner = argument.args[0]
                if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                    self._sql(inner.value)
        self.generic_visit(node)

    def _sql(self, text: str) -> None:
        for pattern in _SQL:
            for match in pattern.finditer(text):
                self.found.add(".".join(group for group in match.groups() if group))


def read_migration(path: Path) -> Migration:
    tree = ast.parse(path.read_text(), filename=str(path))
    migration = Migration(path=path, revision="")
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id == "revision":
                migration.revision = _literal(node.value)
            if isinstance(target, ast.Name) and target.id == "contracts":
                migration.contracts = set(ast.literal_eval(node.value))
    # upgrade() and every function of the module it calls, directly or not
    seen: set[str] = set()
    waiting = ["upgrade"]
    visitor = _Removals()
    while waiting:
        name = waiting.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        visitor.visit(functions[name])
        waiting += [
            n.func.id
            for n in ast.walk(functions[name])
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        ]
    migration.removes = visitor.found
    return migration


def mapped(names: set[str], schema: dict[str, list[str]]) -> set[str]:
    """Which of ``names`` the models whose ``schema`` (table -> columns) is given map."""
    hits = set()
    for name in names:
        table, _, column = name.partition(".")
        if table in schema and (not column or column in schema[table]):
            hits.add(name)
    return hits


def current_schema() -> dict[str, list[str]]:
    from portal.models import Base

    return {t.name: [c.name for c in t.columns] for t in Base.metadata.sorted_tables}


_DUMP = (
    "import json, portal.models as m; print(json.dumps("
    "{t.name: [c.name for c in t.columns] for t in m.Base.metadata.sorted_tables}))"
)


def _git(*args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    assert git is not None, "git is needed to read the previous release's code"
    return subprocess.run(  # noqa: S603 - git, fixed arguments
        [git, *args], cwd=PROJECT_ROOT, capture_output=True, check=check
    )


@functools.cache
def schema_at(commit: str) -> dict[str, list[str]]:
    """The tables and columns the models of ``commit`` map, by importing them (with this venv)."""
    archive = _git("archive", "--format=tar", commit, "portal", "config.py").stdout
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        dumped = subprocess.run(  # noqa: S603 - this Python, fixed arguments
            [sys.executable, "-c", _DUMP],
            cwd=folder,
            env={"PATH": "/usr/bin:/bin", "HEARD_CONFIG": "test", "PYTHONPATH": folder},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return json.loads(dumped.splitlines()[-1])


def previous_release(path: Path) -> str:
    """The code serving while this migration runs: the newest release tag (``v*``) before the
    commit that added the migration; without tags, that commit's parent; for a migration not yet
    committed, HEAD (or the newest tag in HEAD's history)."""

    def git(*args: str) -> str:
        return _git(*args).stdout.decode().strip()

    inside = path.resolve().is_relative_to(PROJECT_ROOT)
    added = git("log", "--diff-filter=A", "--format=%H", "-1", "--", str(path)) if inside else ""
    base = f"{added}^" if added else "HEAD"
    tag = _git("describe", "--tags", "--abbrev=0", "--match", "v*", base, check=False)
    return tag.stdout.decode().strip() if tag.returncode == 0 else git("rev-parse", base)


def problems(
    migration: Migration, now: dict[str, list[str]], before: dict[str, list[str]]
) -> list[str]:
    """What breaks the rule: a removal not declared, or one the code still maps."""
    found = [
        f"{migration.revision}: removes {name}: write its table and column as literal strings"
        for name in sorted(migration.removes)
        if UNKNOWN in name.split(".")
    ]
    for name in sorted(migration.removes - migration.contracts):
        found.append(f"{migration.revision}: removes {name} without declaring it in contracts")
    for name in sorted(mapped(migration.removes | migration.contracts, now)):
        found.append(f"{migration.revision}: removes {name}, which the current models still map")
    for name in sorted(mapped(migration.removes | migration.contracts, before)):
        found.append(
            f"{migration.revision}: removes {name}, which the previous release's models map"
        )
    return found
