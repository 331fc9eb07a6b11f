#!/usr/bin/env bash
# `blastradius init` then `blastradius check` on real packages: does the
# starter configuration that init infers load, and does check run on it?
#
# For each package, SRC/<package>/<package> is copied to a temporary root
# (caches left out); then, in that copy:
#   BR init  --root COPY                 writes pyproject.toml [tool.blastradius]
#                                        or blastradius.toml (never overwrites)
#   BR check --root COPY                 text: one `path:line:col: RULE ...` line
#                                        per violation
#   BR check --root COPY --format json   (or --json, whichever `check --help`
#                                        offers) for the violation count by rule
# The same is done for a copy of <repo>/sample_repo. Prints what init wrote,
# the violations by rule, and a markdown table: package, init exit, check
# exit, violations (JSON count; the text count too when they differ), rules
# written (active rules; suggestions left commented out in parentheses).
# Exit 1 if any check exits 2 (a configuration or usage error: init wrote a
# configuration check cannot read) or init fails; 0 otherwise (exit 1 from
# check, "violations found", is expected on real code).
#
# Usage: bench/truth/init_check.sh [PACKAGE...]
#        (default: django flask werkzeug click requests pygments docutils,
#        then sample_repo; name sample_repo to include it in a selection)
# Env:   BR   (default <repo>/target/release/blastradius)
#        SRC  (default <repo>/target/truth-src, made by bench/truth/run.sh)
#        VENV (default <repo>/target/truth-venv; its python >= 3.11 reads the
#             TOML, else python3)
#        KEEP (1 keeps the temporary copies)
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BR=${BR:-$REPO/target/release/blastradius}
SRC=${SRC:-$REPO/target/truth-src}
VENV=${VENV:-$REPO/target/truth-venv}
KEEP=${KEEP:-0}
PY=$VENV/bin/python
[ -x "$PY" ] || PY=python3
if [ ! -x "$BR" ]; then
    echo "error: no blastradius binary at $BR (set BR)" >&2
    exit 2
fi

packages=("$@")
if [ ${#packages[@]} -eq 0 ]; then
    packages=(django flask werkzeug click requests pygments docutils sample_repo)
fi

# How check prints JSON, from its help.
check_help=$("$BR" check --help 2>&1)
if grep -q -- '--format' <<<"$check_help" && grep -qE '^\s+- json' <<<"$check_help"; then
    JSON_FLAGS=(--format json)
elif grep -q -- '--json' <<<"$check_help"; then
    JSON_FLAGS=(--json)
else
    JSON_FLAGS=()
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/br-init-check.XXXXXX")
cleanup() { [ "$KEEP" = 1 ] && echo "(kept $WORK)" >&2 || rm -rf "$WORK"; }
trap cleanup EXIT

# Reads the configuration init wrote: prints the rules, one summary line.
describe_config() {
    "$PY" - "$1" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
try:
    import tomllib
    data = tomllib.loads(text)
    if path.endswith("pyproject.toml"):
        data = data.get("tool", {}).get("blastradius", {})
except ImportError:
    data = None
except Exception as e:  # a configuration that is not TOML at all
    print(f"unreadable TOML: {type(e).__name__}")
    sys.exit(0)
rules = []
commented = []
if data is not None:
    canonical = data.get("canonical", {})
    if canonical:
        rules.append(f"canonical x{len(canonical)}")
    for key in ("forbidden", "layers"):
        if data.get(key):
            value = data[key]
            rules.append(f"{key} x{len(value)}" if isinstance(value, (list, dict)) else key)
    for key in ("no-cycles", "no-duplicates"):
        if key in data and data[key] not in (False, None):
            rules.append(key)
for key in ("canonical", "forbidden", "layers", "no-cycles", "no-duplicates"):
    if re.search(rf"^#\s*\[?{re.escape(key)}\]?\s*(=|$)", text, re.M):
        commented.append(key)
out = ", ".join(rules) or "none"
if commented:
    out += " (commented: " + ", ".join(commented) + ")"
print(out)
PY
}

# Counts a check --format json document's violations, "N rule:n ...".
count_json() {
    "$PY" -c '
import json, sys, collections
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    print("-"); sys.exit(0)
v = d.get("violations", [])
by = collections.Counter(x.get("rule", "?") for x in v)
print(len(v), " ".join(f"{r}:{n}" for r, n in sorted(by.items())))
' "$1"
}

rows=()
status=0
for package in "${packages[@]}"; do
    root=$WORK/$package
    mkdir -p "$root"
    if [ "$package" = sample_repo ]; then
        cp -R "$REPO/sample_repo/." "$root/"
    elif [ -d "$SRC/$package/$package" ]; then
        cp -R "$SRC/$package/$package" "$root/"
    else
        echo "error: $SRC/$package/$package missing (run bench/truth/run.sh)" >&2
        status=1
        rows+=("| $package | - | - | - | missing source |")
        continue
    fi
    find "$root" \( -name .blastradius_cache -o -name __pycache__ \) -prune -exec rm -rf {} +

    echo "## $package"
    "$BR" init --root "$root" --no-cache >"$WORK/$package.init.out" 2>&1
    init_rc=$?
    sed 's/^/  init: /' "$WORK/$package.init.out"
    config=""
    for f in "$root/blastradius.toml" "$root/pyproject.toml"; do
        [ -f "$f" ] && config=$f
    done
    if [ -n "$config" ]; then
        rules=$(describe_config "$config")
        echo "  config: ${config#"$root"/}: $rules"
        active=$(grep -vE '^\s*(#|$)' "$config")
        n_active=$(grep -c . <<<"$active")
        head -12 <<<"$active" | sed 's/^/    /'
        [ "$n_active" -gt 12 ] && echo "    ... $((n_active - 12)) more line(s)"
    else
        rules="no config written"
        echo "  config: none written"
    fi

    "$BR" check --root "$root" --no-cache >"$WORK/$package.check.out" 2>"$WORK/$package.check.err"
    check_rc=$?
    text_count=$(grep -cE '^.+:[0-9]+:[0-9]+: ' "$WORK/$package.check.out")
    json_count="-"
    by_rule=""
    json_rc="-"
    if [ ${#JSON_FLAGS[@]} -gt 0 ]; then
        "$BR" check --root "$root" --no-cache "${JSON_FLAGS[@]}" >"$WORK/$package.check.json" 2>/dev/null
        json_rc=$?
        read -r json_count by_rule <<<"$(count_json "$WORK/$package.check.json")"
    fi
    echo "  check: exit $check_rc (json: exit $json_rc), $text_count violation line(s) in text, ${json_count} in JSON${by_rule:+ ($by_rule)}"
    sed 's/^/  check: /' "$WORK/$package.check.err" | head -5
    head -5 "$WORK/$package.check.out" | sed "s#$root/##; s/^/    /"
    [ "$text_count" -gt 5 ] && echo "    ... $((text_count - 5)) more"
    echo

    violations=$json_count
    [ "$json_count" = "-" ] && violations=$text_count
    if [ "$json_count" != "-" ] && [ "$json_count" != "$text_count" ]; then
        violations="$json_count (text: $text_count)"
    fi
    if [ "$check_rc" = 2 ] || [ "$json_rc" = 2 ] || [ "$init_rc" != 0 ]; then
        status=1
    fi
    rows+=("| $package | $init_rc | $check_rc | $violations | $rules |")
done

echo "| package | init exit | check exit | violations | rules written |"
echo "|---|---:|---:|---:|---|"
for row in "${rows[@]}"; do echo "$row"; done
exit $status
