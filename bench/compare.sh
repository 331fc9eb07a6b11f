#!/usr/bin/env bash
# Times blastradius against `ruff analyze graph` on the benchmark corpus
# (bench/corpus.sh), in one run, alternating, and measures peak memory.
#
# Cases, all run from inside the corpus root (its site-packages):
#   cold          blastradius graph --format json --no-cache
#   warm          blastradius graph --format json           (cache filled, nothing changed)
#   warm-touch10  the same after `touch` on 10 files        (mtime changed, content not)
#   warm-edit10   the same after editing 10 files           (content changed: parsed again)
#   ruff          ruff analyze graph --isolated .
# Timing: hyperfine, ROUNDS rounds of RUNS runs per case (each round runs
# every case, so slow drift of a noisy machine hits all of them alike);
# the medians over all rounds and the ratios to ruff's median are printed.
# Peak memory: /usr/bin/time -f %M, RSS_RUNS runs per case, median.
# The edited files are restored at the end.
#
# Usage: bench/compare.sh
# Env:   BR (blastradius binary; default: built here with cargo build --release),
#        RUFF_VERSION (default 0.17.6, installed into target/bench-tools),
#        ROUNDS (default 5), RUNS (per case per round, default 3),
#        RSS_RUNS (default 3), OUT (results directory, default mktemp -d).
# Output: a markdown table on stdout and in $OUT/results.md; raw hyperfine
# JSON per round in $OUT.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUFF_VERSION=${RUFF_VERSION:-0.17.6}
ROUNDS=${ROUNDS:-5}
RUNS=${RUNS:-3}
RSS_RUNS=${RSS_RUNS:-3}
OUT=${OUT:-$(mktemp -d /tmp/blastradius-compare.XXXXXX)}
mkdir -p "$OUT"

for tool in hyperfine /usr/bin/time; do
    if ! command -v "$tool" >/dev/null; then
        sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
        $sudo apt-get update -qq && $sudo apt-get install -y -qq hyperfine time >/dev/null
        break
    fi
done

if [ -z "${BR:-}" ]; then
    (cd "$ROOT" && cargo build --release --locked >&2)
    BR=${CARGO_TARGET_DIR:-$ROOT/target}/release/blastradius
fi
BR=$(cd "$(dirname "$BR")" && pwd)/$(basename "$BR")

TOOLS=$ROOT/target/bench-tools
if [ ! -x "$TOOLS/bin/ruff" ] || [ "$("$TOOLS/bin/ruff" --version)" != "ruff $RUFF_VERSION" ]; then
    python3 -m venv "$TOOLS"
    "$TOOLS/bin/pip" install --quiet --disable-pip-version-check "ruff==$RUFF_VERSION" >&2
fi
RUFF=$TOOLS/bin/ruff

SITE=$("$ROOT/bench/corpus.sh")
cd "$SITE"

# Ten files spread over the corpus, the same every run.
mapfile -t PICKED < <(find . -name '*.py' -not -path './.blastradius_cache/*' | LC_ALL=C sort | awk 'NR % 800 == 1' | head -10)
EDIT="python3 $ROOT/bench/edit_files.py ${PICKED[*]}"
TOUCH="touch ${PICKED[*]}"
restore() { python3 "$ROOT/bench/edit_files.py" --restore "${PICKED[@]}"; }
trap restore EXIT

# Fill the cache once.
"$BR" --quiet graph --format json >/dev/null

for round in $(seq 1 "$ROUNDS"); do
    echo "round $round/$ROUNDS" >&2
    hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$OUT/round$round.json" \
        -n cold --prepare true "$BR --quiet graph --format json --no-cache > /dev/null" \
        -n warm --prepare true "$BR --quiet graph --format json > /dev/null" \
        -n warm-touch10 --prepare "$TOUCH" "$BR --quiet graph --format json > /dev/null" \
        -n warm-edit10 --prepare "$EDIT" "$BR --quiet graph --format json > /dev/null" \
        -n ruff --prepare true "$RUFF analyze graph --isolated . > /dev/null" >&2
done

rss() { # name prepare command...
    local name=$1 prepare=$2
    shift 2
    for _ in $(seq 1 "$RSS_RUNS"); do
        eval "$prepare"
        /usr/bin/time -f "$name %M" -a -o "$OUT/rss.txt" "$@" >/dev/null
    done
}
: >"$OUT/rss.txt"
rss cold true "$BR" --quiet graph --format json --no-cache
rss warm true "$BR" --quiet graph --format json
rss warm-touch10 "$TOUCH" "$BR" --quiet graph --format json
rss warm-edit10 "$EDIT" "$BR" --quiet graph --format json
rss ruff true "$RUFF" analyze graph --isolated .

files=$(find . -name '*.py' -not -path './.blastradius_cache/*' | wc -l)
mb=$(find . -name '*.py' -not -path './.blastradius_cache/*' -printf '%s\n' | awk '{s+=$1} END {printf "%.0f", s/1048576}')
{
    echo "Date: $(date -u +%Y-%m-%d)"
    echo "Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), $(free -g | awk '/Mem:/ {print $2}') GiB"
    echo "blastradius: $("$BR" --version) ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)); $("$RUFF" --version)"
    echo "Corpus: $files .py files, $mb MB ($SITE)"
    echo "Rounds: $ROUNDS x $RUNS runs per case (hyperfine), $RSS_RUNS memory runs per case"
    echo
    python3 - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
times = {}
for r in range(1, rounds + 1):
    with open(f"{out}/round{r}.json") as f:
        for result in json.load(f)["results"]:
            times.setdefault(result["command"], []).extend(result["times"])
rss = {}
with open(f"{out}/rss.txt") as f:
    for line in f:
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            rss.setdefault(parts[0], []).append(int(parts[1]))
ruff = statistics.median(times["ruff"])
ruff_rss = statistics.median(rss["ruff"])
targets = {"cold": 0.8, "warm": 0.15, "warm-touch10": 0.25}
print("| case | median wall | ratio to ruff | target | peak RSS (median) | RSS ratio |")
print("|---|---|---|---|---|---|")
for name in ["cold", "warm", "warm-touch10", "warm-edit10", "ruff"]:
    t = statistics.median(times[name])
    m = statistics.median(rss[name])
    target = f"<= {targets[name]}" if name in targets else ""
    print(f"| {name} | {t * 1000:.0f} ms | {t / ruff:.3f} | {target} | {m / 1024:.0f} MB | {m / ruff_rss:.2f} |")
PY
} | tee "$OUT/results.md"
echo "raw results: $OUT" >&2
