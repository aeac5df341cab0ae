"""The pure cores import no web framework and no database: they stay plain functions over plain
data (docs/architecture.md). The walk follows every `app.*` import, however deep or late."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "sqlmodel", "app.db")
# Each room's HTTP edge (router.py) is where the framework comes in; the rest must not need it.
PURE = [
    *sorted(p for p in (APP / "planning").glob("*.py") if p.name != "router.py"),
    APP / "progress" / "formulas.py",
    APP / "progress" / "chart.py",
    APP / "catalog" / "models.py",
    APP / "catalog" / "service.py",
    APP / "errors.py",
    APP / "imports" / "layouts.py",
    APP / "imports" / "parser.py",
    APP / "imports" / "names.py",
]


def _module_file(module: str) -> Path | None:
    parts = module.split(".")
    if parts[0] != "app":
        return None
    base = APP.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def imports_of(path: Path) -> dict[str, Path]:
    """Every module `path` imports, directly or through app modules, with who imports it."""
    seen: dict[str, Path] = {}
    todo = [path]
    visited: set[Path] = set()
    while todo:
        current = todo.pop()
        if current in visited:
            continue
        visited.add(current)
        for name in _imports(current):
            seen.setdefault(name, current)
            found = _module_file(name)
            if found is not None:
                todo.append(found)
    return seen


def _forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(APP)))
def test_pure_cores_import_no_framework_and_no_database(path: Path) -> None:
    bad = {name: by for name, by in imports_of(path).items() if _forbidden(name)}
    assert not bad, {name: str(by.relative_to(APP)) for name, by in bad.items()}


def test_the_walk_sees_a_framework_import() -> None:
    walked = imports_of(APP / "planning" / "router.py")
    assert "fastapi" in walked
    assert any(_forbidden(n) for n in imports_of(APP / "workouts" / "service.py"))
