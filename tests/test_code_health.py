"""Code health rules that ruff does not hold: no function in chiso/ (migrations aside) longer than one
screen. ruff's C901 (pyproject.toml) holds their branching."""

from __future__ import annotations

import ast
from pathlib import Path

import chiso

MAX_FUNCTION_LINES = 60
PACKAGE = Path(chiso.__file__).parent


def long_functions(root: Path, limit: int) -> list[str]:
    """'path:line name (n lines)' for every function or method longer than `limit` lines, decorators aside."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.relative_to(root).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > limit:
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_function_in_chiso_is_longer_than_sixty_lines():
    assert long_functions(PACKAGE, MAX_FUNCTION_LINES) == []


def test_the_check_names_a_long_function(tmp_path):
    package = tmp_path / "pkg"
    (package / "migrations").mkdir(parents=True)
    body = "\n".join(f"    x{i} = {i}" for i in range(61))
    (package / "long.py").write_text(f"def too_long():\n{body}\n\n\ndef short():\n    return 1\n")
    (package / "migrations" / "0001_initial.py").write_text(f"def in_a_migration():\n{body}\n")
    assert long_functions(package, MAX_FUNCTION_LINES) == ["pkg/long.py:1 too_long (62 lines)"]
