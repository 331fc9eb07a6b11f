"""What `import M` really executes, for every module M of one package.

Run with the truth virtualenv's interpreter. For each module of PACKAGE
(found under SOURCE_DIR/PACKAGE, the same files blastradius analyses) a
fresh interpreter imports it while an audit hook records every file that
starts executing as module code (the `exec` event of the import system),
so a module that fails halfway through its own import still counts as
executed. Modules already executed before `import M` (interpreter start-up,
Django's `settings.configure()`, and for the Django modules that fail
without it, the `django.setup()` that models need) are recorded per module
as `preloaded` and left out of both sides of the comparison for that
module. Each Django module is first imported without `django.setup()`, so
that as few modules as possible are preloaded; only when that fails is it
imported again after `django.setup()`.

Usage: probe.py PACKAGE SOURCE_DIR OUT.json [--jobs N] [--timeout S]
Output: {"package", "modules": {M: {"ok", "error", "setup", "executed":
[X, ...], "preloaded": [X, ...]}}}, every list sorted.
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys

# The code each fresh interpreter runs: argv = [package, module, package_dir,
# setup], setup "1" for django.setup() before the import.
CHILD = r"""
import importlib, json, os, sys
package, module, package_dir, setup = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
prefix = os.path.realpath(package_dir) + os.sep
executed = []

def module_name(filename):
    path = os.path.realpath(filename)
    if not path.startswith(prefix) or not path.endswith(".py"):
        return None
    rel = path[len(prefix):-3].split(os.sep)
    if rel[-1] == "__init__":
        rel = rel[:-1]
    return ".".join([package] + rel)

def hook(event, args):
    if event == "exec" and args and hasattr(args[0], "co_filename"):
        name = module_name(args[0].co_filename)
        if name is not None and args[0].co_name == "<module>":
            executed.append(name)

if package == "django":
    import django
    from django.conf import settings
    settings.configure(
        INSTALLED_APPS=[
            "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
            "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
            "django.contrib.sites", "django.contrib.flatpages", "django.contrib.redirects",
            "django.contrib.sitemaps", "django.contrib.humanize", "django.contrib.admindocs",
            "django.contrib.syndication",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        USE_TZ=True,
        SECRET_KEY="truth",
    )
    if setup:
        django.setup()
preloaded = sorted({n for n in sys.modules if n == package or n.startswith(package + ".")})
sys.addaudithook(hook)
ok, error = True, None
try:
    importlib.import_module(module)
except BaseException as exc:  # SystemExit and friends count as failures too
    ok, error = False, f"{type(exc).__name__}: {exc}"[:300]
seen = set(preloaded)
out = []
for name in executed:
    if name != module and name not in seen:
        seen.add(name)
        out.append(name)
print(json.dumps({"ok": ok, "error": error, "executed": sorted(out), "preloaded": preloaded}))
"""


def modules_of(package, source_dir):
    """Every importable module name under SOURCE_DIR/PACKAGE, sorted."""
    root = os.path.join(source_dir, package)
    names = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d.isidentifier())
        rel = os.path.relpath(dirpath, source_dir).split(os.sep)
        # Namespace portions (no __init__.py) run no code of their own; only
        # files are probed.
        for f in filenames:
            if not f.endswith(".py"):
                continue
            stem = f[:-3]
            if stem == "__init__":
                names.append(".".join(rel))
            elif stem.isidentifier():
                names.append(".".join(rel + [stem]))
    return sorted(set(names))


def probe(package, module, package_dir, timeout):
    """One module; for Django, again after django.setup() when it fails
    without."""
    first = probe_once(package, module, package_dir, timeout, False)
    first["setup"] = False
    if first["ok"] or package != "django":
        return first
    second = probe_once(package, module, package_dir, timeout, True)
    second["setup"] = True
    return second


def probe_once(package, module, package_dir, timeout, setup):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONWARNINGS="ignore")
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, package, module, package_dir, "1" if setup else "0"],
            capture_output=True, text=True, timeout=timeout, env=env,
            cwd="/tmp", stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"timeout after {timeout} s", "executed": [], "preloaded": []}
    lines = [l for l in done.stdout.splitlines() if l.startswith("{")]
    if not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"ok": False, "error": f"interpreter exited {done.returncode}: {tail[:300]}",
                "executed": [], "preloaded": []}
    return json.loads(lines[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("package")
    parser.add_argument("source_dir")
    parser.add_argument("out")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    # The interpreter imports the installed copy; its files are the package
    # directory the audit hook maps back to module names.
    found = subprocess.run(
        [sys.executable, "-c", f"import os, {args.package} as p; print(os.path.dirname(p.__file__))"],
        capture_output=True, text=True, check=True, cwd="/tmp",
    )
    package_dir = found.stdout.strip()
    names = modules_of(args.package, args.source_dir)
    results = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(probe, args.package, m, package_dir, args.timeout): m for m in names}
        for future in concurrent.futures.as_completed(futures):
            results[futures[future]] = future.result()
    with open(args.out, "w") as f:
        json.dump({"package": args.package, "modules": dict(sorted(results.items()))},
                  f, indent=1, sort_keys=True)
    failed = sum(1 for r in results.values() if not r["ok"])
    print(f"{args.package}: {len(names)} modules, {failed} failed to import", file=sys.stderr)


if __name__ == "__main__":
    main()
