"""Compares what `import M` executes (probe.py) with blastradius's answer,
pair by pair, and with ruff's and grimp's; classifies every difference.

A pair (M, X) is "M's import executes first-party module X". Truth pairs
come from probe.py. Modules that fail to import on this machine (as M and
as X), namespace packages (no file, so nothing runs) and the modules
preloaded before M's import are left out of both sides. blastradius's pairs are
`dependencies M --json`: its import tier (results with `"tier": "import"`,
or, for a build before tiers, the results of `--kinds module`), and all of
its results ("all kinds"). ruff's are the transitive closure of `ruff
analyze graph` (files); grimp's are `find_upstream_modules`.

Usage: compare.py --br BIN --src DIR --out DIR --ruff BIN --python PY PACKAGE...
Writes OUT/report.md and OUT/<package>.ours.json; prints the report.
"""

import argparse
import ast
import concurrent.futures
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict


def run_json(cmd, cwd=None):
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def timed(cmd, runs=3, cwd=None):
    """Median wall time of `cmd` in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, capture_output=True, cwd=cwd, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


class Ours:
    """blastradius's answers over one package root."""

    def __init__(self, br, root, jobs):
        self.br, self.root = br, root
        graph = run_json([br, "--root", root, "-q", "graph", "--format", "json"])
        self.version = graph["version"]
        self.modules = {m["name"]: m for m in graph["modules"]}
        self.edges = defaultdict(list)
        for e in graph["edges"]:
            self.edges[(e["from"], e["to"])].append(e)
        self.jobs = jobs

    def dependencies(self, names):
        """{M: {"import": {X: result}, "all": {X: result}}} for every M."""
        tiered = self.version >= 2

        def one(name):
            base = [self.br, "--root", self.root, "-q", "dependencies", name, "--json"]
            every = run_json(base)["results"]
            if tiered:
                imported = [r for r in every if r.get("tier") == "import"]
            else:
                imported = run_json(base + ["--kinds", "module"])["results"]
            return name, {
                "import": {r["module"]: r for r in imported},
                "all": {r["module"]: r for r in every},
            }

        with concurrent.futures.ThreadPoolExecutor(self.jobs) as pool:
            return dict(pool.map(one, names))

    def path(self, name):
        module = self.modules.get(name)
        return module["path"] if module else None


def ruff_pairs(ruff, root, names):
    """Transitive closure of ruff's direct dependencies, by module name."""
    done = subprocess.run([ruff, "analyze", "graph", "--isolated", "--direction", "dependencies", "."],
                          capture_output=True, text=True, cwd=root)
    direct = json.loads(done.stdout or "{}")

    def to_name(path):
        parts = path[:-3].split("/") if path.endswith(".py") else path.split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        return ".".join(parts)

    graph = {to_name(f): {to_name(d) for d in deps} for f, deps in direct.items()}
    out = {}
    for name in names:
        seen, stack = set(), list(graph.get(name, ()))
        while stack:
            n = stack.pop()
            if n not in seen and n != name:
                seen.add(n)
                stack.extend(graph.get(n, ()))
        out[name] = seen
    return out


GRIMP = r"""
import json, sys, grimp
package, names = sys.argv[1], json.loads(sys.stdin.read())
g = grimp.build_graph(package, cache_dir=None)
print(json.dumps({n: sorted(g.find_upstream_modules(n)) if n in g.modules else [] for n in names}))
"""


def grimp_pairs(python, root, package, names):
    done = subprocess.run([python, "-c", GRIMP, package], input=json.dumps(names),
                          capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=root), cwd="/tmp")
    if done.returncode != 0:
        return None
    return {k: set(v) for k, v in json.loads(done.stdout).items()}


def enclosing(path, line):
    """The innermost module-level compound statement around `line` of `path`,
    as a short label: `if <test>`, `try`, `def name` ..., or None."""
    try:
        with open(path, "rb") as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return None
    found = None

    def walk(body, depth):
        nonlocal found
        for node in body:
            end = getattr(node, "end_lineno", node.lineno)
            if not (node.lineno <= line <= end):
                continue
            if isinstance(node, ast.If):
                found = f"if {ast.unparse(node.test)[:60]}"
                walk(node.body + node.orelse, depth + 1)
            elif isinstance(node, ast.Try):
                handlers = [ast.unparse(h.type) if h.type is not None else "" for h in node.handlers]
                in_body = any(n.lineno <= line <= getattr(n, "end_lineno", n.lineno) for n in node.body)
                found = "try" if in_body else f"except {', '.join(handlers)}"
                walk(node.body + [n for h in node.handlers for n in h.body] + node.orelse + node.finalbody,
                     depth + 1)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found = f"def {node.name}"
                return
            elif isinstance(node, (ast.With, ast.For, ast.While, ast.ClassDef)):
                walk(node.body, depth + 1)
            return

    walk(tree.body, 0)
    return found


def hop_place(ours, root, a, b):
    """`path:line` and the kind of the first import in `a` of `b`."""
    edges = ours.edges.get((a, b)) or []
    if not edges:
        return None, None, None
    e = min(edges, key=lambda e: (e["line"] if e["line"] is not None else 0))
    path = ours.path(a)
    return (f"{path}:{e['line']}" if e["line"] is not None else f"{path} (parent package)"), e, path


def classify_miss(ours, root, m, x, deps):
    """Why our import tier lacks (m, x)."""
    every = deps[m]["all"].get(x)
    if every is None:
        return "no edge in any tier (runtime-created, computed name or other dynamic code)", None
    chain = every["chain"]
    for a, b in zip(chain, chain[1:]):
        place, edge, _ = hop_place(ours, root, a, b)
        if edge is None:
            continue
        kind = edge["kind"]
        if kind in ("lazy",) and not edge.get("at_import"):
            return "through an import inside a function (not seen to run at import time)", place
        if kind == "dynamic":
            return "through a dynamic import (runtime tier)", place
        if kind == "type-checking":
            return "through a TYPE_CHECKING import", place
    tier = every.get("tier", "runtime")
    return f"reached in the {tier} tier only", every["chain"][0]


def classify_extra(ours, root, m, x, result, executed):
    """Why our import tier claims (m, x) though `import m` did not run x."""
    chain = result["chain"]
    ran = set(executed) | {m}
    for a, b in zip(chain, chain[1:]):
        if b in ran:
            continue
        place, edge, path = hop_place(ours, root, a, b)
        if edge is None:
            return "chain hop without an occurrence", f"{a} -> {b}"
        if edge["line"] is None:
            return f"{edge['kind']} edge", place
        where = enclosing(os.path.join(root, path), edge["line"]) if path else None
        if a not in ran:
            return "after a module that did not run", place
        if where is None:
            return "an unconditional import that did not run (its module failed or stopped before it)", place
        if where.startswith("if "):
            return "import under a runtime condition (not taken)", f"{place} ({where})"
        if where == "try" or where.startswith("except"):
            return f"import in a try/except block ({where})", place
        if where.startswith("def "):
            return "import inside a function called at import time (not this time)", f"{place} ({where})"
        return f"import inside {where}", place
    return "every hop ran (x itself did not execute)", chain[0]


def pct(n, d):
    return f"{100.0 * n / d:.2f}%" if d else "n/a"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--br", required=True)
    parser.add_argument("--src", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--ruff", required=True)
    parser.add_argument("--python", required=True)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("packages", nargs="+")
    args = parser.parse_args()
    lines = ["| package | modules | imported | truth pairs | import tier: recall | precision | all kinds: recall | ruff recall / precision | grimp recall / precision | time: blastradius / ruff / grimp |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    details = []
    for package in args.packages:
        root = os.path.join(args.src, package)
        truth = json.load(open(os.path.join(args.out, f"{package}.truth.json")))
        pre = {m: set(r.get("preloaded", [])) for m, r in truth["modules"].items()}
        ok = {m: set(r["executed"]) - pre[m] for m, r in truth["modules"].items() if r["ok"]}
        with_setup = sum(1 for m in ok if truth["modules"][m].get("setup"))
        failed = {m: r["error"] for m, r in truth["modules"].items() if not r["ok"]}
        ours = Ours(args.br, root, args.jobs)
        names = sorted(n for n in ok if n in ours.modules)
        deps = ours.dependencies(names)
        json.dump({m: {t: sorted(v) for t, v in d.items()} for m, d in deps.items()},
                  open(os.path.join(args.out, f"{package}.ours.json"), "w"), indent=1, sort_keys=True)
        # A module that cannot be imported here is left out as a target too,
        # and so is a namespace package: no file, nothing to run or change.
        first_party = {n for n, mod in ours.modules.items() if mod.get("path")} - set(failed)
        truth_pairs = {(m, x) for m in names for x in ok[m] if x in first_party and x != m}

        def scored(pairs):
            pairs = {(m, x) for (m, x) in pairs if x not in pre[m] and x in first_party and x != m}
            hit = len(pairs & truth_pairs)
            return hit, len(pairs)

        ours_import = {(m, x) for m in names for x in deps[m]["import"]}
        ours_all = {(m, x) for m in names for x in deps[m]["all"]}
        hit, claimed = scored(ours_import)
        hit_all, _ = scored(ours_all)
        r = ruff_pairs(args.ruff, root, names)
        ruff_hit, ruff_claimed = scored({(m, x) for m in names for x in r[m]})
        g = grimp_pairs(args.python, root, package, names)
        if g is None:
            grimp_cell = "failed"
        else:
            gh, gc = scored({(m, x) for m in names for x in g.get(m, ())})
            grimp_cell = f"{pct(gh, len(truth_pairs))} / {pct(gh, gc)}"
        t_br = timed([args.br, "--root", root, "-q", "--no-cache", "graph", "--format", "json"])
        t_ruff = timed([args.ruff, "analyze", "graph", "--isolated", "."], cwd=root)
        t_grimp = timed([args.python, "-c", f"import grimp; grimp.build_graph({package!r}, cache_dir=None)"],
                        cwd="/tmp") if g is not None else float("nan")
        lines.append(
            f"| {package} | {len(truth['modules'])} | {len(ok)} ({pct(len(ok), len(truth['modules']))}) | "
            f"{len(truth_pairs)} | {pct(hit, len(truth_pairs))} | {pct(hit, claimed)} | "
            f"{pct(hit_all, len(truth_pairs))} | {pct(ruff_hit, len(truth_pairs))} / {pct(ruff_hit, ruff_claimed)} | "
            f"{grimp_cell} | {t_br * 1000:.0f} / {t_ruff * 1000:.0f} / {t_grimp * 1000:.0f} ms |")
        misses = Counter()
        miss_examples = {}
        for (m, x) in sorted(truth_pairs - ours_import):
            cls, where = classify_miss(ours, root, m, x, deps)
            misses[cls] += 1
            miss_examples.setdefault(cls, f"`import {m}` runs {x}: {where}")
        extras = Counter()
        extra_examples = {}
        for (m, x) in sorted(ours_import):
            if (m, x) in truth_pairs or x in pre[m] or x not in first_party or x == m:
                continue
            cls, where = classify_extra(ours, root, m, x, deps[m]["import"][x], ok[m])
            extras[cls] += 1
            extra_examples.setdefault(cls, f"`import {m}` does not run {x}: {where}")
        details.append(f"\n### {package}\n")
        details.append(f"- {len(failed)} module(s) failed to import and are left out"
                       + (": " + "; ".join(f"`{m}` ({e})" for m, e in sorted(failed.items())[:12]) if failed else "")
                       + (f"; and {len(failed) - 12} more" if len(failed) > 12 else ""))
        most = max((len(pre[m]) for m in ok), default=0)
        details.append(f"- preloaded before an import (left out for that import): at most {most} module(s)"
                       + (f"; {with_setup} module(s) needed django.setup() first" if package == "django" else ""))
        details.append(f"- missed by the import tier: {len(truth_pairs - ours_import)} pair(s)")
        for cls, n in misses.most_common():
            details.append(f"  - {n}: {cls}; e.g. {miss_examples[cls]}")
        missed_all = sorted(truth_pairs - ours_all)
        details.append(f"- missed by all kinds together: {len(missed_all)} pair(s)"
                       + (": " + "; ".join(f"`import {m}` runs {x}" for m, x in missed_all[:5]) if missed_all else ""))
        details.append(f"- claimed by the import tier but not executed: {claimed - hit} pair(s)")
        for cls, n in extras.most_common():
            details.append(f"  - {n}: {cls}; e.g. {extra_examples[cls]}")
    report = "\n".join(lines + details) + "\n"
    open(os.path.join(args.out, "report.md"), "w").write(report)
    print(report)


if __name__ == "__main__":
    main()
