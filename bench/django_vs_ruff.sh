#!/usr/bin/env bash
# Compare `blastradius graph --format json` with `ruff analyze graph` on Django:
# edge agreement (bench/compare_ruff.py) and wall time (hyperfine).
#
# Everything it installs lives in target/ (git-ignored): a venv at
# target/bench-django with pinned Django and ruff. Outputs go to a fresh
# temporary directory, printed at the end (or $OUT when set).
#
# Usage: bench/django_vs_ruff.sh
# Env:   DJANGO_VERSION (default 5.2.19), RUFF_VERSION (default 0.17.6),
#        RUNS (hyperfine runs, default 10), WARMUP (default 2),
#        OUT (output directory, default: mktemp -d),
#        THRESHOLD (minimum agreement, default 0.98).
# Exit status: that of compare_ruff.py (0 when agreement >= THRESHOLD).
set -euo pipefail

DJANGO_VERSION=${DJANGO_VERSION:-5.2.19}
RUFF_VERSION=${RUFF_VERSION:-0.17.6}
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-2}
THRESHOLD=${THRESHOLD:-0.98}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$ROOT/target/bench-django
BR=$ROOT/target/release/blastradius
OUT=${OUT:-$(mktemp -d /tmp/django_vs_ruff.XXXXXX)}
mkdir -p "$OUT"

log() { printf '\n== %s\n' "$*"; }

# 1. Tools: venv with pinned Django + ruff, hyperfine.
if [ ! -x "$VENV/bin/python" ]; then
    log "creating venv $VENV"
    python3 -m venv "$VENV"
fi
installed() { "$VENV/bin/python" -m pip show "$1" 2>/dev/null | sed -n 's/^Version: //p'; }
if [ "$(installed django)" != "$DJANGO_VERSION" ] || [ "$(installed ruff)" != "$RUFF_VERSION" ]; then
    log "installing django==$DJANGO_VERSION ruff==$RUFF_VERSION"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "django==$DJANGO_VERSION" "ruff==$RUFF_VERSION"
fi
RUFF=$VENV/bin/ruff
SITE=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')

if ! command -v hyperfine >/dev/null 2>&1; then
    log "installing hyperfine"
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq hyperfine >/dev/null
    fi
fi

# 2. Build.
log "cargo build --release"
(cd "$ROOT" && cargo build --release --quiet)

commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null)" ]; then
    commit="$commit+dirty"
fi
n_django=$(find "$SITE/django" -name '*.py' | wc -l)
n_site=$(find "$SITE" -name '*.py' | wc -l)

log "versions"
echo "blastradius: $("$BR" --version) (commit $commit)"
echo "ruff:        $("$RUFF" --version)"
echo "django:      $("$VENV/bin/python" -c 'import django; print(django.get_version())')"
echo "python:      $("$VENV/bin/python" --version)"
echo "hyperfine:   $(hyperfine --version)"
echo "site:        $SITE ($n_site .py files, $n_django under django/)"
echo "machine:     $(nproc) cores"

# 3. Graphs. ruff runs inside site-packages so that `django` is first-party
# (its project root is the cwd); --isolated keeps stray ruff configs out.
log "graphs"
BR_CMD=("$BR" --root "$SITE" graph --format json)
RUFF_CMD=("$RUFF" analyze graph --isolated django)
"${BR_CMD[@]}" > "$OUT/br.json"
(cd "$SITE" && "${RUFF_CMD[@]}" > "$OUT/ruff.json" 2> "$OUT/ruff.stderr")
echo "blastradius: ${BR_CMD[*]} > $OUT/br.json"
echo "ruff:        (cd $SITE && ${RUFF_CMD[*]}) > $OUT/ruff.json"

# 4. Agreement.
log "agreement (bench/compare_ruff.py)"
set +e
python3 "$ROOT/bench/compare_ruff.py" --br "$OUT/br.json" --ruff "$OUT/ruff.json" \
    --site "$SITE" --ruff-cwd "$SITE" --package django --threshold "$THRESHOLD" \
    | tee "$OUT/compare.txt"
compare_rc=${PIPESTATUS[0]}
set -e

# 5. Timing, in one hyperfine invocation (-N: no shell; cwd = site-packages,
# which ruff needs). Four commands:
#   blastradius        the task's command: all of site-packages ($n_site files)
#   blastradius-django the same with every other top-level entry excluded, so
#                      it sees exactly ruff's $n_django files
#   ruff               the task's command: django/ only
#   ruff-site          all of site-packages, the same files as `blastradius`
EXCLUDES=()
for entry in "$SITE"/*; do
    name=$(basename "$entry")
    [ "$name" = django ] || EXCLUDES+=(--exclude "$name")
done
BR_DJANGO_CMD=("$BR" --root "$SITE" "${EXCLUDES[@]}" graph --format json)
RUFF_SITE_CMD=("$RUFF" analyze graph --isolated .)

cd "$SITE"
log "timing ($WARMUP warmup runs, $RUNS runs each)"
hyperfine --warmup "$WARMUP" --runs "$RUNS" -N --style basic \
    --export-markdown "$OUT/timing.md" --export-json "$OUT/timing.json" \
    -n blastradius "${BR_CMD[*]}" \
    -n blastradius-django "${BR_DJANGO_CMD[*]}" \
    -n ruff "${RUFF_CMD[*]}" \
    -n ruff-site "${RUFF_SITE_CMD[*]}"
echo
cat "$OUT/timing.md"
echo
python3 - "$OUT/timing.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
med = {r["command"]: r["median"] for r in res}
print("median wall time:")
for name, m in med.items():
    print(f"  {name:<20} {m * 1000:8.1f} ms")
print("ratio blastradius / ruff (median wall time; < 1 means blastradius is faster):")
for label, a, b in (
    ("as specified (site-packages vs django/)", "blastradius", "ruff"),
    ("same files: django/ only", "blastradius-django", "ruff"),
    ("same files: all of site-packages", "blastradius", "ruff-site"),
):
    print(f"  {label:<42} {med[a] / med[b]:.2f}")
PY

# 6. For information only (does not change the exit status): the same
# comparison over every top-level package of site-packages, which has
# TYPE_CHECKING and importlib literals that Django lacks.
log "for information: agreement over all of site-packages"
(cd "$SITE" && "${RUFF_SITE_CMD[@]}" > "$OUT/ruff-site.json" 2>> "$OUT/ruff.stderr")
PKGS=()
for entry in "$SITE"/*/; do
    name=$(basename "$entry")
    case $name in *.dist-info|__pycache__) ;; *) PKGS+=(--package "$name") ;; esac
done
python3 "$ROOT/bench/compare_ruff.py" --br "$OUT/br.json" --ruff "$OUT/ruff-site.json" \
    --site "$SITE" --ruff-cwd "$SITE" "${PKGS[@]}" --threshold "$THRESHOLD" \
    > "$OUT/compare-site.txt" || true
cat "$OUT/compare-site.txt"

log "outputs in $OUT"
exit "$compare_rc"
