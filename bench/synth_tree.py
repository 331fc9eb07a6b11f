#!/usr/bin/env python3
"""Write a synthetic Python monorepo for benchmarking exports.

The tree has exactly --files files (default 5,000): five top-level packages
(app, core, libs, platform, services), each with eight subpackages of six
packages, half of which hold two more, so packages are 3 to 4 levels deep;
modules are spread over the deepest packages, plus a tests/ tree and a
scripts/ folder of hyphenated scripts (nodes named by their path).

Imports look like a real codebase's: every module imports 2 to 7 first-party
modules, about half from its own second-level package (relative or absolute),
a third from the foundation packages core and libs, the rest from anywhere;
about 70% at module level, 15% lazily inside a function, 10% under
`if TYPE_CHECKING:`, 5% through `importlib.import_module("literal")`; plus a
few standard-library imports. A fixed seed makes the tree identical on every
run.

Usage:
    synth_tree.py OUT_DIR [--files 5000] [--seed 20261125]

OUT_DIR must not exist or be empty (use target/ or /tmp). Standard library only.
"""

from __future__ import annotations

import argparse
import os
import random
import sys

TOP = ["app", "core", "libs", "platform", "services"]
FOUNDATION = {"core", "libs"}
SECOND = ["api", "auth", "billing", "cache", "config", "events", "models", "search"]
THIRD = ["base", "handlers", "managers", "schemas", "tasks", "views"]
FOURTH = ["internal", "v2"]
STDLIB = ["os", "json", "logging", "typing", "dataclasses", "functools", "pathlib"]
WORDS = [
    "account", "adapter", "audit", "batch", "client", "context", "engine",
    "factory", "gateway", "helper", "index", "job", "loader", "mapper",
    "policy", "query", "registry", "router", "session", "store", "token",
    "user", "validator", "worker",
]
TEST_DIRS = ["unit", "integration", "e2e"]
SCRIPTS = 25


def package_dirs() -> list[str]:
    """Every package directory (dotted), top-level first; leaves are the deepest."""
    dirs = []
    for top in TOP:
        dirs.append(top)
        for second in SECOND:
            dirs.append(f"{top}.{second}")
            for i, third in enumerate(THIRD):
                dirs.append(f"{top}.{second}.{third}")
                if i % 2 == 0:
                    for fourth in FOURTH:
                        dirs.append(f"{top}.{second}.{third}.{fourth}")
    return dirs


def leaves(dirs: list[str]) -> list[str]:
    """Packages with no subpackage."""
    prefixes = {d.rsplit(".", 1)[0] for d in dirs if "." in d}
    return [d for d in dirs if d not in prefixes]


def plan(files: int) -> tuple[list[str], list[str], list[str]]:
    """(package dirs, module names, test module names) adding up to `files` with scripts."""
    dirs = package_dirs()
    test_dirs = ["tests"] + [f"tests.{t}" for t in TEST_DIRS]
    budget = files - len(dirs) - len(test_dirs) - SCRIPTS
    if budget <= 0:
        sys.exit(f"--files must be more than {files - budget}")
    test_count = budget // 10
    module_count = budget - test_count
    slots = leaves(dirs)
    modules = []
    for n in range(module_count):
        package = slots[n % len(slots)]
        word = WORDS[(n // len(slots)) % len(WORDS)]
        modules.append(f"{package}.{word}_{n // (len(slots) * len(WORDS))}")
    tests = [
        f"tests.{TEST_DIRS[n % len(TEST_DIRS)]}.test_{WORDS[n % len(WORDS)]}_{n}"
        for n in range(test_count)
    ]
    return dirs + test_dirs, modules, tests


def pick_target(rng: random.Random, module: str, modules: list[str], by_second: dict) -> str:
    """A module to import: own second-level package, foundation, or anywhere."""
    roll = rng.random()
    parts = module.split(".")
    if roll < 0.5 and len(parts) > 2:
        return rng.choice(by_second[".".join(parts[:2])])
    if roll < 0.83:
        top = rng.choice(sorted(FOUNDATION))
        second = rng.choice(SECOND)
        return rng.choice(by_second[f"{top}.{second}"])
    return rng.choice(modules)


def import_line(rng: random.Random, importer: str, target: str) -> str:
    """One import statement of `target` from `importer`, absolute or relative."""
    package, _, name = target.rpartition(".")
    own_package = importer.rpartition(".")[0]
    style = rng.random()
    if package == own_package and style < 0.5:
        return f"from . import {name}"
    if style < 0.4:
        return f"import {target}"
    return f"from {package} import {name}"


def module_source(rng: random.Random, name: str, modules: list[str], by_second: dict) -> str:
    lines = [f'"""{name}: synthetic module."""', ""]
    for std in rng.sample(STDLIB, rng.randint(1, 3)):
        lines.append(f"import {std}")
    top_level, lazy, typing, dynamic = [], [], [], []
    for _ in range(rng.randint(2, 7)):
        target = pick_target(rng, name, modules, by_second)
        if target == name:
            continue
        roll = rng.random()
        if roll < 0.70:
            top_level.append(import_line(rng, name, target))
        elif roll < 0.85:
            lazy.append(f"import {target}")
        elif roll < 0.95:
            typing.append(f"import {target}")
        else:
            dynamic.append(target)
    lines.extend(top_level)
    if dynamic:
        lines.append("import importlib")
    if typing:
        lines += ["from typing import TYPE_CHECKING", "", "if TYPE_CHECKING:"]
        lines += [f"    {line}" for line in typing]
    lines += ["", "", "class Thing:", "    value = 1", "", "", "def run():"]
    lines += [f"    {line}" for line in lazy]
    lines += [f'    importlib.import_module("{t}")' for t in dynamic]
    lines += ["    return Thing()", ""]
    return "\n".join(lines)


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args()
    if os.path.exists(args.out) and os.listdir(args.out):
        sys.exit(f"{args.out} exists and is not empty")
    rng = random.Random(args.seed)
    dirs, modules, tests = plan(args.files)
    by_second: dict[str, list[str]] = {}
    for m in modules:
        by_second.setdefault(".".join(m.split(".")[:2]), []).append(m)
    written = 0
    for d in dirs:
        write(os.path.join(args.out, *d.split("."), "__init__.py"), f'"""{d}."""\n')
        written += 1
    for m in modules:
        write(os.path.join(args.out, *m.split(".")) + ".py", module_source(rng, m, modules, by_second))
        written += 1
    for t in tests:
        targets = [rng.choice(modules) for _ in range(rng.randint(1, 4))]
        body = "\n".join(f"import {x}" for x in targets)
        write(os.path.join(args.out, *t.split(".")) + ".py", f"{body}\n\n\ndef test_it():\n    pass\n")
        written += 1
    for n in range(SCRIPTS):
        targets = [rng.choice(modules) for _ in range(rng.randint(1, 3))]
        body = "\n".join(f"import {x}" for x in targets)
        write(os.path.join(args.out, "scripts", f"run-job-{n}.py"), f"{body}\n")
        written += 1
    print(f"{written} files under {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
