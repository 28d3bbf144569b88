"""The layers of docs/architecture.md hold: import-linter's contracts pass, a deliberate upward import breaks
them, and no two modules of core/ or gui/ import each other (directly or round a longer loop)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    if not LINT.exists():
        pytest.fail(f"{LINT} is missing: install the dev extras (pip install -e '.[dev]'), which bring import-linter")
    env = {"PYTHONPATH": str(root), "PATH": str(LINT.parent), "HOME": str(root)}
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def test_import_contracts_pass():
    res = _lint(ROOT)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "2 kept, 0 broken" in res.stdout


@pytest.mark.parametrize("module, line, contract", [
    ("core/config/paths.py", "from core.record import runs", "gui -> cli"),                 # config is the bottom
    ("core/machine/guard.py", "from core.data import check", "gui -> cli"),                 # siblings stay apart
    ("core/memory/estimate.py", "def _later():\n    from core.train import session", "gui -> cli"),  # lazy counts
    ("core/record/events.py", "import PySide6", "never imports Qt"),
])
def test_an_upward_import_breaks_a_contract(tmp_path, module, line, contract):
    for name in ("core", "gui"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    res = _lint(tmp_path)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "1 broken" in res.stdout and contract in res.stdout.replace("\n", " ")


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm; the components with more than one module are import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in list(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles_in_core_or_gui():
    import grimp  # import-linter's graph builder

    graph = grimp.build_graph("core", "gui", include_external_packages=False, cache_dir=None)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    # A package's __init__ importing its own modules is not a loop between two parts of the system.
    for m in edges:
        edges[m] = {d for d in edges[m] if not m.startswith(d + ".") and not d.startswith(m + ".")}
    assert _strongly_connected(edges) == []
    # and the checker itself finds a loop when there is one
    assert _strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c"]]
