#!/usr/bin/env bash
# check with ~1,000 `canonical` rules on the benchmark corpus (8,281 files):
# the cost of the name rules once the configuration is large, as `init`
# used to write for every duplicated name. docs/performance.md records it.
#
# Makes a hard-linked copy of the corpus under target/bench-canonical (the
# configuration must sit in the root, and the corpus itself stays
# configuration-free), writes a blastradius.toml with one `canonical` entry
# per duplicated name (the suggested module; at most RULES of them), then
# times `check` warm with hyperfine.
#
# Usage: bench/canonical_rules.sh            Env: BR, RULES (1000), RUNS (5)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BR=${BR:-$REPO/target/release/blastradius}
RULES=${RULES:-1000}
RUNS=${RUNS:-5}
CORPUS=$REPO/target/bench-corpus/lib/python3.11/site-packages
[ -d "$CORPUS" ] || "$REPO/bench/corpus.sh"
COPY=$REPO/target/bench-canonical
rm -rf "$COPY"
cp -al "$CORPUS" "$COPY"
"$BR" --root "$COPY" duplicates --json --include-private 2>/dev/null | python3 -c '
import json, sys
rules = int(sys.argv[1])
groups = json.load(sys.stdin)["duplicates"][:rules]
print("[canonical]")
for g in groups:
    print(json.dumps(g["name"]) + " = " + json.dumps(g["suggested"]["module"]))
print(f"# {len(groups)} rules", file=sys.stderr)
' "$RULES" >"$COPY/blastradius.toml"
"$BR" --root "$COPY" check >/dev/null 2>&1 || true   # warm the cache
hyperfine --runs "$RUNS" --warmup 1 -i "$BR --root $COPY check --format json"
"$BR" --root "$COPY" check --format json 2>/dev/null | python3 -c '
import json, sys
print("violations:", len(json.load(sys.stdin)["violations"]))'
