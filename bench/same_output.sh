#!/usr/bin/env bash
# Runs the same commands with two blastradius binaries and compares stdout,
# stderr and exit status byte for byte: the proof that a refactor changed
# no behaviour. Timing values (the report's "analysed in", --timings) are
# the only thing masked.
#
# Usage: bench/same_output.sh OLD_BINARY NEW_BINARY ROOT [ROOT...]
# Commands that need a target pick the most imported module and the most
# duplicated name of each root from the OLD binary's answers.
set -uo pipefail

OLD=$(realpath "$1") NEW=$(realpath "$2")
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 runs=0

mask() { sed -E 's/[0-9]+\.[0-9]+ (s|ms)\b/T \1/g'; }

compare() { # ROOT ARGS...
    local root=$1; shift
    local i
    for i in old new; do
        local bin=$OLD; [ "$i" = new ] && bin=$NEW
        (cd "$work" && "$bin" --root "$root" --no-cache --color never "$@" >"$work/$i.out" 2>"$work/$i.err"; echo $? >"$work/$i.code")
        # A written report is compared too.
        if [ -f "$work/r.html" ]; then mv "$work/r.html" "$work/$i.html"; fi
    done
    runs=$((runs + 1))
    for part in out err code html; do
        [ -f "$work/old.$part" ] || continue
        if ! cmp -s <(mask <"$work/old.$part") <(mask <"$work/new.$part"); then
            echo "DIFFERENT $part: --root $root $*"
            diff <(mask <"$work/old.$part") <(mask <"$work/new.$part") | head -5
            failures=$((failures + 1))
        fi
    done
    rm -f "$work"/old.* "$work"/new.*
}

for root in "$@"; do
    root=$(cd "$root" && pwd)
    module=$("$OLD" --root "$root" --no-cache -q graph --format json \
        | python3 -c 'import json,sys,collections
d=json.load(sys.stdin); c=collections.Counter(e["to"] for e in d["edges"])
print(c.most_common(1)[0][0] if c else "")')
    read -r name canonical < <("$OLD" --root "$root" --no-cache -q duplicates --json \
        | python3 -c 'import json,sys; d=json.load(sys.stdin)["duplicates"]; print(d[0]["name"], d[0]["suggested"]["module"]) if d else print("", "")')
    compare "$root" graph
    compare "$root" graph --format json
    compare "$root" cycles
    compare "$root" cycles --json
    compare "$root" cycles --kinds module
    compare "$root" duplicates
    compare "$root" duplicates --json --include-tests
    compare "$root" broken
    compare "$root" broken --json
    compare "$root" init --dry-run
    compare "$root" report -o r.html
    compare "$root" dependents does.not.exist
    compare "$root" impact
    compare "$root" graph --focus x
    compare "$root" check
    compare "$root" check --format json
    compare "$root" check --format sarif
    compare "$root" check --format github --kinds module
    if [ -n "$module" ]; then
        compare "$root" dependents "$module"
        compare "$root" dependents "$module" --json --kinds module,lazy
        compare "$root" dependencies "$module" --json
        compare "$root" impact "$module" --json --critical '*core*'
        compare "$root" impact "$module" --tests-only
        compare "$root" impact "$module" --depth 2
        compare "$root" impact "$module" --critical '['
        compare "$root" graph --format dot --focus "$module" --depth 2
        compare "$root" graph --format mermaid --focus "$module" --collapse 2
        compare "$root" graph --format json --focus "$module" --direction dependencies
        compare "$root" path "$module" "$module" --json
        compare "$root" report --target "$module" -o r.html
    fi
    if [ -n "$name" ]; then
        compare "$root" symbol "$name"
        compare "$root" symbol "$name" --json
        compare "$root" dependents "$name" --json
        compare "$root" impact "$name"
        compare "$root" migrate "$name" --to "$canonical"
        compare "$root" migrate "$name" --to "$canonical" --json --include-strings
        compare "$root" migrate "$name" --to "$canonical" --remove-shim
    fi
done
echo "$runs command(s), $failures difference(s)"
[ "$failures" -eq 0 ]
