"""The import graph of ``auditor/`` from the source (``ast``), and the layering rule it must keep.

Usage: ``python tools/import_graph.py`` prints one line per package with the
``auditor`` packages it imports, then the forbidden arrows (none, or exit 1).
The rules (DESIGN.md): ``workflow/``, ``store/`` and ``analysis/`` never import
``report/`` — rendering reads the analysis, never the other way round — and
``report/`` never climbs back into ``workflow/`` or ``store/``.
Imports under ``if TYPE_CHECKING:`` count too: a type-only arrow is still an arrow.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "auditor"
#: (importing package, imported package) pairs that must not exist.
FORBIDDEN = [(layer, "auditor.report") for layer in ("auditor.workflow", "auditor.store", "auditor.analysis")] + [
    ("auditor.report", "auditor.workflow"), ("auditor.report", "auditor.store")]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every ``auditor…`` module named by an import statement in ``path`` (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "auditor" or name.startswith("auditor.")}


def graph() -> dict[str, set[str]]:
    """Module → the auditor modules it imports."""
    return {module_name(path): imports_of(path) for path in sorted(ROOT.rglob("*.py"))}


def package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def package_graph(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    packages: dict[str, set[str]] = defaultdict(set)
    for module, targets in edges.items():
        for target in targets:
            if package_of(target) != package_of(module):
                packages[package_of(module)].add(package_of(target))
    return packages


def violations(edges: dict[str, set[str]]) -> list[str]:
    return sorted(f"{module} imports {target}" for module, targets in edges.items() for target in targets
                  for layer, banned in FORBIDDEN
                  if (module == layer or module.startswith(layer + ".")) and
                  (target == banned or target.startswith(banned + ".")))


def main() -> int:
    edges = graph()
    for package, targets in sorted(package_graph(edges).items()):
        print(f"{package} -> {', '.join(sorted(targets))}")
    bad = violations(edges)
    print("forbidden arrows:", "none" if not bad else "")
    for line in bad:
        print("  " + line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
