#!/usr/bin/env python3
"""Recall of `blastradius broken` under deletion.

For each package: copy SRC/<package>/<package> to a temporary root, delete K
of its modules (`.py` files other than `__init__.py`, chosen by
random.Random(SEED) from the sorted list, so a run is reproducible), then
find, with this script's own `ast` walk, every import of a deleted module
left in the copy:

  * `import a.b.c` when a.b.c or one of its ancestors is deleted;
  * `from a.b import c` when a.b (or an ancestor) is deleted, or when the
    submodule a.b.c is deleted and a.b's `__init__.py` binds no other `c`
    (when it does, the import still works: listed as "shadowed", not counted);
  * the relative forms, resolved against the file's package (an
    `__init__.py` is the package itself);
  * `importlib.import_module("x")` / `import_module("x")`, with a literal
    package for a relative name (a non-literal package is skipped),
    `__import__("x")` and `pytest.importorskip("x")`.

Each is classified as handled -- in the body of a `try` with a handler for
ImportError, ModuleNotFoundError, Exception, BaseException or a bare
`except` ("try-except"; a `def` inside such a `try` runs later, outside it),
in `with pytest.raises(ImportError...)` / `raises(...)` ("pytest-raises"),
`pytest.importorskip(...)` ("importorskip"), under `if TYPE_CHECKING:`
("type-checking") -- or not, and as inside a function or not (both count).

Then `BR broken --root COPY --json --include-handled` (without the flag when
the binary rejects it) must report every UNHANDLED one, matched by
root-relative path and line (a report on any line of a multi-line statement
counts). Printed per package: the deleted modules, the imports found,
unhandled, reported, missed (each with path:line and the import), handled
ones the binary does not list, handled-ness disagreements, and the reports
about deleted modules that the scan did not find (informational). An
import is annotated with what may explain a miss: "P has a module
__getattr__", "P edits sys.modules" (an ancestor package assigns into
sys.modules), "P binds x only by importing it from a deleted module" (the
name exists only through another broken import), "this very statement is
P's only binding of x" (in P's own __init__.py). A markdown summary table
ends the output. Exit 1 when an unhandled import of a
deleted module was missed, 2 on a usage or tool error.

Usage: bench/truth/broken_recall.py [-k K] [--seed SEED] [-v] [--keep] [PACKAGE...]
       (-v lists every import found, reported or not; --keep keeps the copies)
       (default: django flask werkzeug click requests pygments docutils)
Env:   BR   (default <repo>/target/release/blastradius)
       SRC  (default <repo>/target/truth-src, made by bench/truth/run.sh)
       K    (modules deleted per package, default 5; -k wins)
       SEED (default 15; --seed wins)
Run with any Python >= 3.8 (e.g. target/truth-venv/bin/python); nothing is
imported, only parsed.
"""

import argparse
import ast
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import List, Optional

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from broken_common import (  # noqa: E402
    PACKAGES,
    call_target,
    default_paths,
    entries,
    module_of_path,
    package_of,
    resolve_relative,
    run_broken,
)

CATCHING = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


# ---------------------------------------------------------------- the copy


def copy_package(src_root, package, dest):
    """Copy SRC/<package>/<package> (only the code: no caches) to DEST."""
    shutil.copytree(
        os.path.join(src_root, package, package),
        os.path.join(dest, package),
        ignore=shutil.ignore_patterns("__pycache__", ".blastradius_cache", "*.pyc"),
    )


def python_files(root):
    """Root-relative '/'-separated paths of every .py file, sorted."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        for f in filenames:
            if f.endswith(".py"):
                out.append(os.path.relpath(os.path.join(dirpath, f), root).replace(os.sep, "/"))
    return sorted(out)


def deletable(root, files):
    """Modules whose file can go: not `__init__.py`, and no package of the
    same name beside it (which would still provide the module)."""
    out = []
    for rel in files:
        if rel.endswith("/__init__.py") or rel == "__init__.py":
            continue
        pkg_dir = os.path.join(root, rel[:-3])
        if os.path.isfile(os.path.join(pkg_dir, "__init__.py")):
            continue
        out.append(rel)
    return out


# ---------------------------------------------------------------- the scan


@dataclass
class Found:
    path: str
    line: int
    end_line: int
    text: str
    deleted: List[str]  # deleted modules this import needs
    handled: Optional[str]
    in_function: bool
    shadowed: bool = False  # every hit is a name the parent binds otherwise
    notes: List[str] = field(default_factory=list)

    @property
    def where(self):
        return f"{self.path}:{self.line}"


def first_deleted(name, deleted):
    """The deleted module among `name` and its ancestors, or None."""
    parts = name.split(".")
    for i in range(1, len(parts) + 1):
        prefix = ".".join(parts[:i])
        if prefix in deleted:
            return prefix
    return None


def catches_import_error(handler):
    def ok(expr):
        if expr is None:
            return True
        if isinstance(expr, ast.Name):
            return expr.id in CATCHING
        if isinstance(expr, ast.Attribute):
            return expr.attr in CATCHING
        if isinstance(expr, ast.Tuple):
            return any(ok(e) for e in expr.elts)
        return False

    return ok(handler.type)


def is_raises(item):
    """`pytest.raises(ImportError...)` / `raises(...)` as a `with` item."""
    call = item.context_expr
    if not isinstance(call, ast.Call):
        return False
    f = call.func
    named = (isinstance(f, ast.Name) and f.id == "raises") or (
        isinstance(f, ast.Attribute) and f.attr == "raises")
    if not named:
        return False
    if not call.args:
        return True
    return catches_import_error(ast.ExceptHandler(type=call.args[0]))


def is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


class ParentBindings:
    """Top-level names a package's `__init__.py` binds other than by
    importing the (deleted) submodule of that name; cached per package."""

    def __init__(self, root, deleted):
        self.root, self.deleted, self.cache = root, deleted, {}

    def facts(self, package):
        """(names bound, {name: lines} of the names bound only by an import
        from a deleted module, has a module-level __getattr__, edits
        sys.modules)."""
        if package not in self.cache:
            self.cache[package] = self._names(package)
        return self.cache[package]

    def binds(self, package, name):
        names, _broken, hook, _sys = self.facts(package)
        return name in names, hook

    def _names(self, package):
        path = os.path.join(self.root, *package.split("."), "__init__.py")
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                tree = ast.parse(fh.read())
        except (OSError, SyntaxError, ValueError):
            return set(), {}, False, False
        names, broken, hook = set(), {}, False

        def targets(t):
            if isinstance(t, ast.Name):
                names.add(t.id)
            elif isinstance(t, (ast.Tuple, ast.List)):
                for e in t.elts:
                    targets(e)
            elif isinstance(t, ast.Starred):
                targets(t.value)

        def walk(body):
            nonlocal hook
            for s in body:
                if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names.add(s.name)
                    if s.name == "__getattr__":
                        hook = True
                elif isinstance(s, ast.Assign):
                    for t in s.targets:
                        targets(t)
                elif isinstance(s, (ast.AnnAssign, ast.AugAssign)) and s.value is not None:
                    targets(s.target)
                elif isinstance(s, ast.ImportFrom):
                    base = resolve_relative(s.level, s.module, package)
                    for a in s.names:
                        if a.name == "*":
                            continue
                        bound = a.asname or a.name
                        # `from . import c` / `from .c import c` of the deleted
                        # c fail themselves: they provide nothing.
                        if base and (first_deleted(base, self.deleted)
                                     or f"{base}.{a.name}" in self.deleted):
                            broken.setdefault(bound, []).append(s.lineno)
                            continue
                        names.add(bound)
                elif isinstance(s, ast.Import):
                    for a in s.names:
                        if a.asname:
                            names.add(a.asname)
                        else:
                            names.add(a.name.split(".")[0])
                elif isinstance(s, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
                    for sub in ("body", "orelse", "finalbody"):
                        walk(getattr(s, sub, []) or [])
                    for h in getattr(s, "handlers", []) or []:
                        walk(h.body)
                elif hasattr(ast, "TryStar") and isinstance(s, ast.TryStar):
                    walk(s.body)

        walk(tree.body)
        broken = {n: lines for n, lines in broken.items() if n not in names}
        return names, broken, hook, edits_sys_modules(tree)


def edits_sys_modules(tree):
    """`sys.modules[...] = ...` or `sys.modules.update/setdefault(...)`
    anywhere in the file: the module may create modules at run time."""
    def is_sys_modules(e):
        return (isinstance(e, ast.Attribute) and e.attr == "modules"
                and isinstance(e.value, ast.Name) and e.value.id == "sys")

    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Subscript) and is_sys_modules(t.value):
                    return True
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ("update", "setdefault", "__setitem__") and \
                is_sys_modules(node.func.value):
            return True
    return False


class Scanner:
    """Collects the imports of deleted modules in one file."""

    def __init__(self, path, source, deleted, parents):
        self.path, self.source, self.deleted, self.parents = path, source, deleted, parents
        self.module, self.is_package = module_of_path(path)
        self.package = package_of(self.module, self.is_package)
        self.found = []
        self.skipped_dynamic = 0  # relative import_module with non-literal package

    # ctx: (guard label or None, in_function, type_checking)
    def handled(self, ctx, own=None):
        guard, _, tc = ctx
        if tc:
            return "type-checking"
        return guard or own

    def text(self, node):
        seg = ast.get_source_segment(self.source, node)
        if seg is None:
            seg = self.source.splitlines()[node.lineno - 1].strip()
        return " ".join(seg.split())

    def add(self, node, hits, ctx, own=None, shadowed=False, notes=()):
        notes = list(notes)
        for hit in sorted(set(hits)):
            parts = hit.split(".")
            for i in range(len(parts) - 1, 0, -1):
                ancestor = ".".join(parts[:i])
                if self.parents.facts(ancestor)[3]:
                    notes.append(f"{ancestor} edits sys.modules")
        self.found.append(Found(
            path=self.path, line=node.lineno,
            end_line=getattr(node, "end_lineno", None) or node.lineno,
            text=self.text(node), deleted=sorted(set(hits)),
            handled=self.handled(ctx, own), in_function=ctx[1], shadowed=shadowed,
            notes=list(notes)))

    def visit_import(self, node, ctx):
        hits = [d for d in (first_deleted(a.name, self.deleted) for a in node.names) if d]
        if hits:
            self.add(node, hits, ctx)

    def visit_import_from(self, node, ctx):
        base = resolve_relative(node.level, node.module, self.package)
        if base is None:
            return
        hit = first_deleted(base, self.deleted)
        if hit:
            self.add(node, [hit], ctx)
            return
        hits, shadowed_hits, notes = [], [], []
        for a in node.names:
            sub = f"{base}.{a.name}"
            if a.name == "*" or sub not in self.deleted:
                continue
            bound, hook = self.parents.binds(base, a.name)
            if bound:
                shadowed_hits.append(sub)
                notes.append(f"{base}/__init__.py binds {a.name} itself")
            else:
                hits.append(sub)
                if hook:
                    notes.append(f"{base} has a module __getattr__")
                lines = self.parents.facts(base)[1].get(a.name)
                if lines and self.is_package and self.module == base and node.lineno in lines:
                    notes.append(f"this very statement is {base}'s only binding of {a.name}")
                elif lines:
                    notes.append(f"{base} binds {a.name} only by importing it from a deleted module")
        if hits or shadowed_hits:
            self.add(node, hits or shadowed_hits, ctx, shadowed=not hits, notes=notes)

    def visit_call(self, node, ctx):
        found = call_target(node)
        if found is None:
            return
        kind, target, unknown_package = found
        if target is None:
            if unknown_package:
                self.skipped_dynamic += 1
            return
        hit = first_deleted(target, self.deleted)
        if hit:
            self.add(node, [hit], ctx, own="importorskip" if kind == "importorskip" else None)

    def visit(self, node, ctx):
        guard, in_function, tc = ctx
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for d in getattr(node, "decorator_list", []):
                self.visit(d, ctx)
            self.visit(node.args, ctx)
            if getattr(node, "returns", None) is not None:
                self.visit(node.returns, ctx)
            inner = (None, True, tc)  # the body runs when called, outside any try
            body = node.body if isinstance(node.body, list) else [node.body]
            for s in body:
                self.visit(s, inner)
            return
        if isinstance(node, ast.Try) or (hasattr(ast, "TryStar") and isinstance(node, ast.TryStar)):
            body_ctx = ctx
            if any(catches_import_error(h) for h in node.handlers):
                body_ctx = (guard or "try-except", in_function, tc)
            for s in node.body:
                self.visit(s, body_ctx)
            for h in node.handlers:
                self.visit(h, ctx)
            for s in node.orelse + node.finalbody:
                self.visit(s, ctx)
            return
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.visit(item, ctx)
            body_ctx = ctx
            if any(is_raises(item) for item in node.items):
                body_ctx = (guard or "pytest-raises", in_function, tc)
            for s in node.body:
                self.visit(s, body_ctx)
            return
        if isinstance(node, ast.If):
            self.visit(node.test, ctx)
            body_ctx = (guard, in_function, True) if is_type_checking(node.test) else ctx
            for s in node.body:
                self.visit(s, body_ctx)
            for s in node.orelse:
                self.visit(s, ctx)
            return
        if isinstance(node, ast.Import):
            self.visit_import(node, ctx)
            return
        if isinstance(node, ast.ImportFrom):
            self.visit_import_from(node, ctx)
            return
        if isinstance(node, ast.Call):
            self.visit_call(node, ctx)
        for child in ast.iter_child_nodes(node):
            self.visit(child, ctx)


def scan(root, files, deleted):
    parents = ParentBindings(root, deleted)
    found, parse_errors, skipped = [], [], 0
    for rel in files:
        try:
            with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as fh:
                source = fh.read()
            tree = ast.parse(source)
        except (SyntaxError, ValueError) as e:
            parse_errors.append(f"{rel}: {type(e).__name__}: {e}")
            continue
        s = Scanner(rel, source, deleted, parents)
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
        s.visit(tree, (None, False, False))
        found.extend(s.found)
        skipped += s.skipped_dynamic
    return found, parse_errors, skipped


# ---------------------------------------------------------------- reports


def about_deleted(entry, deleted):
    """Does a reported entry concern a deleted module?"""
    if entry.module:
        if first_deleted(entry.module, deleted):
            return True
        if entry.name and f"{entry.module}.{entry.name}" in deleted:
            return True
        return False
    # No target: look for a deleted module's name in the text or reason.
    blob = f"{entry.text} {entry.reason}"
    return any(d in blob or d.rpartition(".")[2] in entry.text.split() for d in deleted)


def short(text, width=110):
    return text if len(text) <= width else text[: width - 3] + "..."


def run_package(package, k, seed, br, src_root, keep, verbose):
    tmp = tempfile.mkdtemp(prefix=f"br-recall-{package}-")
    # The root is TMP/<package>, holding TMP/<package>/<package>: the layout of
    # SRC, so that a kept copy can be tried with SRC=TMP broken_truth.py.
    root = os.path.join(tmp, package)
    os.mkdir(root)
    try:
        copy_package(src_root, package, root)
        files = python_files(root)
        candidates = deletable(root, files)
        rng = random.Random(seed)
        chosen = sorted(rng.sample(candidates, min(k, len(candidates))))
        deleted = {module_of_path(rel)[0] for rel in chosen}
        for rel in chosen:
            os.remove(os.path.join(root, rel))
        remaining = [f for f in files if f not in set(chosen)]
        found, parse_errors, skipped = scan(root, remaining, deleted)
        doc, accepted, cmd = run_broken(br, root, include_handled=True)
        reports = entries(doc)
    finally:
        if keep:
            print(f"(kept {root}; try its reports with SRC={tmp} broken_truth.py {package})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    by_path = {}
    for e in reports:
        by_path.setdefault(e.path, []).append(e)

    def matches(f):
        return [e for e in by_path.get(f.path, []) if f.line <= e.line <= f.end_line]

    counted = [f for f in found if not f.shadowed]
    shadowed = [f for f in found if f.shadowed]
    unhandled = [f for f in counted if f.handled is None]
    handled = [f for f in counted if f.handled is not None]
    reported = [f for f in counted if matches(f)]
    missed = [f for f in unhandled if not matches(f)]
    # With --include-handled (or an old binary, which lists guarded ones
    # anyway) the handled imports should be listed too.
    handled_unlisted = [f for f in handled if not matches(f)]
    disagree = []
    for f in counted:
        for e in matches(f):
            differ = e.handled != f.handled if e.new_contract else \
                (e.handled is None) != (f.handled is None)
            if differ:
                disagree.append((f, e))
                break
    matched_ids = {id(e) for f in found for e in matches(f)}
    extras = [e for e in reports if id(e) not in matched_ids and about_deleted(e, deleted)]
    unrelated = [e for e in reports if id(e) not in matched_ids and not about_deleted(e, deleted)]

    print(f"## {package}  (seed {seed}, k {k}; {len(files)} files, {len(candidates)} deletable)")
    print(f"command: {' '.join(cmd[:1])} {' '.join(cmd[1:3])} <copy> {' '.join(cmd[4:])}")
    if not accepted:
        print("note: --include-handled rejected by this binary; ran without it")
    contract = "new (handled/module/name)" if reports and reports[0].new_contract and \
        not reports[0].derived else ("old (guarded, targets derived from the text)" if reports else "n/a (nothing reported)")
    print(f"JSON contract: {contract}")
    print("deleted: " + ", ".join(sorted(deleted)))
    if parse_errors:
        print(f"parse errors (files skipped by the scan): {len(parse_errors)}")
        for p in parse_errors[:5]:
            print(f"  {p}")
    in_fn = sum(1 for f in counted if f.in_function)
    print(f"imports of deleted modules: {len(counted)} ({in_fn} inside a function), "
          f"unhandled {len(unhandled)}, handled {len(handled)}, reported {len(reported)}, "
          f"missed {len(missed)}")
    if skipped:
        print(f"relative import_module calls with a non-literal package (not scanned): {skipped}")
    for f in counted if verbose else []:
        mark = "reported" if matches(f) else ("MISSED" if f.handled is None else "not listed")
        ctx = f.handled or "unhandled"
        fn = ", in function" if f.in_function else ""
        note = f"  [{'; '.join(f.notes)}]" if f.notes else ""
        print(f"  {mark:10} {f.where} ({ctx}{fn}): {short(f.text)}{note}")
    if missed:
        print(f"MISSED ({len(missed)}):")
        for f in missed:
            note = f"  [{'; '.join(f.notes)}]" if f.notes else ""
            fn = " (in function)" if f.in_function else ""
            print(f"  {f.where}{fn}: {short(f.text)}  -> needs {', '.join(f.deleted)}{note}")
    if handled_unlisted:
        print(f"handled imports not listed even with --include-handled ({len(handled_unlisted)}):")
        for f in handled_unlisted:
            print(f"  {f.where} ({f.handled}): {short(f.text)}")
    if disagree:
        old = "" if reports[0].new_contract else \
            " (old binary: `guarded` covers try/except only)"
        print(f"handled-ness disagreements ({len(disagree)}){old}:")
        for f, e in disagree:
            print(f"  {f.where}: scan says {f.handled or 'unhandled'}, "
                  f"blastradius says {e.handled or 'unhandled'}: {short(f.text)}")
    if shadowed:
        print(f"shadowed (the parent binds the name; not counted): {len(shadowed)}")
        for f in shadowed:
            print(f"  {f.where}: {short(f.text)}  [{'; '.join(f.notes)}]")
    if extras:
        print(f"extra reports about deleted modules the scan did not find ({len(extras)}):")
        for e in extras:
            print(f"  {e.where} {e.problem} ({e.handled or 'unhandled'}): {short(e.text)}"
                  f" -- {short(e.reason, 90)}")
    if unrelated:
        print(f"other reports (not about the deleted modules): {len(unrelated)}")
        for e in unrelated[:10]:
            print(f"  {e.where} {e.problem} ({e.handled or 'unhandled'}): {short(e.text)}")
        if len(unrelated) > 10:
            print(f"  ... {len(unrelated) - 10} more")
    print()
    return {
        "package": package, "deleted": len(deleted), "found": len(counted),
        "unhandled": len(unhandled), "reported": len(reported), "missed": len(missed),
        "extras": len(extras), "disagree": len(disagree),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("packages", nargs="*")
    ap.add_argument("-k", type=int, default=int(os.environ.get("K", "5")))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("SEED", "15")))
    ap.add_argument("--keep", action="store_true", help="keep the temporary copies")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="list every import of a deleted module, not only the misses")
    args = ap.parse_args()
    br, _venv, src_root = default_paths()
    if not os.access(br, os.X_OK):
        print(f"error: no blastradius binary at {br} (set BR)", file=sys.stderr)
        return 2
    packages = args.packages or PACKAGES
    for p in packages:
        if not os.path.isdir(os.path.join(src_root, p, p)):
            print(f"error: {src_root}/{p}/{p} missing (run bench/truth/run.sh)", file=sys.stderr)
            return 2
    started = time.time()
    rows = []
    for p in packages:
        try:
            rows.append(run_package(p, args.k, args.seed, br, src_root, args.keep, args.verbose))
        except RuntimeError as e:
            print(f"error: {p}: {e}", file=sys.stderr)
            return 2
    print("| package | deleted | imports of deleted modules | unhandled | reported | missed |"
          " extra reports | handled disagreements |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    tot = {key: 0 for key in ("deleted", "found", "unhandled", "reported", "missed", "extras", "disagree")}
    for r in rows:
        print(f"| {r['package']} | {r['deleted']} | {r['found']} | {r['unhandled']} | "
              f"{r['reported']} | {r['missed']} | {r['extras']} | {r['disagree']} |")
        for key in tot:
            tot[key] += r[key]
    print(f"| **total** | {tot['deleted']} | {tot['found']} | {tot['unhandled']} | "
          f"{tot['reported']} | {tot['missed']} | {tot['extras']} | {tot['disagree']} |")
    print(f"\n({time.time() - started:.1f} s)")
    return 1 if tot["missed"] else 0


if __name__ == "__main__":
    sys.exit(main())
