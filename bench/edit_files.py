#!/usr/bin/env python3
"""Edit (or restore) files for bench/compare.sh's warm-edit10 case.

Each call toggles a trailing comment line on every file given: added when
absent, removed when present, so the content and size change every time and
blastradius must parse the files again. With --restore the line is only
removed, leaving the files as they were.

Usage: edit_files.py [--restore] FILE...
"""

import sys

MARK = b"# blastradius bench edit\n"


def main(argv: list[str]) -> int:
    restore = bool(argv) and argv[0] == "--restore"
    for path in argv[1:] if restore else argv:
        with open(path, "rb") as f:
            data = f.read()
        if data.endswith(MARK):
            data = data[: -len(MARK)]
        elif not restore:
            data += MARK
        else:
            continue
        with open(path, "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
