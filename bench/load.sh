#!/usr/bin/env bash
# Load test (issue #7), run by .ci/run on every CI run:
#   1. a synthetic tree of FILES files (default 200,000; bench/synth_tree.py,
#      fixed seed) analysed cold without the cache: wall time and peak RSS
#      (GNU time), printed;
#   2. two runs started together on the same root with the cache on (and no
#      cache yet): both must succeed with byte-identical JSON, equal to the
#      cache-less answer;
#   3. a third run must find the cache they left valid and complete: every
#      file's facts come from it (fresh or confirmed by hash), none parsed,
#      and its answer is again identical.
# Exits non-zero (with the reason) when any of that fails.
#
# Usage: bench/load.sh            (builds the release binary first)
#        BR=path/to/blastradius FILES=20000 bench/load.sh
# The tree lives in target/load/tree-FILES and is reused between runs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FILES=${FILES:-200000}
WORK=$ROOT/target/load
if [ -z "${BR:-}" ]; then
    (cd "$ROOT" && cargo build --release --locked --quiet)
    BR=$ROOT/target/release/blastradius
fi
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time (GNU time) not found" >&2; exit 2; }
mkdir -p "$WORK"
tree=$WORK/tree-$FILES
# The marker names the generator's version, so a changed generator rebuilds the tree.
marker=$WORK/tree-$FILES.$(sha1sum "$ROOT/bench/synth_tree.py" | cut -c1-12).done
if [ ! -f "$marker" ]; then
    rm -rf "$tree" "$WORK/tree-$FILES".*done
    python3 "$ROOT/bench/synth_tree.py" "$tree" --files "$FILES" >/dev/null
    touch "$marker"
fi
rm -rf "$tree/.blastradius_cache"
fail() { echo "load test FAILED: $*" >&2; exit 1; }

/usr/bin/time -f '%e %M' -o "$WORK/cold.time" \
    "$BR" --root "$tree" --no-cache graph --format json >"$WORK/nocache.json"
read -r seconds kib <"$WORK/cold.time"
modules=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["modules"])' "$WORK/nocache.json")
echo "load: $FILES files, $modules modules: cold run without cache ${seconds} s, peak RSS $((kib / 1024)) MiB"

"$BR" --root "$tree" graph --format json >"$WORK/a.json" 2>"$WORK/a.err" & first=$!
"$BR" --root "$tree" graph --format json >"$WORK/b.json" 2>"$WORK/b.err" & second=$!
wait "$first" || fail "first concurrent run: $(cat "$WORK/a.err")"
wait "$second" || fail "second concurrent run: $(cat "$WORK/b.err")"
cmp -s "$WORK/a.json" "$WORK/b.json" || fail "the two concurrent runs disagree"
cmp -s "$WORK/a.json" "$WORK/nocache.json" || fail "the cached runs disagree with --no-cache"
[ ! -s "$WORK/a.err" ] && [ ! -s "$WORK/b.err" ] || fail "warnings: $(cat "$WORK/a.err" "$WORK/b.err")"
leftovers=$(find "$tree/.blastradius_cache" -name '*.tmp' | wc -l)
[ "$leftovers" = 0 ] || fail "$leftovers temporary files left in the cache directory"

/usr/bin/time -f '%e %M' -o "$WORK/warm.time" \
    "$BR" --root "$tree" --timings graph --format json >"$WORK/c.json" 2>"$WORK/c.err"
cmp -s "$WORK/c.json" "$WORK/nocache.json" || fail "the run on the left cache disagrees"
line=$(grep -E '^cache: ' "$WORK/c.err") || fail "no cache line in --timings: $(cat "$WORK/c.err")"
read -r fresh confirmed parsed < <(echo "$line" | sed -E 's/^cache: ([0-9]+) fresh, ([0-9]+) unchanged.*, ([0-9]+) parsed.*/\1 \2 \3/')
[ "$parsed" = 0 ] || fail "the left cache was not complete: $line"
[ $((fresh + confirmed)) = "$FILES" ] || fail "the left cache does not cover every file: $line"
read -r seconds kib <"$WORK/warm.time"
echo "load: two concurrent cached runs agree; the cache they left serves all $FILES files ($line); warm run ${seconds} s, peak RSS $((kib / 1024)) MiB"
