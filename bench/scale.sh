#!/usr/bin/env bash
# How blastradius scales with repository size: synthetic monorepos of 10k,
# 50k and 200k files (bench/synth_tree.py, fixed seed), and for each one
#   1. cold `graph --format json --no-cache`: wall time (hyperfine) and peak
#      RSS (/usr/bin/time -f %M, the max over RSS_RUNS runs);
#   2. warm `graph --format json` (facts cache filled first): the same;
#   3. the blast-radius query on the built graph: the `query` row of
#      `dependents TARGET --timings` (the graph search alone; the analysis,
#      rendering and JSON serialisation are other rows), text and --json,
#      median of QUERY_RUNS runs, plus the rendering (`command` row) of the
#      text output and the serialisation (`output` row) of the JSON;
#   4. the number of .py files and MB of source of the tree.
# Prints a markdown table and the per-file cost at each size, to judge
# whether growth is linear, plus the --timings stage tables of one cold and
# one warm run per size.
#
# TARGET (the query) is, per tree, the non-package module under core/ or
# libs/ with the most direct importers (ties: first by name), taken from the
# warm run's JSON graph.
#
# Trees live in target/bench-scale/N (git-ignored) and are reused when they
# hold exactly N .py files, otherwise regenerated. Their facts cache is the
# default N/.blastradius_cache. Outputs (hyperfine JSON, timings, RSS) go to
# target/bench-scale/results-<UTC time>, or $OUT when set.
#
# Usage: bench/scale.sh
#        SIZES="2000 5000" bench/scale.sh         (a quick check)
#        BR=/tmp/blastradius bench/scale.sh       (no build)
# Env:   BR (blastradius binary; default ${CARGO_TARGET_DIR:-target}/release/
#           blastradius, built here with cargo build --release; when BR is
#           set nothing is built),
#        SIZES (file counts, default "10000 50000 200000"),
#        SEED (synth_tree.py seed, default its own),
#        RUNS (hyperfine runs of each graph command; default 5, and 3 for
#           trees of 100k files or more),
#        RSS_RUNS (/usr/bin/time runs per command, default 3),
#        QUERY_RUNS (runs of each query, default 7),
#        TARGET (query target for every size; default: chosen per tree),
#        OUT (output directory).
set -euo pipefail

SIZES=${SIZES:-10000 50000 200000}
RSS_RUNS=${RSS_RUNS:-3}
QUERY_RUNS=${QUERY_RUNS:-7}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$ROOT/target/bench-scale
if [ -n "${BR:-}" ]; then
    BUILD=0
else
    BUILD=1
    BR=${CARGO_TARGET_DIR:-$ROOT/target}/release/blastradius
fi
OUT=${OUT:-$WORK/results-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$WORK" "$OUT"

log() { printf '\n== %s\n' "$*" >&2; }
for tool in hyperfine python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool not found" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time (GNU time) not found" >&2; exit 2; }

# Build (skipped when BR is given).
if [ "$BUILD" = 1 ]; then
    log "cargo build --release"
    (cd "$ROOT" && cargo build --release --quiet)
fi
[ -x "$BR" ] || { echo "error: no blastradius binary at $BR" >&2; exit 2; }

log "versions"
{
    commit=
    if [ "$BUILD" = 1 ]; then
        commit=" (commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
        [ -z "$(git -C "$ROOT" status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null)" ] ||
            commit="$commit+dirty"
        commit="$commit)"
    fi
    echo "blastradius: $BR: $("$BR" --version)$commit"
    echo "hyperfine:   $(hyperfine --version)"
    echo "machine:     $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB," \
        "$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
    echo "date:        $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "sizes:       $SIZES"
} | tee "$OUT/versions.txt" >&2

# .py files and bytes of source under a tree (its facts cache left out).
py_files() { find "$1" -path "$1/.blastradius_cache" -prune -o -name '*.py' -print | wc -l; }
py_bytes() {
    find "$1" -path "$1/.blastradius_cache" -prune -o -name '*.py' -printf '%s\n' |
        awk '{s += $1} END {print s + 0}'
}

# Peak RSS in KiB of "$@" (stdout discarded), one line per run.
rss_runs() {
    local i
    for i in $(seq "$RSS_RUNS"); do
        /usr/bin/time -f %M -o "$OUT/time.txt" "$@" > /dev/null 2>> "$OUT/rss.stderr"
        cat "$OUT/time.txt"
    done
}

# The `query`, `command` and `output` rows (ms) of a --timings stage table.
timing_rows() {
    awk '$1 == "query" {q = $2} $1 == "command" {c = $2} $1 == "output" {o = $2} END {print q, c, o}' "$1"
}

# Median of the numbers on stdin.
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

for n in $SIZES; do
    tree=$WORK/$n
    runs=${RUNS:-$([ "$n" -ge 100000 ] && echo 3 || echo 5)}

    # 1. The tree: reuse it when it holds exactly n .py files.
    if [ -d "$tree" ] && [ "$(py_files "$tree")" = "$n" ]; then
        log "$n files: reusing $tree"
    else
        log "$n files: generating $tree"
        rm -rf "$tree" "$tree.tmp"
        start=$(date +%s)
        python3 "$ROOT/bench/synth_tree.py" "$tree.tmp" --files "$n" ${SEED:+--seed "$SEED"}
        mv "$tree.tmp" "$tree"
        echo "generated in $(( $(date +%s) - start )) s" >&2
    fi
    files=$(py_files "$tree")
    bytes=$(py_bytes "$tree")
    echo "$n: $files .py files, $bytes bytes; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

    cold=("$BR" --root "$tree" --quiet --no-cache graph --format json)
    warm=("$BR" --root "$tree" --quiet graph --format json)

    # 2. Cold: one --timings run (also warms the page cache), then hyperfine
    # and peak RSS. --no-cache neither reads nor writes the facts cache.
    log "$n files: cold ($runs runs)"
    "${cold[@]}" --timings > /dev/null 2> "$OUT/timings-$n-cold.txt"
    cat "$OUT/timings-$n-cold.txt" >&2
    hyperfine --runs "$runs" -N --style basic \
        --export-json "$OUT/hyperfine-$n-cold.json" -n "cold $n" "${cold[*]}" >&2
    rss_runs "${cold[@]}" > "$OUT/rss-$n-cold.txt"

    # 3. Warm: fill the cache (this run's JSON also picks the target), then
    # the same measurements.
    log "$n files: warm ($runs runs)"
    "${warm[@]}" > "$OUT/graph-$n.json"
    target=${TARGET:-$(python3 - "$OUT/graph-$n.json" <<'PY'
import collections, json, sys
graph = json.load(open(sys.argv[1]))
packages = {m["name"] for m in graph["modules"] if m["package"]}
importers = collections.defaultdict(set)
for e in graph["edges"]:
    importers[e["to"]].add(e["from"])
best = min((-len(v), k) for k, v in importers.items()
           if k.split(".")[0] in ("core", "libs") and k not in packages)
print(best[1])
PY
)}
    rm -f "$OUT/graph-$n.json"
    "${warm[@]}" --timings > /dev/null 2> "$OUT/timings-$n-warm.txt"
    cat "$OUT/timings-$n-warm.txt" >&2
    hyperfine --warmup 1 --runs "$runs" -N --style basic \
        --export-json "$OUT/hyperfine-$n-warm.json" -n "warm $n" "${warm[*]}" >&2
    rss_runs "${warm[@]}" > "$OUT/rss-$n-warm.txt"

    # 4. The query on the built graph (warm cache): the `query` row.
    log "$n files: dependents $target ($QUERY_RUNS runs each, text and --json)"
    query=("$BR" --root "$tree" --quiet --timings dependents "$target")
    dependents=$("${query[@]}" --json 2>/dev/null |
        python3 -c 'import json, sys; print(len(json.load(sys.stdin)["results"]))')
    : > "$OUT/query-$n-text.txt"
    : > "$OUT/query-$n-json.txt"
    for i in $(seq "$QUERY_RUNS"); do
        "${query[@]}" > /dev/null 2> "$OUT/q.txt"
        timing_rows "$OUT/q.txt" >> "$OUT/query-$n-text.txt"
        "${query[@]}" --json > /dev/null 2> "$OUT/q.txt"
        timing_rows "$OUT/q.txt" >> "$OUT/query-$n-json.txt"
    done
    rm -f "$OUT/q.txt"
    q_text=$(cut -d' ' -f1 "$OUT/query-$n-text.txt" | median)
    q_json=$(cut -d' ' -f1 "$OUT/query-$n-json.txt" | median)
    q_text_render=$(cut -d' ' -f2 "$OUT/query-$n-text.txt" | median)
    q_json_out=$(cut -d' ' -f3 "$OUT/query-$n-json.txt" | median)
    echo "median query row: text $q_text ms, json $q_json ms (+ $q_text_render ms text" \
        "rendering, $q_json_out ms JSON serialisation); $dependents dependents" >&2

    printf '%s %s %s %s %s %s %s %s %s\n' "$n" "$files" "$bytes" "$target" "$dependents" \
        "$q_text" "$q_json" "$q_json_out" "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ,)" \
        >> "$OUT/sizes.txt"
done

log "summary (outputs in $OUT)"
python3 - "$OUT" <<'PY' | tee "$OUT/summary.md"
import json, os, sys
out = sys.argv[1]
rows = []
for line in open(os.path.join(out, "sizes.txt")):
    n, files, size, target, deps, q_text, q_json, q_json_out, load = line.split()
    r = {"n": n, "files": int(files), "mb": int(size) / 1e6, "target": target,
         "deps": int(deps), "q_text": float(q_text), "q_json": float(q_json),
         "q_json_out": float(q_json_out), "load": load}
    for kind in ("cold", "warm"):
        h = json.load(open(os.path.join(out, f"hyperfine-{n}-{kind}.json")))["results"][0]
        r[kind] = h["median"]
        r[kind + "_sd"] = h["stddev"] or 0.0
        r[kind + "_runs"] = len(h["times"])
        rss = [int(x) for x in open(os.path.join(out, f"rss-{n}-{kind}.txt")).read().split()]
        r[kind + "_rss"] = max(rss) / 1024
    rows.append(r)

def secs(s, sd):
    return f"{s:.2f} ± {sd:.2f} s"

print("| files | source MB | cold wall | cold peak RSS | warm wall | warm peak RSS "
      "| query ms (text) | query ms (json) | cold µs per file |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    print(f"| {r['files']:,} | {r['mb']:.1f} | {secs(r['cold'], r['cold_sd'])} "
          f"| {r['cold_rss']:.0f} MiB | {secs(r['warm'], r['warm_sd'])} "
          f"| {r['warm_rss']:.0f} MiB | {r['q_text']:.1f} | {r['q_json']:.1f} "
          f"| {r['cold'] / r['files'] * 1e6:.0f} |")
print()
print("Wall: hyperfine median ± σ (runs: " + ", ".join(
    f"{r['files']:,}: {r['cold_runs']} cold / {r['warm_runs']} warm" for r in rows)
    + "). Peak RSS: max of /usr/bin/time runs. Query: median `query` row of "
      "`dependents TARGET --timings` (the graph search alone).")
print()
print("| files | query target | dependents | JSON serialisation ms (--json `output` row) "
      "| warm µs per file | cold KiB RSS per file | warm KiB RSS per file | load avg at end |")
print("|---:|---|---:|---:|---:|---:|---:|---|")
for r in rows:
    print(f"| {r['files']:,} | `{r['target']}` | {r['deps']:,} | {r['q_json_out']:.1f} "
          f"| {r['warm'] / r['files'] * 1e6:.0f} | {r['cold_rss'] * 1024 / r['files']:.1f} "
          f"| {r['warm_rss'] * 1024 / r['files']:.1f} | {r['load']} |")
print()
if len(rows) > 1:
    a, b = rows[0], rows[-1]
    def verdict(name, x, y, unit="per file"):
        ratio = y / x
        shape = ("about linear" if 0.8 <= ratio <= 1.25 else
                 "superlinear" if ratio > 1.25 else "sublinear (fixed costs amortised)")
        return (f"- {name}: {x:.3g} → {y:.3g} {unit}, ×{ratio:.2f} "
                f"for ×{b['files'] / a['files']:.3g} files: {shape}")
    print(f"Growth from {a['files']:,} to {b['files']:,} files (per-file cost ratio; "
          "within 0.8-1.25 counts as linear):")
    print(verdict("cold wall (µs)", a["cold"] / a["files"] * 1e6, b["cold"] / b["files"] * 1e6))
    print(verdict("warm wall (µs)", a["warm"] / a["files"] * 1e6, b["warm"] / b["files"] * 1e6))
    print(verdict("cold peak RSS (KiB)", a["cold_rss"] * 1024 / a["files"], b["cold_rss"] * 1024 / b["files"]))
    print(verdict("warm peak RSS (KiB)", a["warm_rss"] * 1024 / a["files"], b["warm_rss"] * 1024 / b["files"]))
    print(verdict("query text (ms)", a["q_text"] / a["deps"] * 1e3, b["q_text"] / b["deps"] * 1e3,
                  "per 1k dependents"))
    print(verdict("query json (ms)", a["q_json"] / a["deps"] * 1e3, b["q_json"] / b["deps"] * 1e3,
                  "per 1k dependents"))
PY

for n in $SIZES; do
    for kind in cold warm; do
        printf '\n%s files, %s (`graph --format json --timings > /dev/null`):\n\n```\n' "$n" "$kind"
        cat "$OUT/timings-$n-$kind.txt"
        printf '```\n'
    done
done | tee -a "$OUT/summary.md"
