"""The layout a newcomer relies on: feature packages over a small core, no import cycles, libraries free of Flask."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LIBRARIES = ("assets", "scenes", "ar_photo")
# The only modules allowed directly under museum/: the app factory and the command root.
MUSEUM_TOP_MODULES = {"__init__.py", "cli.py"}


def module_name(path: Path) -> str:
    """Return the dotted module name of a file in the repository."""
    rel = path.relative_to(REPO).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def python_modules(package: str) -> dict[str, Path]:
    """Return every module of a top-level package by its dotted name (migrations left out: Alembic loads them)."""
    return {module_name(p): p for p in (REPO / package).rglob("*.py") if "migrations" not in p.parts}


def _type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def imported_modules(path: Path, name: str, known: set[str]) -> set[str]:
    """Return the known modules a file imports anywhere, inside functions too (not under `if TYPE_CHECKING`)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if _type_checking_block(node):
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            submodules = {f"{base}.{a.name}" for a in node.names} & known
            found.update(submodules)
            # `from pkg import name` runs pkg itself only for names that are not submodules.
            if base in known and len(submodules) < len(node.names):
                found.add(base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    found.discard(name)
    return found


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for v in graph:
        if v not in index:
            connect(v)
    return cycles


def test_no_import_cycles_counting_imports_inside_functions() -> None:
    modules = {}
    for package in ("museum", *LIBRARIES):
        modules.update(python_modules(package))
    known = set(modules)
    graph = {name: imported_modules(path, name, known) for name, path in modules.items()}
    assert import_cycles(graph) == []


def test_the_cycle_finder_sees_a_cycle_hidden_in_a_function(tmp_path: Path) -> None:
    a = tmp_path / "a.py"
    a.write_text("def f():\n    from pkg import b\n")
    assert imported_modules(a, "pkg.a", {"pkg", "pkg.a", "pkg.b"}) == {"pkg.b"}
    assert import_cycles({"pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}}) == [["pkg.a", "pkg.b"]]


def test_museum_is_feature_packages_over_a_core() -> None:
    top = {p.name for p in (REPO / "museum").glob("*.py")}
    assert top == MUSEUM_TOP_MODULES
    packages = {p.name for p in (REPO / "museum").iterdir() if (p / "__init__.py").exists()}
    assert {"core", "identity", "catalogue", "uploads", "studio", "photos", "demo", "models"} <= packages


def test_libraries_never_import_flask_or_the_app() -> None:
    for package in LIBRARIES:
        for name, path in python_modules(package).items():
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                for imported in names:
                    assert imported.split(".")[0] not in {"flask", "museum"}, f"{name} imports {imported}"


# The services views call with plain values: none of them reads the request itself.
SERVICES = ("museum.catalogue.search_service", "museum.catalogue.manifest", "museum.studio.content",
            "museum.studio.documents", "museum.studio.locking", "museum.studio.changes", "museum.studio.revisions",
            "museum.photos.service", "museum.cockpit.summary", "museum.cockpit.alerts")


def test_services_never_read_the_request() -> None:
    modules = python_modules("museum")
    for name in SERVICES:
        tree = ast.parse(modules[name].read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "flask":
                assert "request" not in {a.name for a in node.names}, f"{name} reads flask.request"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "flask":
                assert node.attr != "request", f"{name} reads flask.request"
