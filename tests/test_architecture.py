"""The layout is the pipeline: packages are stages, imports point only down the pipeline, and
nothing imports in a circle. Read from the source with `ast` (nothing is imported), so the
check sees imports inside functions too; `if TYPE_CHECKING:` imports count for the stage order
but not for cycles (they never run)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "edugraph"
STAGES = ("ingest", "graph", "validate", "publish", "query", "stores", "web", "cli", "__main__")
FOUNDATION = ("errors", "vocab", "rdf", "formats", "records", "reference", "settings", "resources")

Import = tuple[str, bool]  # the imported module, imported only for type checking


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_nodes(tree: ast.Module) -> set[ast.AST]:
    nodes: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                nodes.update(ast.walk(child))
    return nodes


def imports(name: str) -> set[Import]:
    path = MODULES[name]
    tree = ast.parse(path.read_text("utf-8"))
    typing_only = _type_checking_nodes(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[Import] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        for target in targets:
            if target.split(".")[0] == "edugraph" and target != name:
                found.add((_known(target), node in typing_only))
    return found


def _known(target: str) -> str:
    while target not in MODULES:  # `import edugraph.x.y` of a name inside a module
        target = target.rpartition(".")[0]
    return target


GRAPH = {name: imports(name) for name in MODULES}


def rank(name: str) -> int:
    """0 for the foundation, then the stages in pipeline order."""
    parts = name.split(".")
    if len(parts) == 1 or parts[1] in FOUNDATION:
        return 0
    assert parts[1] in STAGES, f"{name} is neither a stage nor a foundation module"
    return 1 + STAGES.index(parts[1])


def test_every_module_belongs_to_a_stage_or_the_foundation() -> None:
    for name in MODULES:
        rank(name)


def test_imports_point_only_down_the_pipeline() -> None:
    wrong = [
        f"{name} imports {target}"
        for name, found in GRAPH.items()
        for target, _ in found
        if rank(target) > rank(name)
    ]
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycle() -> None:
    runtime = {name: {t for t, typing in found if not typing} for name, found in GRAPH.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(runtime[name]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in MODULES:
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(" -> ".join(cycle) for cycle in cycles)


@pytest.mark.parametrize("stage", STAGES[:-2])
def test_each_stage_package_says_what_it_takes_and_gives(stage: str) -> None:
    doc = ast.get_docstring(ast.parse(MODULES[f"edugraph.{stage}"].read_text("utf-8")))
    assert doc and doc.startswith(f"Stage {STAGES.index(stage) + 1}, {stage}:"), doc


def test_the_reader_finds_imports_in_functions_and_tells_typing_ones_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe = tmp_path / "results.py"
    probe.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from edugraph.web import create_app\n"
        "def f():\n    from .engines import Engine\n",
        "utf-8",
    )
    monkeypatch.setitem(MODULES, "edugraph.query.results", probe)
    assert imports("edugraph.query.results") == {
        ("edugraph.web", True),
        ("edugraph.query.engines", False),
    }
