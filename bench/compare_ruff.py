#!/usr/bin/env python3
"""Compare `blastradius graph --format json` with `ruff analyze graph`.

Both graphs are reduced to sets of file-level edges (importer file ->
imported file), restricted to edges whose two ends lie under the chosen top-level packages
(default: django/), with every path made relative to the site-packages root
and `.pyi` stubs mapped to the `.py` beside them, when there is one.

blastradius writes `modules[].path` relative to its --root, which may be
site-packages itself or a package inside it (`--root SITE/django` gives
`apps/config.py`, made `django/apps/config.py` here). The root is taken from
the JSON's absolute "root" field, or from --br-root when given. Every module
path must then name an existing file under --site, otherwise the run stops
(exit 2), so a wrong root cannot silently shrink the edge set. The number of
files each tool saw under the packages is printed, so both sides can be seen
to cover the same files.

Prints the edge counts, their intersection and
agreement = |intersection| / |ruff edges|, then up to --samples edges found by
only one tool, each with the source line(s) that could have produced it and a
class (parent of `import a.b.c`, TYPE_CHECKING, lazy, guarded, dynamic
literal, string literal, relative import, ...). A class summary covers every
difference, not only the samples.

Exit status: 0 when agreement >= --threshold (default 0.98), 1 when it is
below, 2 on bad input. Standard library only.

Usage:
    compare_ruff.py --br br.json --ruff ruff.json --site SITE_PACKAGES \
        [--br-root DIR] [--ruff-cwd DIR] [--package django ...] \
        [--threshold 0.98] [--samples 15]
"""

from __future__ import annotations

import argparse
import ast
import collections
import json
import os
import sys
from dataclasses import dataclass, field


# --------------------------------------------------------------------------
# Path normalisation


def norm_path(path: str, site: str, base: str) -> str | None:
    """Returns `path` relative to `site` (POSIX separators), `.pyi` mapped to
    `.py` when that file exists; None when the path lies outside `site`."""
    full = path if os.path.isabs(path) else os.path.join(base, path)
    rel = os.path.relpath(os.path.normpath(full), site)
    if rel == ".." or rel.startswith(".." + os.sep):
        return None
    rel = rel.replace(os.sep, "/")
    if rel.endswith(".pyi") and os.path.exists(os.path.join(site, rel[:-1])):
        rel = rel[:-1]
    return rel


def module_name(rel: str) -> str:
    """Dotted module name of a path relative to site-packages."""
    for suffix in (".pyi", ".py"):
        if rel.endswith(suffix):
            rel = rel[: -len(suffix)]
            break
    parts = rel.split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def in_package(rel: str, package: list[str]) -> bool:
    """True when `rel` lies under one of the top-level directories in
    `package` (a list of names)."""
    return any(rel.startswith(p + "/") for p in package)


# --------------------------------------------------------------------------
# Loading both graphs


def load_blastradius(path: str, site: str, package: list[str], br_root: str | None = None):
    """File-level edges from blastradius JSON, plus per-pair import kinds and
    the set of module files (relative to `site`) under `package`.

    Module paths are relative to the root blastradius ran on: `br_root` when
    given, else the JSON's "root" field. Raises ValueError when a module path
    falls outside `site` or names no file there (a wrong root)."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if br_root is None:
        root = data.get("root")
        if root is None or not os.path.isabs(root):
            raise ValueError(f"{path}: no absolute \"root\" field; pass --br-root")
    else:
        root = br_root
    root = os.path.abspath(root)
    by_name = {}
    files: set[str] = set()
    bad = []
    for m in data["modules"]:
        p = m["path"]
        if p is None:  # namespace package
            by_name[m["name"]] = None
            continue
        rel = norm_path(p, site, root)
        if rel is None or not os.path.isfile(os.path.join(site, rel)):
            bad.append(p)
            continue
        by_name[m["name"]] = rel
        if in_package(rel, package):
            files.add(rel)
    if bad:
        raise ValueError(
            f"{len(bad)} blastradius module path(s) are not files under {site} "
            f"when taken relative to root {root}, e.g. {bad[0]!r}; wrong --br-root?"
        )
    edges: set[tuple[str, str]] = set()
    kinds: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    namespace_skipped = 0
    for e in data["edges"]:
        src, dst = by_name.get(e["from"]), by_name.get(e["to"])
        if dst is None:
            namespace_skipped += 1
            continue
        if src is None or not (in_package(src, package) and in_package(dst, package)):
            continue
        edges.add((src, dst))
        kinds[(src, dst)].add(e["kind"] + ("+guarded" if e.get("guarded") else ""))
    return edges, kinds, namespace_skipped, data, files


def load_ruff(path: str, site: str, cwd: str, package: list[str]):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    edges: set[tuple[str, str]] = set()
    files: set[str] = set()
    for src, targets in data.items():
        s = norm_path(src, site, cwd)
        if s is None or not in_package(s, package):
            continue
        files.add(s)
        for t in targets:
            d = norm_path(t, site, cwd)
            if d is not None and in_package(d, package):
                edges.add((s, d))
    return edges, data, files


# --------------------------------------------------------------------------
# Finding the import that explains an edge


@dataclass
class Occurrence:
    line: int
    how: str  # e.g. "import a.b.c", "from-submodule", "dynamic-literal"
    contexts: list[str] = field(default_factory=list)


class ImportScanner(ast.NodeVisitor):
    """Collects every import in a file with its context, resolved to absolute
    dotted names (as far as the text allows)."""

    def __init__(self, package: str):
        self.package = package  # importer's package ("" at top level)
        self.records: list[tuple[int, str, list[str], list[str]]] = []
        # (line, description, candidate target names, contexts)
        self.strings: list[tuple[int, str, list[str]]] = []
        self.ctx: list[str] = []

    # -- contexts
    def _with(self, label, nodes):
        self.ctx.append(label)
        for n in nodes:
            self.visit(n)
        self.ctx.pop()

    def visit_FunctionDef(self, node):
        # Decorators, defaults and annotations run at definition time.
        for d in node.decorator_list:
            self.visit(d)
        self.visit(node.args)
        if node.returns is not None:
            self.visit(node.returns)
        self._with("lazy", node.body)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_If(self, node):
        self.visit(node.test)
        t = node.test
        is_tc = (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
            isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"
        )
        self._with("TYPE_CHECKING" if is_tc else "conditional", node.body)
        self._with("conditional", node.orelse)

    def visit_Try(self, node):
        catches = any(
            h.type is None
            or "ImportError" in ast.unparse(h.type)
            or "ModuleNotFoundError" in ast.unparse(h.type)
            or "Exception" in ast.unparse(h.type)
            for h in node.handlers
        )
        self._with("guarded" if catches else "try", node.body)
        for h in node.handlers:
            self._with("except", h.body)
        self._with("try-else", node.orelse)
        self._with("finally", node.finalbody)

    visit_TryStar = visit_Try

    # -- imports
    def _absolute(self, level: int, module: str | None) -> str | None:
        if level == 0:
            return module
        parts = self.package.split(".") if self.package else []
        if level - 1 > len(parts) or (level - 1 == len(parts) and not module):
            return None  # beyond the top-level package
        base = parts[: len(parts) - (level - 1)]
        if module:
            base += module.split(".")
        return ".".join(base) if base else None

    def visit_Import(self, node):
        for a in node.names:
            self.records.append((node.lineno, f"import {a.name}", [a.name], list(self.ctx)))

    def visit_ImportFrom(self, node):
        base = self._absolute(node.level, node.module)
        written = "." * node.level + (node.module or "")
        for a in node.names:
            if base is None:
                self.records.append(
                    (node.lineno, f"from {written} import {a.name} (beyond top)", [], list(self.ctx))
                )
                continue
            self.records.append(
                (
                    node.lineno,
                    f"from {written} import {a.name}",
                    [f"{base}.{a.name}", base],
                    list(self.ctx) + (["relative"] if node.level else []),
                )
            )

    def visit_Call(self, node):
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
        if name in ("import_module", "__import__") and node.args:
            a0 = node.args[0]
            if isinstance(a0, ast.Constant) and isinstance(a0.value, str):
                self.records.append(
                    (node.lineno, f"{name}({a0.value!r})", [a0.value], list(self.ctx) + ["dynamic"])
                )
        self.generic_visit(node)

    def visit_Constant(self, node):
        if isinstance(node.value, str) and "." in node.value and " " not in node.value:
            self.strings.append((node.lineno, node.value, list(self.ctx)))


_scan_cache: dict[str, ImportScanner | None] = {}


def scan(site: str, rel: str) -> ImportScanner | None:
    if rel not in _scan_cache:
        mod = module_name(rel)
        pkg = mod if rel.endswith(("__init__.py", "__init__.pyi")) else mod.rpartition(".")[0]
        try:
            with open(os.path.join(site, rel), "rb") as f:
                tree = ast.parse(f.read(), rel)
            s = ImportScanner(pkg)
            s.visit(tree)
        except (OSError, SyntaxError, ValueError):
            s = None
        _scan_cache[rel] = s
    return _scan_cache[rel]


def source_line(site: str, rel: str, line: int) -> str:
    try:
        with open(os.path.join(site, rel), encoding="utf-8", errors="replace") as f:
            for i, text in enumerate(f, 1):
                if i == line:
                    return text.strip()
    except OSError:
        pass
    return "?"


def explain(site: str, edge: tuple[str, str], module_exists) -> tuple[str, list[tuple[int, str]]]:
    """Returns (class, [(line, source)]) for one edge."""
    src, dst = edge
    target = module_name(dst)
    s = scan(site, src)
    if s is None:
        return "importer does not parse", []
    exact, parent, from_pkg = [], [], []
    for line, desc, cands, ctx in s.records:
        if not cands:
            continue
        if desc.startswith("import ") and cands[0] != target and cands[0].startswith(target + "."):
            parent.append((line, ctx))
        elif cands[0] == target:
            exact.append((line, ctx, desc))
        elif len(cands) > 1 and cands[1] == target:
            if module_exists(cands[0]):
                from_pkg.append((line, ctx, cands[0]))
            else:
                # `from target import name`, name not a module: the documented
                # edge to the package itself.
                exact.append((line, ctx, desc))
    strings = [(ln, v) for ln, v, _ in s.strings if v == target or v.startswith(target + ".")]
    show = lambda lns: [(ln, source_line(site, src, ln)) for ln in lns[:3]]
    static = [(ln, ctx) for ln, ctx, _ in exact if "dynamic" not in ctx]
    if static:
        skip = ("try", "except", "finally", "try-else")
        ctxs = sorted({c for _, ctx in static for c in ctx if c not in skip})
        label = "static import" + (" [" + ", ".join(ctxs) + "]" if ctxs else "")
        return label, show([ln for ln, _ in static])
    if exact:
        return ("dynamic literal import (importlib.import_module/__import__)",
                show([ln for ln, _, _ in exact]))
    if strings:
        return "string literal naming the module (not an import)", show([ln for ln, _ in strings])
    if parent:
        return "parent package of `import a.b.c`", show([ln for ln, _ in parent])
    if from_pkg:
        return ("`from pkg import sub` where pkg.sub is a module (edge to pkg)",
                show([ln for ln, _, _ in from_pkg]))
    return "no import statement found for this target", []


# --------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--br", required=True, help="blastradius graph --format json output")
    ap.add_argument("--ruff", required=True, help="ruff analyze graph output")
    ap.add_argument("--site", required=True, help="site-packages root")
    ap.add_argument("--br-root",
                    help="directory blastradius ran with --root (default: the JSON's "
                         "\"root\" field); its module paths are relative to it")
    ap.add_argument("--ruff-cwd", help="directory ruff ran in (default: --site)")
    ap.add_argument("--package", action="append",
                    help="top-level package to compare (repeatable; default: django); "
                         "an edge counts when both files lie under these")
    ap.add_argument("--threshold", type=float, default=0.98)
    ap.add_argument("--samples", type=int, default=15)
    args = ap.parse_args()

    args.package = args.package or ["django"]
    site = os.path.abspath(args.site)
    cwd = os.path.abspath(args.ruff_cwd or site)
    try:
        br, br_kinds, ns_skipped, br_data, br_files = load_blastradius(
            args.br, site, args.package, args.br_root)
        ruff, _, ruff_files = load_ruff(args.ruff, site, cwd, args.package)
    except (OSError, ValueError, KeyError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if not ruff:
        print(f"error: ruff reported no edges within {', '.join(args.package)} "
              "(did it resolve first-party imports?)", file=sys.stderr)
        return 2

    names = {m["name"] for m in br_data["modules"] if m["path"] is not None}

    def module_exists(name: str) -> bool:
        return name in names

    both = br & ruff
    only_ruff = sorted(ruff - br)
    only_br = sorted(br - ruff)
    agreement = len(both) / len(ruff)
    recall_br = len(both) / len(br) if br else 0.0

    print(f"packages:             {', '.join(p + '/' for p in args.package)}")
    print(f"blastradius root:     {args.br_root or br_data.get('root')}")
    same = "same files" if br_files == ruff_files else (
        f"DIFFERENT: {len(ruff_files - br_files)} only ruff, "
        f"{len(br_files - ruff_files)} only blastradius")
    print(f"files under packages: ruff {len(ruff_files)}, blastradius {len(br_files)} ({same})")
    print(f"ruff edges:           {len(ruff)}")
    print(f"blastradius edges:    {len(br)}")
    print(f"intersection:         {len(both)}")
    print(f"only in ruff:         {len(only_ruff)}")
    print(f"only in blastradius:  {len(only_br)}")
    print(f"agreement:            {agreement:.4f}  (|intersection| / |ruff edges|)")
    print(f"br edges ruff has:    {recall_br:.4f}  (|intersection| / |blastradius edges|)")
    print(f"br edges to namespace packages skipped (whole graph): {ns_skipped}")
    # One label per file pair: its distinct edge kinds joined by " & "
    # (`module & module+guarded`: one guarded and one unguarded import).
    kind_counts = collections.Counter(
        " & ".join(sorted(k)) for e, k in br_kinds.items()
    )
    print("blastradius kinds of the compared edges: "
          + ", ".join(f"{k}={n}" for k, n in sorted(kind_counts.items())))

    for title, diff in (("only in ruff", only_ruff), ("only in blastradius", only_br)):
        if not diff:
            continue
        classes = collections.Counter()
        explained = []
        for e in diff:
            cls, lines = explain(site, e, module_exists)
            classes[cls] += 1
            explained.append((e, cls, lines))
        print(f"\n== {title}: {len(diff)} edges; classes:")
        for cls, n in classes.most_common():
            print(f"   {n:5d}  {cls}")
        print(f"-- samples (up to {args.samples}):")
        for (src, dst), cls, lines in explained[: args.samples]:
            extra = ""
            if (src, dst) in br_kinds:
                extra = " br-kind=" + ",".join(sorted(br_kinds[(src, dst)]))
            print(f"  {src} -> {dst}  [{cls}]{extra}")
            for ln, text in lines:
                print(f"      {src}:{ln}: {text}")

    ok = agreement >= args.threshold
    print(f"\nresult: {'PASS' if ok else 'FAIL'} (agreement {agreement:.4f} "
          f"{'>=' if ok else '<'} threshold {args.threshold})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
