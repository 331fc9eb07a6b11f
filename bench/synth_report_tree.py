#!/usr/bin/env python3
"""Writes a synthetic Python tree for report and export benchmarks.

10,000 modules in corp.pkgA.subB.areaC.modD (10 x 10 x 10 x 10), each
importing 2-6 random modules, 400 of them also importing a hub class
corp.core.Engine; every module defines `f`, so the tree also holds one very
duplicated name. Deterministic (fixed seed). Usage: synth_report_tree.py DIR
"""
import os
import random
import sys


def main(root: str) -> None:
    random.seed(7)
    mods = [
        f"corp.pkg{a}.sub{b}.area{c}.mod{d}"
        for a in range(10)
        for b in range(10)
        for c in range(10)
        for d in range(10)
    ]
    for m in mods:
        parts = m.split(".")
        path = os.path.join(root, *parts) + ".py"
        os.makedirs(os.path.dirname(path), exist_ok=True)
        for i in range(1, len(parts)):
            init = os.path.join(root, *parts[:i], "__init__.py")
            if not os.path.exists(init):
                open(init, "w").close()
        lines = []
        for _ in range(random.randint(2, 6)):
            t = random.choice(mods)
            if t != m:
                package, name = t.rsplit(".", 1)
                lines.append(f"from {package} import {name}")
        lines.append("def f():\n    return 1\n")
        with open(path, "w") as out:
            out.write("\n".join(lines) + "\n")
    with open(os.path.join(root, "corp", "core.py"), "w") as out:
        out.write("class Engine:\n    pass\n")
    for m in random.sample(mods, 400):
        with open(os.path.join(root, *m.split(".")) + ".py", "a") as out:
            out.write("from corp.core import Engine\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: synth_report_tree.py DIR")
    main(sys.argv[1])
