#!/usr/bin/env bash
# Import-time truth (docs/truth.md): for every module M of real packages,
# which first-party modules does `import M` execute, and does blastradius's
# import tier say the same? Also times ruff, grimp and blastradius on each.
#
# Installs (under target/, never committed): target/truth-venv (the pinned
# packages with their dependencies, plus ruff and grimp) and
# target/truth-src/<package> (the same release's files alone, the root
# blastradius analyses). Writes target/truth-out/<package>.{truth,ours}.json
# and target/truth-out/report.md, which docs/truth.md quotes.
#
# Usage: bench/truth/run.sh [PACKAGE...]     (default: all of them)
# Env:   BR (default target/release/blastradius, built when missing),
#        JOBS (2), TIMEOUT (30 s per import), PROBE (1; 0 reuses the truth
#        files of an earlier run).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV=$REPO/target/truth-venv
SRC=$REPO/target/truth-src
OUT=$REPO/target/truth-out
BR=${BR:-$REPO/target/release/blastradius}
JOBS=${JOBS:-2}
TIMEOUT=${TIMEOUT:-30}
PROBE=${PROBE:-1}
PINS=(
    "django==5.2.19"
    "flask==3.1.3"
    "werkzeug==3.1.9"
    "click==8.5.1"
    "requests==2.34.2"
    "pygments==2.19.2"
    "docutils==0.22.3"
)
TOOLS=("ruff==0.17.6" "grimp==3.20")
# What Django's optional modules import, so that at least 95% of its
# modules import here: the database drivers (PostgreSQL, Oracle) and PyYAML;
# GeoDjango also needs the GDAL and GEOS libraries (Debian packages below).
EXTRAS=("psycopg2-binary==2.9.13" "oracledb==26.1.0" "pyyaml==6.0.4")
DEBS=(libgdal32 libgeos-c1v5)

if [ ! -x "$BR" ]; then
    (cd "$REPO" && cargo build --release --locked)
fi
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
STAMP=$VENV/.pins
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "${PINS[*]} ${TOOLS[*]} ${EXTRAS[*]}" ]; then
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "${PINS[@]}" "${TOOLS[@]}" "${EXTRAS[@]}" >&2
    echo "${PINS[*]} ${TOOLS[*]} ${EXTRAS[*]}" >"$STAMP"
fi
missing_debs=()
for deb in "${DEBS[@]}"; do
    dpkg -s "$deb" >/dev/null 2>&1 || missing_debs+=("$deb")
done
if [ ${#missing_debs[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" >&2
    else
        echo "note: ${missing_debs[*]} not installed (needs root); GeoDjango's modules will fail to import" >&2
    fi
fi
mkdir -p "$SRC" "$OUT"
packages=("$@")
if [ ${#packages[@]} -eq 0 ]; then
    for pin in "${PINS[@]}"; do packages+=("${pin%%==*}"); done
fi
for package in "${packages[@]}"; do
    pin=""
    for p in "${PINS[@]}"; do [ "${p%%==*}" = "$package" ] && pin=$p; done
    [ -n "$pin" ] || { echo "unknown package $package" >&2; exit 2; }
    if [ ! -f "$SRC/$package/.pin" ] || [ "$(cat "$SRC/$package/.pin")" != "$pin" ]; then
        rm -rf "${SRC:?}/$package"
        "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --no-compile \
            --target "$SRC/$package" "$pin" >&2
        # Only the package itself: its dist-info and scripts are not code.
        find "$SRC/$package" -mindepth 1 -maxdepth 1 ! -name "$package" ! -name .pin -exec rm -rf {} +
        echo "$pin" >"$SRC/$package/.pin"
    fi
    if [ "$PROBE" = 1 ] || [ ! -f "$OUT/$package.truth.json" ]; then
        "$VENV/bin/python" "$REPO/bench/truth/probe.py" "$package" "$SRC/$package" \
            "$OUT/$package.truth.json" --jobs "$JOBS" --timeout "$TIMEOUT"
    fi
done
"$VENV/bin/python" "$REPO/bench/truth/compare.py" --br "$BR" --src "$SRC" --out "$OUT" \
    --ruff "$VENV/bin/ruff" --python "$VENV/bin/python" "${packages[@]}"
