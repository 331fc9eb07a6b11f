#!/usr/bin/env bash
# Builds the benchmark corpus: a virtualenv under target/bench-corpus holding
# a pinned set of large pure-Python packages (at least 8,000 .py files and
# 100 MB of source). Nothing of it is committed. Prints the site-packages
# path, which is the root for every benchmark.
#
# Usage: bench/corpus.sh        (idempotent; reinstalls only when the pins change)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$ROOT/target/bench-corpus
PINS=(
    "django==5.2.19"
    "sympy==1.14.0"
    "ansible-core==2.19.4"
    "botocore==1.40.76"
    "pandas==2.3.3"
    "scipy==1.16.3"
    "networkx==3.5"
    "pygments==2.19.2"
    "docutils==0.22.3"
)
STAMP=$VENV/.pins

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "${PINS[*]}" ]; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PINS[@]}" >&2
    echo "${PINS[*]}" > "$STAMP"
fi
SITE=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
files=$(find "$SITE" -name '*.py' | wc -l)
bytes=$(find "$SITE" -name '*.py' -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "corpus: $files .py files, $((bytes / 1024 / 1024)) MB of source" >&2
if [ "$files" -lt 8000 ] || [ "$bytes" -lt $((100 * 1024 * 1024)) ]; then
    echo "corpus too small: need 8,000 files and 100 MB" >&2
    exit 1
fi
echo "$SITE"
