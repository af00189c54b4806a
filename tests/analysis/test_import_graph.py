"""Layering: workflow/, store/ and analysis/ never import report/, report/ never imports workflow/ or store/."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "import_graph.py"


def _tool():
    spec = importlib.util.spec_from_file_location("import_graph", TOOL)
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_graph"] = module
    spec.loader.exec_module(module)
    return module


def test_no_lower_layer_imports_report():
    tool = _tool()
    edges = tool.graph()
    assert "auditor.analysis" in edges and "auditor.workflow.accepted" in edges and "auditor.store.db" in edges
    assert tool.violations(edges) == []


def test_the_checker_sees_a_forbidden_arrow_including_relative_and_type_only_imports(tmp_path, monkeypatch):
    tool = _tool()
    root = tmp_path / "auditor"
    (root / "store").mkdir(parents=True)
    (root / "report").mkdir()
    for path in (root / "__init__.py", root / "store" / "__init__.py", root / "report" / "__init__.py"):
        path.write_text("")
    (root / "report" / "html.py").write_text("X = 1\n")
    (root / "store" / "a.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                         "    from ..report import html\n")
    (root / "store" / "b.py").write_text("import auditor.report.html\n")
    monkeypatch.setattr(tool, "ROOT", root)
    assert tool.violations(tool.graph()) == ["auditor.store.a imports auditor.report",
                                             "auditor.store.a imports auditor.report.html",
                                             "auditor.store.b imports auditor.report.html"]
