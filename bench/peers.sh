#!/usr/bin/env bash
# blastradius against its peers on one real codebase (docs/comparison.md).
#
# What it measures, on Django (pip `django==$DJANGO_VERSION`, unpacked with
# --no-deps --target into target/peers-corpus; ROOT = that directory, which
# holds the `django` package):
#
#   1. One shared question, "which modules import $TARGET (default
#      django.db.models.sql.query), directly or transitively?", asked of
#        blastradius   dependents TARGET --json (cold --no-cache, and warm)
#        grimp         build_graph("django", cache_dir=None)
#                      .find_downstream_modules(TARGET)  (grimp's "downstream"
#                      = importers; "upstream" would be what TARGET imports)
#        ruff          analyze graph --direction dependents: direct
#                      dependents per file only; the transitive closure is
#                      computed by a Python snippet here (post-processing)
#        tach          map --direction dependents --closure FILE (no tach.toml
#                      needed for `map`; check, show, report and test need one)
#        pydeps        --show-deps --no-output --max-bacon=0 (bytecode
#                      analysis of the whole package) + closure over
#                      `imported_by`
#      Answer sizes, the modules on which the tools disagree (with the chain
#      that puts each one in a tool's answer), wall time (hyperfine, ROUNDS
#      rounds of --warmup WARMUP --runs RUNS, every tool in each round) and
#      peak RSS (/usr/bin/time -f %M, median of RSS_RUNS runs).
#   2. Ground truth at import time: each Django module is imported in a fresh
#      forked interpreter (settings.configure() done once in the parent, which
#      loads 11 modules and not TARGET) and we record whether TARGET's file
#      was executed. Skipped with RUNTIME=0 (it takes 2-3 minutes).
#   3. A 17-file probe package (target/peers-probe) with one file per import
#      construct (relative, lazy, TYPE_CHECKING, importlib, __import__,
#      guarded, string, re-export, parent package) and each tool's answer on
#      it, next to what the interpreter does.
#   4. CI contracts: import-linter (a forbidden and a layers contract) and the
#      same two rules as `blastradius check`, timed, with their violations.
#
# Usage:  bench/peers.sh                 (everything; about 10 minutes on 2 cores)
#         BR=target/release/blastradius RUNTIME=0 bench/peers.sh   (no build, no runtime check)
# Env:    BR (blastradius binary; default: cargo build --release, then
#         target/release/blastradius), TARGET, DJANGO_VERSION (5.2.19),
#         RUFF_VERSION (0.17.6), GRIMP_VERSION (3.20), IMPORT_LINTER_VERSION
#         (2.17), TACH_VERSION (0.35.3), PYDEPS_VERSION (3.0.9), SYMBOL
#         (get_order_dir, a name in TARGET for a symbol-level radius), RUNS (5),
#         WARMUP (1), ROUNDS (3), RSS_RUNS (3), RUNTIME (1), OUT (default
#         target/peers-out).
# Installs (all under target/, git-ignored, created when absent):
#   target/peers-venv     ruff, grimp, import-linter, tach, pydeps (pinned)
#   target/peers-corpus   Django's source, never committed
#   target/peers-runtime  a venv with asgiref + sqlparse, for step 2 only
#   and, when missing, Debian's hyperfine and time packages.
# Output: everything in $OUT (answers, hyperfine JSON, summary.txt); the
# summary is also printed.
set -euo pipefail

DJANGO_VERSION=${DJANGO_VERSION:-5.2.19}
RUFF_VERSION=${RUFF_VERSION:-0.17.6}
GRIMP_VERSION=${GRIMP_VERSION:-3.20}
IMPORT_LINTER_VERSION=${IMPORT_LINTER_VERSION:-2.17}
TACH_VERSION=${TACH_VERSION:-0.35.3}
PYDEPS_VERSION=${PYDEPS_VERSION:-3.0.9}
TARGET=${TARGET:-django.db.models.sql.query}
SYMBOL=${SYMBOL:-get_order_dir}   # a name defined in TARGET, for the symbol-level radius
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
ROUNDS=${ROUNDS:-3}
RSS_RUNS=${RSS_RUNS:-3}
RUNTIME=${RUNTIME:-1}

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$REPO/target/peers-venv
RTVENV=$REPO/target/peers-runtime
CORPUS=$REPO/target/peers-corpus
PROBE=$REPO/target/peers-probe
OUT=${OUT:-$REPO/target/peers-out}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TARGET_FILE=$(echo "$TARGET" | tr . /).py
PY=$VENV/bin/python

log() { printf '\n== %s\n' "$*" >&2; }
apt_install() {
    log "installing $*"
    local sudo=
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq && $sudo apt-get install -y -qq "$@" >/dev/null
}

# ---------------------------------------------------------------- 1. tools
command -v hyperfine >/dev/null 2>&1 || apt_install hyperfine
[ -x /usr/bin/time ] || apt_install time

if [ ! -x "$PY" ]; then
    log "creating $VENV"
    python3 -m venv "$VENV"
fi
want="ruff==$RUFF_VERSION grimp==$GRIMP_VERSION import-linter==$IMPORT_LINTER_VERSION tach==$TACH_VERSION pydeps==$PYDEPS_VERSION"
have=$("$PY" -m pip freeze --disable-pip-version-check 2>/dev/null | tr 'A-Z_' 'a-z-' || true)
missing=0
for req in $want; do
    echo "$have" | grep -qx "$req" || missing=1
done
if [ "$missing" = 1 ]; then
    log "installing $want"
    # shellcheck disable=SC2086
    "$PY" -m pip install --quiet --disable-pip-version-check $want
fi
if [ ! -f "$CORPUS/django-$DJANGO_VERSION.dist-info/METADATA" ]; then
    log "unpacking django==$DJANGO_VERSION into $CORPUS"
    rm -rf "$CORPUS"
    "$PY" -m pip install --quiet --disable-pip-version-check --no-deps \
        --target "$CORPUS" "django==$DJANGO_VERSION"
fi
rm -f "$CORPUS/blastradius.toml" "$CORPUS/tach.toml"   # only ever made by step 4 below
if [ "$RUNTIME" = 1 ] && [ ! -x "$RTVENV/bin/python" ]; then
    log "creating $RTVENV (asgiref, sqlparse: Django's own dependencies)"
    python3 -m venv "$RTVENV"
    "$RTVENV/bin/python" -m pip install --quiet --disable-pip-version-check asgiref sqlparse
fi

HEAD_DESC="commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -n "$(git -C "$REPO" status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null)" ] && HEAD_DESC="$HEAD_DESC with uncommitted changes in src/"
if [ -z "${BR:-}" ]; then
    log "cargo build --release"
    (cd "$REPO" && cargo build --release --quiet)
    BR=${CARGO_TARGET_DIR:-$REPO/target}/release/blastradius
    BR_DESC="built here from $HEAD_DESC"
else
    BR_DESC="given as BR=$BR ($HEAD_DESC checked out at run time)"
fi
BR=$(realpath "$BR")
# A private copy: other work may rebuild target/release while this runs.
cp "$BR" "$OUT/blastradius"
BR=$OUT/blastradius

# ------------------------------------------------------- helper scripts
cat > "$OUT/grimp_query.py" <<'EOF'
"""grimp: the importers of a module, transitively. argv: TARGET [cache_dir]."""
import json
import sys

import grimp

target = sys.argv[1]
cache_dir = sys.argv[2] if len(sys.argv) > 2 else None
graph = grimp.build_graph("django", cache_dir=cache_dir)
# "downstream" in grimp = modules that import TARGET (directly or not).
json.dump(sorted(graph.find_downstream_modules(target)), sys.stdout, indent=0)
EOF

cat > "$OUT/closure.py" <<'EOF'
"""Transitive closure of a peer's direct map. argv: FORMAT START < map.json
FORMAT ruff: {file: [direct dependents]}; pydeps: {module: {imported_by: []}}."""
import json
import sys

fmt, start = sys.argv[1], sys.argv[2]
data = json.load(sys.stdin)
if fmt == "ruff":
    nxt = lambda n: data.get(n, [])
else:
    nxt = lambda n: (data.get(n) or {}).get("imported_by") or []
seen, todo = set(), [start]
while todo:
    for m in nxt(todo.pop()):
        if m not in seen:
            seen.add(m)
            todo.append(m)
seen.discard(start)
json.dump(sorted(seen), sys.stdout, indent=0)
EOF

cat > "$OUT/runtime.py" <<'EOF'
"""Import each module in a fresh forked interpreter; did TARGET's file run?
argv: ROOT TARGET MODULES.json OUT.json. Writes {module: [status, ran]}."""
import json
import os
import sys

root, target, modules_file, out = sys.argv[1:5]
sys.path.insert(0, root)
from django.conf import settings  # noqa: E402

settings.configure()  # settings access at import time then works
assert target not in sys.modules
res = {}
for m in json.load(open(modules_file)):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        import importlib

        status = "ok"
        try:
            sys.stdout = sys.stderr = open(os.devnull, "w")
            importlib.import_module(m)
        except BaseException as e:  # noqa: BLE001
            status = type(e).__name__
        os.write(w, json.dumps([status, target in sys.modules]).encode())
        os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    res[m] = json.loads(data) if data else ["crash", False]
json.dump(res, open(out, "w"), indent=0, sort_keys=True)
EOF

cat > "$OUT/compare.py" <<'EOF'
"""Answer sizes, disagreements with chains, runtime agreement. argv: OUT TARGET ROOT."""
import collections
import json
import os
import sys

out, target = sys.argv[1], sys.argv[2]
J = lambda name: json.load(open(os.path.join(out, name)))


def p2m(path):
    """django/db/models/sql/__init__.py -> django.db.models.sql"""
    for ext in (".py", ".pyi", ".ipynb"):
        if path.endswith(ext):
            path = path[: -len(ext)]
    parts = path.split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


br = J("br.json")
answers = {
    "blastradius": {p2m(r["path"]) for r in br["results"]},
    "blastradius --kinds module": {p2m(r["path"]) for r in J("br-module.json")["results"]},
    "grimp": set(J("grimp.json")),
    "ruff (+ closure)": {p2m(p) for p in J("ruff-closure.json")},
    "tach map": {p2m(p) for p in list(J("tach.json").values())[0]} - {target},
    # `__main__` is pydeps's generated driver script, not a Django module.
    "pydeps (+ closure)": set(J("pydeps-closure.json")) - {target, "__main__"},
}
chains = {"blastradius": {p2m(r["path"]): r["chain"] for r in br["results"]}}

# Direct maps, to explain a module with the chain that puts it in an answer.
g = J("br-graph.json")
name2mod = {m["name"]: p2m(m["path"]) if m["path"] else m["name"] for m in g["modules"]}
importers = {"blastradius": collections.defaultdict(dict)}
for e in g["edges"]:
    importers["blastradius"][name2mod[e["to"]]].setdefault(name2mod[e["from"]], f'{e["line"]} {e["kind"]}')
importers["tach map"] = collections.defaultdict(dict)
for f, deps in J("tach-deps.json").items():
    for d in deps:
        importers["tach map"][p2m(d)][p2m(f)] = ""
importers["pydeps (+ closure)"] = collections.defaultdict(dict)
for m, info in J("pydeps.json").items():
    for d in info.get("imports") or []:
        importers["pydeps (+ closure)"][d][m] = ""


def chain(tool, module, skip=()):
    """Shortest chain module -> ... -> target in tool's direct map."""
    imp = importers[tool]
    par, todo = {target: None}, collections.deque([target])
    while todo:
        x = todo.popleft()
        for y in sorted(imp.get(x, {})):
            if y not in par and y not in skip:
                par[y] = x
                todo.append(y)
    if module not in par:
        return None
    c = [module]
    while par[c[-1]] is not None:
        c.append(par[c[-1]])
    return c


runtime = J("runtime.json") if os.path.exists(os.path.join(out, "runtime.json")) else None
lines = []
P = lines.append
P(f"## Answer sizes: modules that import {target}, directly or transitively")
base = answers["blastradius"]
P(f"{'tool':28} {'size':>5} {'=br':>5} {'only tool':>9} {'only br':>8}")
for tool, a in answers.items():
    P(f"{tool:28} {len(a):5d} {len(a & base):5d} {len(a - base):9d} {len(base - a):8d}")
P("(pydeps's closure also holds `__main__`, its generated driver script, left out above.)")
if os.path.exists(os.path.join(out, "br-symbol.json")):
    sym = J("br-symbol.json")
    P(f"symbol level: blastradius dependents {sym['target']}: {len(sym['results'])} modules")

for tool in ("grimp", "ruff (+ closure)", "tach map", "pydeps (+ closure)"):
    a = answers[tool]
    if a == base:
        P(f"\n{tool}: the same modules as blastradius")
        continue
    P(f"\n{tool}: {len(a - base)} module(s) blastradius does not report, {len(base - a)} the other way")
    for m in sorted(a - base):
        rt = f"  [runtime: {runtime[m][0]}, target {'executed' if runtime[m][1] else 'not executed'}]" if runtime and m in runtime else ""
        c = chain(tool, m, skip={"__main__"}) if tool in importers else None
        P(f"  + {m}{rt}")
        if c:
            P("      " + " -> ".join(c))
    missing = sorted(base - a)
    if missing:
        P(f"  - not reported by {tool}: " + ", ".join(missing[:8]) + (" ..." if len(missing) > 8 else ""))

# tach's extra edges: is each one a string literal naming the target module?
br_pairs = {(name2mod[e["from"]], name2mod[e["to"]]) for e in g["edges"]}
tach_pairs = {(p2m(f), p2m(d)) for f, deps in J("tach-deps.json").items() for d in deps}
extra = tach_pairs - br_pairs
root = sys.argv[3]
mod2path = {p2m(m["path"]): m["path"] for m in g["modules"] if m["path"]}
strings = 0
for a, b in extra:
    src = open(os.path.join(root, mod2path[a]), encoding="utf-8").read()
    strings += any(f"{q}{b}{end}" in src for q in "\"'" for end in (".", q))
P(f"\ntach map: {len(tach_pairs)} file pairs, {len(extra)} not import edges for blastradius; "
  f"in {strings} of those the importer holds the imported module's dotted name as a string literal")

# The import-time semantics of CPython: importing a.b.c first runs a/__init__
# and a/b/__init__. Model it on blastradius's own graph: module-kind edges, an
# edge to every parent package of each imported module, and from each module
# to its own parent packages.
def radius(kinds, parents_of_imported, own_parents):
    rev = collections.defaultdict(set)
    names = {m["name"] for m in g["modules"]}
    for e in g["edges"]:
        if e["kind"] not in kinds:
            continue
        tgts = [e["to"]]
        if parents_of_imported:
            p = e["to"].split(".")
            tgts += [".".join(p[:i]) for i in range(1, len(p))]
        for t in tgts:
            rev[t].add(e["from"])
    if own_parents:
        for m in names:
            if "/" not in m:
                p = m.split(".")
                for i in range(1, len(p)):
                    rev[".".join(p[:i])].add(m)
    seen, todo = set(), [target]
    while todo:
        for y in rev[todo.pop()]:
            if y not in seen:
                seen.add(y)
                todo.append(y)
    seen.discard(target)
    return {name2mod.get(m, m) for m in seen}


ALL = {"module", "lazy", "type-checking", "dynamic"}
models = {
    "model: all kinds + parents of imported": radius(ALL, True, False),
    "model: module kind + parents of imported": radius({"module"}, True, False),
    "model: module kind + all parent packages": radius({"module"}, True, True),
}
P("\n## Parent-package models on blastradius's graph (sizes)")
for k, v in models.items():
    P(f"  {k:44} {len(v):5d}")

if runtime:
    ran = {m for m, (s, r) in runtime.items() if r and m != target}
    ok_not = {m for m, (s, r) in runtime.items() if s == "ok" and not r}
    err_not = {m for m, (s, r) in runtime.items() if s != "ok" and not r}
    stat = collections.Counter(s for s, _ in runtime.values())
    P(f"\n## Runtime: {len(runtime)} importable-named modules imported one by one")
    P(f"  statuses: {dict(stat)}")
    P(f"  executed {target}: {len(ran)}; did not, import succeeded: {len(ok_not)}; did not, import failed: {len(err_not)}")
    P(f"{'answer':44} {'size':>5} {'covers ran':>10} {'misses ran':>10} {'ok & not ran':>12}")
    for k, a in list(answers.items()) + list(models.items()):
        P(f"  {k:42} {len(a):5d} {len(a & ran):10d} {len(ran - a):10d} {len(a & ok_not):12d}")
    missed = sorted(ran - answers["blastradius"])
    P(f"\n  executed {target} at import but not in blastradius's answer ({len(missed)}):")
    for m in missed:
        P(f"    {m}")

json.dump({k: sorted(v) for k, v in {**answers, **models}.items()},
          open(os.path.join(out, "answers.json"), "w"), indent=1)
print("\n".join(lines))
EOF

cat > "$OUT/timing.py" <<'EOF'
"""Wall time over every run of every round (median, min, max, per-round
medians), CPU time (user + system, mean over rounds) and peak RSS medians.
argv: OUT."""
import glob
import json
import os
import statistics
import sys

out = sys.argv[1]
times, rounds, cpu = {}, {}, {}
for f in sorted(glob.glob(os.path.join(out, "hyperfine-round*.json"))):
    for r in json.load(open(f))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
        rounds.setdefault(r["command"], []).append(statistics.median(r["times"]))
        cpu.setdefault(r["command"], []).append(r["user"] + r["system"])
rss = {}
rss_file = os.path.join(out, "rss.tsv")
if os.path.exists(rss_file):
    for line in open(rss_file):
        name, kb = line.split("\t")
        rss.setdefault(name, []).append(int(kb))
print(f"{'command':26} {'median':>8} {'min':>8} {'max':>8} {'round medians':>20} {'cpu':>8} {'peak RSS':>10}")
for name, t in times.items():
    rm = ", ".join(f"{x * 1000:.0f}" for x in rounds[name])
    c = statistics.mean(cpu[name]) * 1000
    r = f"{statistics.median(rss[name]) / 1024:.1f} MiB" if name in rss else ""
    print(f"{name:26} {statistics.median(t) * 1000:6.0f}ms {min(t) * 1000:6.0f}ms {max(t) * 1000:6.0f}ms {rm:>20} {c:6.0f}ms {r:>10}")
for name, v in rss.items():
    if name not in times:
        print(f"{name:26} {'':>8} {'':>8} {'':>8} {'':>20} {'':>8} {statistics.median(v) / 1024:6.1f} MiB")
EOF

# ---------------------------------------------------------------- versions
{
    echo "date: $(date -u +%F)"
    echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "blastradius: $("$BR" --version), $BR_DESC"
    echo "ruff: $("$VENV/bin/ruff" --version)"
    echo "grimp: $("$PY" -c 'import grimp; print(grimp.__version__)')"
    echo "import-linter: $("$VENV/bin/lint-imports" --version)"
    echo "tach: $("$VENV/bin/tach" --version)"
    echo "pydeps: $("$VENV/bin/pydeps" --version)"
    echo "python: $("$PY" --version)"
    echo "hyperfine: $(hyperfine --version)"
    echo "django: $DJANGO_VERSION, $(find "$CORPUS/django" -name '*.py' | wc -l) .py files, $(find "$CORPUS/django" -name '*.py' -print0 | du -ch --files0-from=- | tail -1 | cut -f1) of source"
    echo "target: $TARGET ($TARGET_FILE)"
} > "$OUT/versions.txt"
cat "$OUT/versions.txt" >&2

# ------------------------------------------------------------- 2. answers
log "answers"
cd "$CORPUS"
"$BR" --root "$CORPUS" --no-cache --quiet dependents "$TARGET" --json > "$OUT/br.json"
"$BR" --root "$CORPUS" --no-cache --quiet dependents "$TARGET" --kinds module --json > "$OUT/br-module.json"
"$BR" --root "$CORPUS" --no-cache --quiet graph --format json > "$OUT/br-graph.json"
"$BR" --root "$CORPUS" --no-cache --quiet dependents "$TARGET:$SYMBOL" --json > "$OUT/br-symbol.json" || rm -f "$OUT/br-symbol.json"
PYTHONPATH=$CORPUS "$PY" "$OUT/grimp_query.py" "$TARGET" > "$OUT/grimp.json"
"$VENV/bin/ruff" analyze graph --isolated --direction dependents django 2>/dev/null > "$OUT/ruff-dependents.json"
"$PY" "$OUT/closure.py" ruff "$TARGET_FILE" < "$OUT/ruff-dependents.json" > "$OUT/ruff-closure.json"
"$VENV/bin/tach" map --direction dependents --closure "$TARGET_FILE" > "$OUT/tach.json"
"$VENV/bin/tach" map --direction dependencies > "$OUT/tach-deps.json"
mkdir -p "$OUT/pydeps-cwd"   # pydeps writes its driver script into the cwd
(cd "$OUT/pydeps-cwd" && PYTHONPATH=$CORPUS "$VENV/bin/pydeps" "$CORPUS/django" \
    --show-deps --no-output --max-bacon=0 --no-config 2>"$OUT/pydeps.stderr" > "$OUT/pydeps.json")
"$PY" "$OUT/closure.py" pydeps "$TARGET" < "$OUT/pydeps.json" > "$OUT/pydeps-closure.json"

if [ "$RUNTIME" = 1 ]; then
    log "runtime ground truth (one forked import per module)"
    "$PY" -c '
import json, sys
g = json.load(open(sys.argv[1]))
json.dump([m["name"] for m in g["modules"] if "/" not in m["name"]], open(sys.argv[2], "w"))
' "$OUT/br-graph.json" "$OUT/modules.json"
    "$RTVENV/bin/python" "$OUT/runtime.py" "$CORPUS" "$TARGET" "$OUT/modules.json" "$OUT/runtime.json"
else
    rm -f "$OUT/runtime.json"
fi
"$PY" "$OUT/compare.py" "$OUT" "$TARGET" "$CORPUS" > "$OUT/answers.txt"

# ------------------------------------------------------ 3. time and memory
log "timing: $ROUNDS round(s) of hyperfine --warmup $WARMUP --runs $RUNS"
BRCACHE=$OUT/br-cache
GRIMPCACHE=$OUT/grimp-cache
rm -rf "$BRCACHE" "$GRIMPCACHE"
"$BR" --root "$CORPUS" --cache-dir "$BRCACHE" --quiet dependents "$TARGET" --json > /dev/null
PYTHONPATH=$CORPUS "$PY" "$OUT/grimp_query.py" "$TARGET" "$GRIMPCACHE" > /dev/null
names=(blastradius-cold blastradius-warm grimp grimp-cached ruff ruff+closure tach-map pydeps+closure)
cmds=(
    "$BR --root $CORPUS --no-cache --quiet dependents $TARGET --json > /dev/null"
    "$BR --root $CORPUS --cache-dir $BRCACHE --quiet dependents $TARGET --json > /dev/null"
    "cd $CORPUS && PYTHONPATH=$CORPUS $PY $OUT/grimp_query.py $TARGET > /dev/null"
    "cd $CORPUS && PYTHONPATH=$CORPUS $PY $OUT/grimp_query.py $TARGET $GRIMPCACHE > /dev/null"
    "cd $CORPUS && $VENV/bin/ruff analyze graph --isolated --direction dependents django > /dev/null 2>&1"
    "cd $CORPUS && $VENV/bin/ruff analyze graph --isolated --direction dependents django 2>/dev/null | $PY $OUT/closure.py ruff $TARGET_FILE > /dev/null"
    "cd $CORPUS && $VENV/bin/tach map --direction dependents --closure $TARGET_FILE > /dev/null"
    "cd $OUT/pydeps-cwd && PYTHONPATH=$CORPUS $VENV/bin/pydeps $CORPUS/django --show-deps --no-output --max-bacon=0 --no-config 2>/dev/null | $PY $OUT/closure.py pydeps $TARGET > /dev/null"
)
rm -f "$OUT"/hyperfine-round*.json
for round in $(seq 1 "$ROUNDS"); do
    args=()
    for i in "${!names[@]}"; do
        args+=(-n "${names[$i]}" "${cmds[$i]}")
    done
    hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" \
        --export-json "$OUT/hyperfine-round$round.json" "${args[@]}" >&2
done

log "peak RSS: median of $RSS_RUNS runs of /usr/bin/time -f %M per process"
rss_cmds=(
    "blastradius-cold|$BR --root $CORPUS --no-cache --quiet dependents $TARGET --json"
    "blastradius-warm|$BR --root $CORPUS --cache-dir $BRCACHE --quiet dependents $TARGET --json"
    "blastradius-graph-cold|$BR --root $CORPUS --no-cache --quiet graph --format json"
    "grimp|env PYTHONPATH=$CORPUS $PY $OUT/grimp_query.py $TARGET"
    "grimp-cached|env PYTHONPATH=$CORPUS $PY $OUT/grimp_query.py $TARGET $GRIMPCACHE"
    "ruff|$VENV/bin/ruff analyze graph --isolated --direction dependents django"
    "ruff's closure (python)|$PY $OUT/closure.py ruff $TARGET_FILE"
    "tach-map|$VENV/bin/tach map --direction dependents --closure $TARGET_FILE"
    "pydeps|env PYTHONPATH=$CORPUS $VENV/bin/pydeps $CORPUS/django --show-deps --no-output --max-bacon=0 --no-config"
)
: > "$OUT/rss.tsv"
for entry in "${rss_cmds[@]}"; do
    name=${entry%%|*}
    cmd=${entry#*|}
    stdin=/dev/null
    [ "$name" = "ruff's closure (python)" ] && stdin=$OUT/ruff-dependents.json
    for _ in $(seq 1 "$RSS_RUNS"); do
        dir=$CORPUS
        [ "$name" = pydeps ] && dir=$OUT/pydeps-cwd
        # shellcheck disable=SC2086
        (cd "$dir" && /usr/bin/time -f %M -o "$OUT/rss.one" $cmd < "$stdin" > /dev/null 2>&1) || true
        printf '%s\t%s\n' "$name" "$(tail -1 "$OUT/rss.one")" >> "$OUT/rss.tsv"
    done
done
"$PY" "$OUT/timing.py" "$OUT" > "$OUT/timing.txt"

# ------------------------------------------------------------- 4. probe
log "probe package: one file per import construct"
rm -rf "$PROBE"
mkdir -p "$PROBE/pkg/api" "$PROBE/pkg/sub"
(
    cd "$PROBE/pkg"
    : > __init__.py
    printf 'X = 1\n' > target.py
    printf 'from pkg.target import X\n' > direct.py
    printf 'from .target import X\n' > relative.py
    printf 'def f():\n    from pkg import target\n    return target\n' > lazy.py
    printf 'from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from pkg.target import X\n' > type_checking.py
    printf 'import importlib\n\nmod = importlib.import_module("pkg.target")\n' > dynamic.py
    printf 'import importlib\n\nmod = importlib.import_module(".target", "pkg")\n' > dynamic_relative.py
    printf 'mod = __import__("pkg.target")\n' > dunder_import.py
    printf 'try:\n    from pkg.target import X\nexcept ImportError:\n    X = None\n' > guarded.py
    printf 'PATH = "pkg.target.X"\n' > string_ref.py
    printf 'from pkg.target import X\n' > api/__init__.py
    printf 'from pkg.api import X\n' > via_reexport.py
    printf 'from pkg.target import X\n' > sub/__init__.py
    printf 'Y = 2\n' > sub/leaf.py
    printf 'from pkg.sub.leaf import Y\n' > via_parent_package.py
    printf 'Z = 3\n' > unrelated.py
)
cd "$PROBE"
P_OUT=$OUT/probe
mkdir -p "$P_OUT/pydeps-cwd"
"$BR" --root . --no-cache --quiet dependents pkg.target --json > "$P_OUT/br.json"
PYTHONPATH=. "$PY" -c 'import grimp, json; print(json.dumps(sorted(grimp.build_graph("pkg", cache_dir=None).find_downstream_modules("pkg.target"))))' > "$P_OUT/grimp.json"
"$VENV/bin/ruff" analyze graph --isolated --direction dependents . 2>/dev/null | "$PY" "$OUT/closure.py" ruff pkg/target.py > "$P_OUT/ruff.json"
"$VENV/bin/ruff" analyze graph --isolated --detect-string-imports --direction dependents . 2>/dev/null | "$PY" "$OUT/closure.py" ruff pkg/target.py > "$P_OUT/ruff-strings.json"
"$VENV/bin/ruff" analyze graph --isolated --detect-string-imports --min-dots 1 --direction dependents . 2>/dev/null | "$PY" "$OUT/closure.py" ruff pkg/target.py > "$P_OUT/ruff-strings1.json"
"$VENV/bin/tach" map --direction dependents --closure pkg/target.py > "$P_OUT/tach.json"
printf 'source_roots = ["."]\nignore_type_checking_imports = false\n' > tach.toml
"$VENV/bin/tach" map --direction dependents --closure pkg/target.py > "$P_OUT/tach-tc.json"
printf 'source_roots = ["."]\ninclude_string_imports = false\n' > tach.toml
"$VENV/bin/tach" map --direction dependents --closure pkg/target.py > "$P_OUT/tach-nostr.json"
rm -f tach.toml
(cd "$P_OUT/pydeps-cwd" && "$VENV/bin/pydeps" "$PROBE/pkg" --show-deps --no-output --max-bacon=0 --no-config 2>/dev/null) \
    | "$PY" "$OUT/closure.py" pydeps pkg.target > "$P_OUT/pydeps.json"
RT_PY=$PY
[ -x "$RTVENV/bin/python" ] && RT_PY=$RTVENV/bin/python
"$RT_PY" - "$PROBE" "$P_OUT" > "$OUT/probe.txt" <<'EOF'
import importlib, json, os, subprocess, sys
probe, out = sys.argv[1], sys.argv[2]
J = lambda n: json.load(open(os.path.join(out, n)))
def p2m(p):
    p = p[:-3] if p.endswith(".py") else p
    parts = p.split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
ans = {  # short column name -> (meaning, answer)
    "br": ("blastradius dependents pkg.target", {r["module"] for r in J("br.json")["results"]}),
    "grimp": ("grimp find_downstream_modules", set(J("grimp.json"))),
    "ruff": ("ruff analyze graph (+ closure)", {p2m(p) for p in J("ruff.json")}),
    "ruff-str": ("the same with --detect-string-imports", {p2m(p) for p in J("ruff-strings.json")}),
    "ruff-str1": ("the same with --detect-string-imports --min-dots 1", {p2m(p) for p in J("ruff-strings1.json")}),
    "tach": ("tach map --closure, no tach.toml", {p2m(p) for p in list(J("tach.json").values())[0]}),
    "tach-tc": ("the same, tach.toml: ignore_type_checking_imports = false", {p2m(p) for p in list(J("tach-tc.json").values())[0]}),
    "tach-nostr": ("the same, tach.toml: include_string_imports = false", {p2m(p) for p in list(J("tach-nostr.json").values())[0]}),
    "pydeps": ("pydeps --show-deps (+ closure)", set(J("pydeps.json"))),
}
for k, (meaning, _) in ans.items():
    print(f"  {k}: {meaning}")
mods = ["pkg.direct", "pkg.relative", "pkg.lazy", "pkg.type_checking", "pkg.dynamic",
        "pkg.dynamic_relative", "pkg.dunder_import", "pkg.guarded", "pkg.string_ref",
        "pkg.via_reexport", "pkg.via_parent_package", "pkg.unrelated"]
code = "import importlib, sys; sys.path.insert(0, %r); importlib.import_module(sys.argv[1]); print('pkg.target' in sys.modules)" % probe
cols = ["runtime"] + list(ans)
print("module".ljust(24) + " | ".join(c.ljust(11) for c in cols))
for m in mods:
    rt = subprocess.run([sys.executable, "-c", code, m], capture_output=True, text=True).stdout.strip()
    row = ["runs target" if rt == "True" else "-"]
    for k in ans:
        row.append("yes" if m in ans[k][1] else "-")
    print(m.ljust(24) + " | ".join(c.ljust(11) for c in row))
EOF

# ------------------------------------------------------- 5. CI contracts
log "contracts: import-linter vs blastradius check"
C_OUT=$OUT/contracts
mkdir -p "$C_OUT"
cat > "$C_OUT/.importlinter" <<'EOF'
[importlinter]
root_package = django

[importlinter:contract:utils-no-orm]
name = django.utils must not depend on the ORM query module
type = forbidden
source_modules =
    django.utils
forbidden_modules =
    django.db.models.sql.query

[importlinter:contract:layers]
name = ORM layers
type = layers
layers =
    django.db.models.query
    django.db.models.sql
    django.db.models.expressions
EOF
cat > "$C_OUT/blastradius.toml" <<'EOF'
layers = ["django.db.models.query", "django.db.models.sql", "django.db.models.expressions"]

[[forbidden]]
from = "django.utils*"
to = "django.db.models.sql.query"
reason = "django.utils must not depend on the ORM query module"
EOF
cp "$C_OUT/blastradius.toml" "$CORPUS/blastradius.toml"
(cd "$C_OUT" && PYTHONPATH=$CORPUS "$VENV/bin/lint-imports" --no-logo --no-cache > "$C_OUT/import-linter.txt" 2>&1) || true
"$BR" --root "$CORPUS" --no-cache check > "$C_OUT/blastradius-check.txt" 2>&1 || true
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" -i --export-json "$C_OUT/hyperfine.json" \
    -n "import-linter (lint-imports --no-cache)" "cd $C_OUT && PYTHONPATH=$CORPUS $VENV/bin/lint-imports --no-logo --no-cache > /dev/null 2>&1" \
    -n "blastradius check --no-cache" "$BR --root $CORPUS --no-cache check > /dev/null 2>&1" >&2
rm -f "$CORPUS/blastradius.toml"
{
    echo "import-linter: $(grep -c '^- ' "$C_OUT/import-linter.txt" || true) chain(s) listed; $(grep -E 'kept|broken' "$C_OUT/import-linter.txt" | tail -1)"
    echo "blastradius check: $(grep -c ': layers \|: forbidden ' "$C_OUT/blastradius-check.txt" || true) violation(s)"
    grep ': layers \|: forbidden ' "$C_OUT/blastradius-check.txt" || true
    "$PY" -c '
import json, statistics, sys
for r in json.load(open(sys.argv[1]))["results"]:
    name, ms = r["command"], statistics.median(r["times"]) * 1000
    print("%-45s median %.0f ms" % (name, ms))
' "$C_OUT/hyperfine.json"
} > "$OUT/contracts.txt"

# ------------------------------------------------------------- summary
{
    cat "$OUT/versions.txt"
    echo
    echo "# Time (ms) and memory"
    cat "$OUT/timing.txt"
    echo
    cat "$OUT/answers.txt"
    echo
    echo "# Probe package (target/peers-probe): does each tool list the module as a dependent of pkg.target?"
    cat "$OUT/probe.txt"
    echo
    echo "# CI contracts (forbidden django.utils -> $TARGET, layers query > sql > expressions)"
    cat "$OUT/contracts.txt"
} > "$OUT/summary.txt"
cat "$OUT/summary.txt"
