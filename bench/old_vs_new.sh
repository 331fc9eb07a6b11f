#!/usr/bin/env bash
# Two blastradius builds side by side on the benchmark corpus, interleaved:
# each round times both builds on each case, so a noisy machine's drift
# hits them alike. The check that a change made nothing slower.
#
# Cases (run from inside the corpus root):
#   cold   graph --format json --no-cache
#   warm   graph --format json               (each build's own cache, filled, nothing changed)
#   symbols-cold  duplicates --json --no-cache  (symbol-level extraction)
#
# Usage: bench/old_vs_new.sh OLD_BINARY NEW_BINARY
# Env:   ROUNDS (5), RUNS (3 per case per round), OUT (mktemp -d)
# Output: a markdown table of medians and new/old ratios.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OLD=$(realpath "$1")
NEW=$(realpath "$2")
ROUNDS=${ROUNDS:-5}
RUNS=${RUNS:-3}
OUT=${OUT:-$(mktemp -d /tmp/blastradius-oldnew.XXXXXX)}
SITE=$("$ROOT/bench/corpus.sh")
cd "$SITE"
caches=$(mktemp -d)
trap 'rm -rf "$caches"' EXIT
"$OLD" -q --cache-dir "$caches/old" graph --format json >/dev/null
"$NEW" -q --cache-dir "$caches/new" graph --format json >/dev/null

cases=(cold warm symbols-cold)
command_for() { # CASE BUILD BINARY
    case $1 in
        cold) echo "$3 -q graph --format json --no-cache" ;;
        warm) echo "$3 -q --cache-dir $caches/$2 graph --format json" ;;
        symbols-cold) echo "$3 -q duplicates --json --no-cache" ;;
    esac
}
for round in $(seq "$ROUNDS"); do
    for c in "${cases[@]}"; do
        hyperfine -N --style none --warmup 1 --runs "$RUNS" \
            --export-json "$OUT/$c.$round.json" \
            -n old "$(command_for "$c" old "$OLD")" \
            -n new "$(command_for "$c" new "$NEW")" >/dev/null
    done
done
python3 - "$OUT" "$ROUNDS" "${cases[@]}" <<'PY'
import json, statistics, sys
out, rounds, cases = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
print("| case | old median | new median | new / old |")
print("|---|---|---|---|")
for c in cases:
    times = {"old": [], "new": []}
    for r in range(1, rounds + 1):
        for res in json.load(open(f"{out}/{c}.{r}.json"))["results"]:
            times[res["command"]].extend(res["times"])
    o, n = statistics.median(times["old"]), statistics.median(times["new"])
    print(f"| {c} | {o * 1000:.0f} ms | {n * 1000:.0f} ms | {n / o:.3f} |")
PY
