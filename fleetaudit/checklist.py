"""`fleetaudit checks list` without running a check module: the rows (ID, slug, severity,
platforms, title) read from each built-in module's source, ``CHECK = Check(...)``.

Importing the checks builds the fact registry, the pydantic models and the policy
settings (about 0.3 s of CPU) for five strings per check. The built-in modules write those
fields as literals, module constants or ``family("phone")`` of the platform registry, which
this reader follows (tests/test_startup.py holds its list equal to the imported one); when
a module writes anything else, or extra ``--checks-dir`` modules are given (a user's module
must import for real, or fail as a usage error), the caller imports them (``checkkit``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from fleetaudit.paths import builtin_dir

FIELDS = ("id", "slug", "severity", "platforms", "title")
TRACE_CHECKS = "trace"  # = checkkit.TRACE_CHECKS (its own sorted group, after the devices')


@dataclass(frozen=True)
class Row:
    id: str
    slug: str
    severity: str
    platforms: tuple[str, ...]
    title: str


class NotLiteral(Exception):
    """A field this reader cannot know without running the module."""


def _module_file(name: str) -> Path:
    """A ``fleetaudit.*`` module's source, found without importing its packages."""
    parts = name.split(".")
    if parts[0] != "fleetaudit":
        raise NotLiteral(name)
    base = Path(__file__).parent.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    raise NotLiteral(name)


def _parse(path: Path) -> ast.Module:
    try:
        return ast.parse(path.read_text(encoding="utf-8"), str(path))
    except (OSError, SyntaxError, ValueError) as exc:
        raise NotLiteral(str(path)) from exc


def _binding(tree: ast.Module, name: str) -> tuple[ast.expr | None, str | None]:
    """The module-level value last assigned to ``name``, or the module it is imported from."""
    found: tuple[ast.expr | None, str | None] | None = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            found = node.value, None
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and any((alias.asname or alias.name) == name for alias in node.names)
        ):
            found = None, node.module
    if found is None:
        raise NotLiteral(name)
    return found


def _value(node: ast.expr, tree: ast.Module, depth: int = 0) -> object:
    """A literal, a tuple of them, a module constant (followed through ``from fleetaudit...
    import``), or ``family("<name>")`` of the platform registry: else NotLiteral."""
    if depth > 5:
        raise NotLiteral("too deep")
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple):
        return tuple(_value(item, tree, depth + 1) for item in node.elts)
    if isinstance(node, ast.Name):
        value, module = _binding(tree, node.id)
        if value is not None:
            return _value(value, tree, depth + 1)
        other = _parse(_module_file(module or ""))
        return _value(ast.Name(node.id), other, depth + 1)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and _binding(tree, node.func.id) == (None, "fleetaudit.platforms")
        and node.func.id == "family"
        and len(node.args) == 1
        and not node.keywords
    ):
        from fleetaudit import platforms  # the registry: no check module, no model

        return platforms.family(str(_value(node.args[0], tree, depth + 1)))
    raise NotLiteral(ast.dump(node))


def _row(path: Path) -> Row | None:
    """The module's CHECK fields when this reader can know them all; None when not."""
    try:
        tree = _parse(path)
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and [getattr(t, "id", None) for t in node.targets] == ["CHECK"]
                and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", None) == "Check"
            ):
                given = {k.arg: k.value for k in node.value.keywords if k.arg in FIELDS}
                found = {name: _value(given[name], tree) for name in FIELDS}
                break
        else:
            return None
    except (NotLiteral, KeyError, RecursionError):
        return None
    row = Row(**found)  # type: ignore[arg-type]
    text = (row.id, row.slug, row.severity, row.title, *row.platforms)
    if not isinstance(row.platforms, tuple) or not all(isinstance(t, str) for t in text):
        return None
    return row


def _rows(directory: Path) -> list[Row] | None:
    rows = []
    for path in sorted(directory.glob("*.py")):
        if path.name.startswith("_"):
            continue
        row = _row(path)
        if row is None:
            return None
        rows.append(row)
    if len({row.id for row in rows}) != len(rows):
        return None  # a duplicate ID: the import says which files
    return sorted(rows, key=lambda row: row.id)


def builtin_rows() -> list[Row] | None:
    """The built-in checks as `checks list` shows them (device checks, then trace checks,
    each by ID), or None when some module must be imported to know its fields."""
    checks = builtin_dir("checks")
    devices = _rows(checks)
    traces = _rows(checks / TRACE_CHECKS) if (checks / TRACE_CHECKS).is_dir() else []
    if devices is None or traces is None:
        return None
    return devices + traces
