#!/usr/bin/env bash
# Compare `blastradius graph --format json` with `ruff analyze graph` on Django:
# edge agreement (bench/compare_ruff.py), wall time (hyperfine) and peak RSS
# (/usr/bin/time -v).
#
# Like for like: both tools see exactly the 885 files of django/.
#   blastradius --root $SITE/django graph --format json
#   (cd $SITE && ruff analyze graph --isolated django)
# blastradius keeps the enclosing package's dotted names (django.apps.config)
# when --root is itself a package. Secondary: both tools on all of
# site-packages (blastradius --root $SITE, ruff `analyze graph .`).
#
# Everything it installs lives in target/ (git-ignored): a venv at
# target/bench-django with pinned Django and ruff. Outputs go to a fresh
# temporary directory, printed at the end (or $OUT when set).
#
# Usage: bench/django_vs_ruff.sh
# Env:   BR (blastradius binary; default ${CARGO_TARGET_DIR:-target}/release/
#           blastradius, built here with cargo build --release; when BR is
#           set nothing is built),
#        BR_SRC (source tree BR was built from, for the commit shown;
#           default: this checkout when BR is unset, else unknown),
#        DJANGO_VERSION (default 5.2.19), RUFF_VERSION (default 0.17.6),
#        RUNS (hyperfine runs, default 20), WARMUP (default 2),
#        PAIRS (rounds of the interleaved br/ruff timing, default 30),
#        RSS_RUNS (/usr/bin/time -v runs per command, default 5),
#        OUT (output directory, default: mktemp -d),
#        THRESHOLD (minimum agreement, default 0.98).
# Exit status: that of the django/ compare_ruff.py run (0 when agreement >=
# THRESHOLD), or 1 when the two blastradius roots disagree on django/.
set -euo pipefail

DJANGO_VERSION=${DJANGO_VERSION:-5.2.19}
RUFF_VERSION=${RUFF_VERSION:-0.17.6}
RUNS=${RUNS:-20}
WARMUP=${WARMUP:-2}
RSS_RUNS=${RSS_RUNS:-5}
PAIRS=${PAIRS:-30}
THRESHOLD=${THRESHOLD:-0.98}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$ROOT/target/bench-django
if [ -n "${BR:-}" ]; then
    BUILD=0
    BR_SRC=${BR_SRC:-}
else
    BUILD=1
    BR=${CARGO_TARGET_DIR:-$ROOT/target}/release/blastradius
    BR_SRC=${BR_SRC:-$ROOT}
fi
OUT=${OUT:-$(mktemp -d /tmp/django_vs_ruff.XXXXXX)}
mkdir -p "$OUT"

log() { printf '\n== %s\n' "$*"; }
apt_install() {
    log "installing $*"
    local sudo=
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq && $sudo apt-get install -y -qq "$@" >/dev/null
}

# 1. Tools: venv with pinned Django + ruff, hyperfine, GNU time.
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

command -v hyperfine >/dev/null 2>&1 || apt_install hyperfine
[ -x /usr/bin/time ] || apt_install time

# 2. Build (skipped when BR is given).
if [ "$BUILD" = 1 ]; then
    log "cargo build --release"
    (cd "$ROOT" && cargo build --release --quiet)
fi
[ -x "$BR" ] || { echo "error: no blastradius binary at $BR" >&2; exit 2; }

commit=unknown
if [ -n "$BR_SRC" ]; then
    commit=$(git -C "$BR_SRC" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [ -n "$(git -C "$BR_SRC" status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null)" ]; then
        commit="$commit+dirty"
    fi
fi
n_django=$(find "$SITE/django" -name '*.py' | wc -l)
n_site=$(find "$SITE" -name '*.py' | wc -l)

log "versions"
echo "blastradius: $BR: $("$BR" --version) (commit $commit)"
echo "ruff:        $("$RUFF" --version)"
echo "django:      $("$VENV/bin/python" -c 'import django; print(django.get_version())')"
echo "python:      $("$VENV/bin/python" --version)"
echo "hyperfine:   $(hyperfine --version)"
echo "site:        $SITE ($n_site .py files, $n_django under django/)"
echo "machine:     $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
echo "date:        $(date -u +%Y-%m-%dT%H:%MZ)"

# 3. Graphs. Everything runs inside site-packages: ruff needs it so that
# `django` is first-party (its project root is the cwd); --isolated keeps
# stray ruff configs out. blastradius gets absolute roots.
#   main:      both tools on django/ only (the same files)
#   secondary: both tools on all of site-packages
cd "$SITE"
BR_CMD=("$BR" --root "$SITE/django" graph --format json)
RUFF_CMD=("$RUFF" analyze graph --isolated django)
BR_SITE_CMD=("$BR" --root "$SITE" graph --format json)
RUFF_SITE_CMD=("$RUFF" analyze graph --isolated .)
log "graphs (cwd $SITE)"
"${BR_CMD[@]}" > "$OUT/br.json"
"${RUFF_CMD[@]}" > "$OUT/ruff.json" 2> "$OUT/ruff.stderr"
"${BR_SITE_CMD[@]}" > "$OUT/br-site.json"
"${RUFF_SITE_CMD[@]}" > "$OUT/ruff-site.json" 2>> "$OUT/ruff.stderr"
echo "blastradius: ${BR_CMD[*]} > $OUT/br.json"
echo "ruff:        ${RUFF_CMD[*]} > $OUT/ruff.json"
echo "secondary:   ${BR_SITE_CMD[*]} > $OUT/br-site.json"
echo "             ${RUFF_SITE_CMD[*]} > $OUT/ruff-site.json"

# 4. Agreement on django/ (the exit status). blastradius paths are relative
# to $SITE/django; compare_ruff.py takes that root from --br-root, checks
# that every module path names a file under $SITE and prints how many files
# each tool saw.
log "agreement on django/ (bench/compare_ruff.py)"
set +e
python3 "$ROOT/bench/compare_ruff.py" --br "$OUT/br.json" --br-root "$SITE/django" \
    --ruff "$OUT/ruff.json" --site "$SITE" --ruff-cwd "$SITE" --package django \
    --threshold "$THRESHOLD" | tee "$OUT/compare.txt"
compare_rc=${PIPESTATUS[0]}
set -e

# The django/ edge set must not depend on the root: --root $SITE/django and
# --root $SITE must give the same django/ -> django/ file pairs.
log "same django/ edges from --root \$SITE/django and --root \$SITE?"
set +e
python3 - "$ROOT/bench" "$SITE" "$OUT/br.json" "$OUT/br-site.json" <<'PY'
import sys
sys.dont_write_bytecode = True  # no bench/__pycache__
sys.path.insert(0, sys.argv[1])
from compare_ruff import load_blastradius
site, a, b = sys.argv[2:5]
ea, _, _, _, fa = load_blastradius(a, site, ["django"])
eb, _, _, _, fb = load_blastradius(b, site, ["django"])
print(f"--root SITE/django: {len(fa)} files, {len(ea)} edges")
print(f"--root SITE:        {len(fb)} files, {len(eb)} edges")
same = ea == eb and fa == fb
print("identical" if same else
      f"DIFFERENT: {len(ea - eb)} edges only with SITE/django, {len(eb - ea)} only with SITE")
sys.exit(0 if same else 1)
PY
roots_rc=$?
set -e
[ "$roots_rc" = 0 ] || compare_rc=1

# 5. Timing: one hyperfine invocation (-N: no shell; cwd = site-packages).
# hyperfine runs the commands one after another (all runs of the first, then
# the second, ...), each after its own warmup.
log "timing ($WARMUP warmup runs, $RUNS runs each)"
hyperfine --warmup "$WARMUP" --runs "$RUNS" -N --style basic \
    --export-markdown "$OUT/timing.md" --export-json "$OUT/timing.json" \
    -n blastradius "${BR_CMD[*]}" \
    -n ruff "${RUFF_CMD[*]}" \
    -n blastradius-site "${BR_SITE_CMD[*]}" \
    -n ruff-site "${RUFF_SITE_CMD[*]}"

# 5b. The same pairs interleaved (br, ruff, ruff, br, ...: the order flips
# each round), PAIRS rounds per pair. hyperfine measures each command in one
# block, so a change in machine load between blocks shifts its ratio; the
# median of the per-round ratios is not moved by slow drift. Wall time is
# taken in Python (fork/exec included, the same for both).
log "interleaved timing ($PAIRS rounds per pair, order alternating)"
python3 - "$PAIRS" "$OUT/interleaved.txt" \
    "${BR_CMD[*]}" "${RUFF_CMD[*]}" "${BR_SITE_CMD[*]}" "${RUFF_SITE_CMD[*]}" <<'PY'
import statistics as st, subprocess, sys, time
rounds, out = int(sys.argv[1]), sys.argv[2]
br, ruff, br_site, ruff_site = (c.split() for c in sys.argv[3:7])
def once(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t
lines = []
for label, a, b in (("django/", br, ruff), ("site-packages", br_site, ruff_site)):
    once(a), once(b)  # warmup
    ta, tb = [], []
    for i in range(rounds):
        for cmd, acc in (((a, ta), (b, tb)) if i % 2 == 0 else ((b, tb), (a, ta))):
            acc.append(once(cmd))
    ratios = sorted(x / y for x, y in zip(ta, tb))
    q = lambda p: ratios[min(len(ratios) - 1, int(p * len(ratios)))]
    lines.append(f"{label:<14} blastradius median {st.median(ta) * 1e3:6.1f} ms, "
                 f"ruff median {st.median(tb) * 1e3:6.1f} ms; per-round ratio "
                 f"median {st.median(ratios):.2f} (quartiles {q(0.25):.2f}-{q(0.75):.2f})")
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY

# 6. Peak RSS: /usr/bin/time -v, RSS_RUNS runs of each; median and max.
log "peak RSS (/usr/bin/time -v, $RSS_RUNS runs each)"
rss() {
    local name=$1 i
    shift
    for i in $(seq "$RSS_RUNS"); do
        /usr/bin/time -v -o "$OUT/time.txt" "$@" > /dev/null 2>> "$OUT/rss.stderr"
        sed -n 's/^\tMaximum resident set size (kbytes): //p' "$OUT/time.txt"
    done | sort -n | awk -v name="$name" '
        { v[NR] = $1 }
        END { printf "%s %d %d\n", name, v[int((NR + 1) / 2)], v[NR] }'
}
{
    rss blastradius "${BR_CMD[@]}"
    rss ruff "${RUFF_CMD[@]}"
    rss blastradius-site "${BR_SITE_CMD[@]}"
    rss ruff-site "${RUFF_SITE_CMD[@]}"
} > "$OUT/rss.txt"

log "summary"
cat "$OUT/timing.md"
echo
cat "$OUT/interleaved.txt"
echo
python3 - "$OUT/timing.json" "$OUT/rss.txt" "$n_django" "$n_site" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
rss = {}
for line in open(sys.argv[2]):
    name, med, mx = line.split()
    rss[name] = (int(med), int(mx))
files = {"blastradius": sys.argv[3], "ruff": sys.argv[3],
         "blastradius-site": sys.argv[4], "ruff-site": sys.argv[4]}
print(f"{'command':<17} {'files':>5} {'median':>9} {'mean ± σ':>19} "
      f"{'user':>9} {'sys':>8}  peak RSS median / max")
for name, r in res.items():
    m, mx = rss[name]
    print(f"{name:<17} {files[name]:>5} {r['median'] * 1e3:7.1f}ms "
          f"{r['mean'] * 1e3:9.1f} ± {r['stddev'] * 1e3:5.1f}ms "
          f"{r['user'] * 1e3:7.1f}ms {r['system'] * 1e3:6.1f}ms  "
          f"{m / 1024:.1f} / {mx / 1024:.1f} MiB")
print("ratio blastradius / ruff (< 1: blastradius faster or smaller):")
for label, a, b in (("django/ (main)", "blastradius", "ruff"),
                    ("all of site-packages", "blastradius-site", "ruff-site")):
    print(f"  {label:<22} median wall {res[a]['median'] / res[b]['median']:.2f}   "
          f"median peak RSS {rss[a][0] / rss[b][0]:.2f}")
PY

# 7. For information only (does not change the exit status): the same
# comparison over every top-level package of site-packages, which has
# TYPE_CHECKING and importlib literals that Django lacks, and the dynamic
# imports blastradius could not resolve there.
log "for information: agreement over all of site-packages"
PKGS=()
for entry in "$SITE"/*/; do
    name=$(basename "$entry")
    case $name in *.dist-info|__pycache__) ;; *) PKGS+=(--package "$name") ;; esac
done
python3 "$ROOT/bench/compare_ruff.py" --br "$OUT/br-site.json" --br-root "$SITE" \
    --ruff "$OUT/ruff-site.json" --site "$SITE" --ruff-cwd "$SITE" "${PKGS[@]}" \
    --threshold "$THRESHOLD" > "$OUT/compare-site.txt" || true
cat "$OUT/compare-site.txt"
log "for information: unresolved imports over all of site-packages"
python3 - "$OUT/br-site.json" <<'PY'
import collections, json, sys
u = json.load(open(sys.argv[1]))["unresolved"]
dyn = [x for x in u if x["kind"] == "dynamic"]
print(f"{len(u)} unresolved, {len(dyn)} of them dynamic; by reason:")
for r, n in collections.Counter(x["reason"].split(":")[0] for x in u).most_common():
    print(f"  {n:4d}  {r}")
for x in dyn:
    print(f"  dynamic: {x['path']}:{x['line']}: {x['import']}  ({x['reason']})")
PY

log "outputs in $OUT"
exit "$compare_rc"
