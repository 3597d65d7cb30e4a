"""An import-linter contract (``no_module_cycles``): no import cycle between modules.

``acyclic_siblings`` judges packages; this judges modules, and counts every import
statement grimp reads, function-level ones included, so a cycle cannot hide behind an
import inside a function. ``lint-imports`` (``make lint``) loads it from pyproject.toml.
"""

from __future__ import annotations

from typing import Any

from importlinter import Contract, ContractCheck, fields, output


def cycles(graph: Any, prefixes: tuple[str, ...]) -> list[list[str]]:
    """Each strongly connected group of two or more modules (Tarjan, iterative)."""
    modules = sorted(m for m in graph.modules if m.startswith(prefixes))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next((c for c in children if c.startswith(prefixes)), None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


class NoModuleCycles(Contract):
    type_name = "no_module_cycles"

    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        prefixes = tuple(str(p) for p in self.packages)  # type: ignore[attr-defined]
        found = cycles(graph, prefixes)
        return ContractCheck(kept=not found, metadata={"cycles": found, "graph": graph})

    def render_broken_contract(self, check: ContractCheck) -> None:
        graph = check.metadata["graph"]
        for group in check.metadata["cycles"]:
            output.print_error(f"import cycle among {len(group)} modules:")
            members = set(group)
            for importer in group:
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    if imported in members:
                        lines = graph.get_import_details(importer=importer, imported=imported)
                        at = ", ".join(str(d["line_number"]) for d in lines)
                        output.print_error(f"  {importer} -> {imported} (line {at})")
