#!/usr/bin/env bash
# Time `graph --format dot --collapse 2` on a synthetic 5,000-file tree and
# Graphviz rendering its output (docs/performance.md).
#
# Generates the tree with bench/synth_tree.py (fixed seed) into a fresh
# directory under target/ (git-ignored), exports it with the release binary,
# then times the export and `dot -Tsvg` with hyperfine and reports peak RSS
# with GNU time. Fails (exit 1) when dot exits non-zero, prints anything on
# stderr, or takes LIMIT seconds or more on average.
#
# Usage: bench/dot_export.sh
# Env:   BR (blastradius binary; default ${CARGO_TARGET_DIR:-target}/release/
#           blastradius, built here with cargo build --release; when BR is
#           set nothing is built),
#        FILES (default 5000), COLLAPSE (default 2), RUNS (hyperfine runs,
#        default 5), LIMIT (seconds, default 10),
#        OUT (output directory, default target/bench-dot-export).
set -euo pipefail
cd "$(dirname "$0")/.."

FILES=${FILES:-5000}
COLLAPSE=${COLLAPSE:-2}
RUNS=${RUNS:-5}
LIMIT=${LIMIT:-10}
OUT=${OUT:-target/bench-dot-export}

for tool in python3 dot hyperfine /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
if [[ -z "${BR:-}" ]]; then
    cargo build --release --locked
    BR=${CARGO_TARGET_DIR:-target}/release/blastradius
fi

rm -rf "$OUT"
mkdir -p "$OUT"
TREE=$OUT/tree
python3 bench/synth_tree.py "$TREE" --files "$FILES"
"$BR" --root "$TREE" graph > "$OUT/summary.txt"
cat "$OUT/summary.txt"

DOT=$OUT/collapse$COLLAPSE.dot
"$BR" --root "$TREE" graph --format dot --collapse "$COLLAPSE" > "$DOT"
echo "DOT: $(grep -c ' -> ' "$DOT") edges, $(wc -c < "$DOT") bytes"

dot -Tsvg "$DOT" -o "$OUT/collapse$COLLAPSE.svg" 2> "$OUT/dot.stderr" || {
    echo "dot failed:" >&2; cat "$OUT/dot.stderr" >&2; exit 1;
}
if [[ -s "$OUT/dot.stderr" ]]; then
    echo "dot printed warnings or errors:" >&2; cat "$OUT/dot.stderr" >&2; exit 1
fi

hyperfine --runs "$RUNS" --warmup 1 --export-json "$OUT/hyperfine.json" \
    "$BR --root $TREE graph --format dot --collapse $COLLAPSE > /dev/null" \
    "dot -Tsvg $DOT -o /dev/null"
/usr/bin/time -f "dot peak RSS: %M KB" dot -Tsvg "$DOT" -o /dev/null

python3 - "$OUT/hyperfine.json" "$LIMIT" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
dot = results[1]
print(f"dot -Tsvg: mean {dot['mean']:.2f} s, max {dot['max']:.2f} s (limit {sys.argv[2]} s)")
sys.exit(0 if dot["mean"] < float(sys.argv[2]) else 1)
EOF
echo "outputs in $OUT"
