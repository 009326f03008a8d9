"""Fail when a module imports a private name (`_name`) from another module of the project.

import-linter checks which modules import which; this checks what they import: shared primitives must be
public names of the lower layer, never a neighbour's `_helper`. Usage: python scripts/check_private_imports.py"""
import ast
import pathlib
import sys

ROOTS = ["core", "audit", "workflow", "publishing", "disclosure", "reports", "web", "api", "demo", "privacy",
         "project", "bench", "tests"]


def main() -> int:
    bad = []
    for root in ROOTS:
        for path in sorted(pathlib.Path(root).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                    for alias in node.names:
                        if alias.name.startswith("_") and not alias.name.startswith("__"):
                            bad.append(f"{path}:{node.lineno}: imports private name {alias.name!r} "
                                       f"from {'.' * node.level}{node.module or ''}")
    for line in bad:
        print(line)
    if bad:
        print(f"{len(bad)} private import(s) across modules", file=sys.stderr)
        return 1
    print("no private names imported across modules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
