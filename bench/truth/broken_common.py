"""Shared by broken_recall.py and broken_truth.py: runs `blastradius broken
--json` and turns each reported import into one normalised entry.

The JSON contract (version 2) is `{"files": [{"path", "module", "imports":
[{"line", "problem", "import", "reason", "handled", "module", "name"}]}]}`,
where `handled` is null or the context that handles the failure and the
import's `module`/`name` say what is missing (for missing-module the absolute
module that does not exist, for missing-name the existing module that lacks
`name`). Older binaries print `"guarded": bool` instead of `handled` and
have no per-import `module`/`name`: then `guarded: true` counts as handled
("try-except") and the target is derived from the import's source text
(`import X`, `from X import Y`, `importlib.import_module("X")` and the like),
relative forms resolved against the importing file.

Not a script: the two scripts import it from their own directory.
"""

import ast
import os
import re
import subprocess
from dataclasses import dataclass
from typing import Optional


def repo_root():
    """The repository: two levels above this file (bench/truth/)."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def default_paths():
    """(BR, VENV, SRC) from the environment, defaulting under the repo."""
    repo = repo_root()
    br = os.environ.get("BR") or os.path.join(repo, "target", "release", "blastradius")
    venv = os.environ.get("VENV") or os.path.join(repo, "target", "truth-venv")
    src = os.environ.get("SRC") or os.path.join(repo, "target", "truth-src")
    return os.path.abspath(br), os.path.abspath(venv), os.path.abspath(src)


PACKAGES = ["django", "flask", "werkzeug", "click", "requests", "pygments", "docutils"]


# ---------------------------------------------------------------- modules


def module_of_path(rel):
    """(dotted module, is_package) of a root-relative `.py` path."""
    parts = rel.replace(os.sep, "/").split("/")
    if parts[-1].endswith(".py"):
        parts[-1] = parts[-1][:-3]
    elif parts[-1].endswith(".pyi"):
        parts[-1] = parts[-1][:-4]
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def package_of(module, is_package):
    """The package relative imports in `module` resolve against."""
    return module if is_package else module.rpartition(".")[0]


def resolve_relative(level, name, package):
    """Absolute name of `from <level dots><name> import ...` in `package`;
    None when the dots climb above the top-level package."""
    if level == 0:
        return name or None
    parts = package.split(".") if package else []
    if not parts or level - 1 >= len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    if name:
        base = base + name.split(".")
    return ".".join(base) or None


def resolve_import_module_arg(name, package):
    """importlib.import_module(name, package) resolution, both strings
    (package may be None); None when it cannot be resolved."""
    if not name.startswith("."):
        return name
    if not package:
        return None
    level = len(name) - len(name.lstrip("."))
    return resolve_relative(level, name[level:], package)


# Calls that import the module named by their first (string) argument.
IMPORT_CALLS = {"import_module", "__import__", "importorskip"}


def call_name(func):
    """`importlib.import_module` -> "import_module", `__import__` ->
    "__import__"; None for other callees."""
    if isinstance(func, ast.Name):
        return func.id if func.id in IMPORT_CALLS else None
    if isinstance(func, ast.Attribute):
        return func.attr if func.attr in IMPORT_CALLS else None
    return None


def str_const(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def call_target(call):
    """(kind, absolute module or None, relative-with-unknown-package flag)
    for an import call; None when `call` is not one."""
    kind = call_name(call.func)
    if kind is None or not call.args:
        return None
    name = str_const(call.args[0])
    if name is None:
        return None
    package = None
    if kind == "import_module":
        if len(call.args) > 1:
            package = str_const(call.args[1])
            if package is None and name.startswith("."):
                return kind, None, True
        for kw in call.keywords:
            if kw.arg == "package":
                package = str_const(kw.value)
                if package is None and name.startswith("."):
                    return kind, None, True
    if name.startswith("."):
        if kind != "import_module":
            return kind, None, True
        return kind, resolve_import_module_arg(name, package), package is None
    return kind, name, False


# ---------------------------------------------------------------- running


def run_broken(br, root, include_handled, extra=()):
    """Run `br broken --root ROOT --json [--include-handled]`; returns
    (parsed JSON, whether --include-handled was accepted, command line).
    Exit 0 and 1 are success (1 = something is broken)."""
    import json

    base = [br, "broken", "--root", root, "--json", "--no-cache", "-q", *extra]
    cmd = base + (["--include-handled"] if include_handled else [])
    done = subprocess.run(cmd, capture_output=True, text=True)
    accepted = include_handled
    if include_handled and done.returncode == 2 and "include-handled" in done.stderr:
        cmd = base
        done = subprocess.run(cmd, capture_output=True, text=True)
        accepted = False
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout), accepted, cmd


# ---------------------------------------------------------------- entries


@dataclass
class Entry:
    path: str  # root-relative, '/' separated
    file_module: str
    file_is_package: bool
    line: int
    problem: str  # missing-module | missing-name
    text: str  # the import's source text
    reason: str
    handled: Optional[str]  # None, or the handling context
    module: Optional[str]  # see the module docstring
    name: Optional[str]
    derived: bool  # module/name derived from the text (old binary)
    new_contract: bool  # the binary printed `handled` (not `guarded`)

    @property
    def where(self):
        return f"{self.path}:{self.line}"


def _mentioned(word, reason):
    return re.search(r"(?<![\w.])" + re.escape(word) + r"(?![\w])", reason or "") is not None


def derive_target(text, problem, reason, file_module, is_package):
    """(module, name) from an import's source text, as the new contract
    would give them; (None, None) when it cannot be told statically."""
    try:
        tree = ast.parse(text.strip())
        node = tree.body[0] if tree.body else None
    except SyntaxError:
        node = None
        # A wrapped `from x import (a,` line, say: retry on the first line.
        first = text.strip().splitlines()[0] if text.strip() else ""
        m = re.match(r"\s*from\s+(\.*)([\w.]*)\s+import\s+\(?\s*([\w]+)", first)
        if m:
            node = ast.ImportFrom(module=m.group(2) or None, names=[ast.alias(name=m.group(3))],
                                  level=len(m.group(1)))
    if node is None:
        return None, None
    package = package_of(file_module, is_package)
    if isinstance(node, ast.ImportFrom):
        base = resolve_relative(node.level, node.module, package)
        if base is None:
            return None, None
        names = [a.name for a in node.names if a.name != "*"]
        named = [n for n in names if _mentioned(n, reason)]
        name = (named or names or [None])[0]
        if problem == "missing-name":
            return base, name
        # missing-module: the base, unless the reason names the submodule.
        if name and _mentioned(f"{base}.{name}", reason):
            return f"{base}.{name}", None
        return base, None
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
        named = [n for n in names if _mentioned(n, reason)]
        return (named or names)[0], None
    if isinstance(node, ast.Expr):
        node = node.value
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            found = call_target(sub)
            if found is not None:
                return found[1], None
    return None, None


def entries(doc):
    """Every reported import of a `broken --json` document, normalised."""
    out = []
    for f in doc.get("files", []):
        path = f["path"].replace(os.sep, "/")
        file_module, is_package = module_of_path(path)
        if f.get("module"):
            file_module = f["module"]
        for imp in f.get("imports", []):
            new = "handled" in imp
            if new:
                handled = imp["handled"] or None
            else:
                handled = "try-except" if imp.get("guarded") else None
            if "module" in imp:
                module, name, derived = imp.get("module"), imp.get("name"), False
            else:
                module, name = derive_target(imp.get("import", ""), imp.get("problem"),
                                             imp.get("reason", ""), file_module, is_package)
                derived = True
            out.append(Entry(path=path, file_module=file_module, file_is_package=is_package,
                             line=int(imp.get("line", 0)), problem=imp.get("problem", ""),
                             text=imp.get("import", ""), reason=imp.get("reason", ""),
                             handled=handled, module=module, name=name, derived=derived,
                             new_contract=new))
    return out
