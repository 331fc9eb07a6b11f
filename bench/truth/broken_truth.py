#!/usr/bin/env python3
"""False positives of `blastradius broken`: does every reported import
really fail when run?

For each package, `BR broken --root SRC/<package> --json` (unhandled entries
only: an old binary's `"guarded": true` entries count as handled and are
skipped unless --include-handled) lists the imports it says would fail. Each
is then tried in a fresh interpreter, VENV/bin/python, with cwd = SRC/<package>
and that directory first on sys.path, so the package under analysis is the
one imported (the script checks `<package>.__file__` lies under it):

  * missing-module: import the parent package, then
    `importlib.import_module(module)` must raise ModuleNotFoundError for the
    module (or an ancestor); when it imports, it is a FALSE POSITIVE; when
    the module exists but its own import raises, that is an "other error";
  * missing-name: `importlib.import_module(module)`, then `getattr(module,
    name)` (module `__getattr__` hooks included) and
    `importlib.import_module(module + "." + name)` must both fail; when
    either gives something, it is a FALSE POSITIVE;
  * no `module` (e.g. a relative import climbing above the top-level
    package, or an `import_module` whose package is computed at run time):
    an `import`/`from` statement is executed as written with `__name__` and
    `__package__` of the importing module; a call whose arguments are not
    literals is "not tried".

Django modules that need configured settings are retried after
`settings.configure(...)` and `django.setup()` when the plain try fails for
that reason. A failure to import the parent for another reason (a missing
third-party dependency, a system library) is printed with the exception
type, as an "other error". Each try has a timeout (TIMEOUT, 30 s); JOBS (2)
interpreters run at once. Prints every item with its verdict and a markdown
table; exit 1 when there is a false positive, 2 on a usage or tool error.

Usage: bench/truth/broken_truth.py [--include-handled] [PACKAGE...]
       (default: django flask werkzeug click requests pygments docutils)
Env:   BR   (default <repo>/target/release/blastradius)
       VENV (default <repo>/target/truth-venv; its python runs the tries)
       SRC  (default <repo>/target/truth-src, made by bench/truth/run.sh)
       JOBS (2), TIMEOUT (30)
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from broken_common import PACKAGES, default_paths, entries, run_broken  # noqa: E402

MARK = "@@broken-truth@@ "

# Runs in the fresh interpreter: argv[1] is the JSON job. Prints MARK + a
# JSON verdict: {"verdict": fails|works|other|not-tried, "detail": str}.
CHILD = r'''
import ast, importlib, importlib.util, json, os, sys, traceback, warnings
warnings.simplefilter("ignore")
MARK = "@@broken-truth@@ "
job = json.loads(sys.argv[1])
src = os.path.realpath(job["src"])
sys.path.insert(0, src)

def done(verdict, detail=""):
    sys.stdout.write("\n" + MARK + json.dumps({"verdict": verdict, "detail": detail}) + "\n")
    sys.stdout.flush()
    os._exit(0)

def exc(e):
    return f"{type(e).__module__}.{type(e).__name__}: {e}".replace("builtins.", "")

def missing(e, module):
    """Is ModuleNotFoundError `e` about `module` or one of its ancestors?"""
    return isinstance(e, ModuleNotFoundError) and e.name is not None and (
        e.name == module or module.startswith(e.name + "."))

top = job["package"]
try:
    pkg = importlib.import_module(top)
except Exception as e:
    done("other", "importing " + top + ": " + exc(e))
where = os.path.realpath(getattr(pkg, "__file__", None) or "")
if not where.startswith(src + os.sep):
    done("other", f"{top} imported from {where}, not from {src}")

if job["setup"]:
    try:
        from django.conf import settings
        settings.configure(
            INSTALLED_APPS=[
                "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
                "django.contrib.sessions", "django.contrib.messages",
                "django.contrib.staticfiles", "django.contrib.sites",
                "django.contrib.flatpages", "django.contrib.redirects",
                "django.contrib.sitemaps", "django.contrib.humanize",
                "django.contrib.admindocs", "django.contrib.syndication",
            ],
            DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
            USE_TZ=True,
        )
        import django
        django.setup()
    except Exception as e:
        done("other", "django.setup(): " + exc(e))

module, name, kind = job["module"], job["name"], job["problem"]

if module is None:
    text = job["text"].strip()
    try:
        tree = ast.parse(text)
    except SyntaxError:
        tree = None
    if tree is None or not tree.body or not isinstance(tree.body[0], (ast.Import, ast.ImportFrom)):
        done("not-tried", "no module given and the import is not a plain statement: " + text)
    fm = job["file_module"]
    package = fm if job["file_is_package"] else fm.rpartition(".")[0]
    scope = {"__name__": fm, "__package__": package, "__builtins__": __builtins__}
    try:
        exec(compile(tree, "<import>", "exec"), scope)
    except ImportError as e:
        done("fails", "executed in " + (package or "<top level>") + ": " + exc(e))
    except Exception as e:
        done("other", "executed in " + (package or "<top level>") + ": " + exc(e))
    done("works", "executed in " + (package or "<top level>") + ": no error")

if kind == "missing-module":
    parent = module.rpartition(".")[0]
    if parent:
        try:
            importlib.import_module(parent)
        except Exception as e:
            if missing(e, parent):
                done("fails", "even the parent is missing: " + exc(e))
            done("parent-error", "importing " + parent + ": " + exc(e))
    try:
        spec = importlib.util.find_spec(module)
    except Exception as e:
        spec = None
    try:
        m = importlib.import_module(module)
    except Exception as e:
        if missing(e, module):
            done("fails", exc(e))
        if spec is not None:
            done("other", f"{module} exists ({spec.origin}) but its import raises " + exc(e))
        done("other", exc(e))
    done("works", f"imported {module} from {getattr(m, '__file__', None) or 'no file'}")

# missing-name
try:
    m = importlib.import_module(module)
except Exception as e:
    if missing(e, module):
        done("fails", f"{module} itself is missing: " + exc(e))
    done("parent-error", "importing " + module + ": " + exc(e))
try:
    value = getattr(m, name)
    done("works", f"getattr({module}, {name!r}) gives {type(value).__name__} "
                  f"{getattr(value, '__module__', '') or ''}".rstrip())
except AttributeError:
    pass
except Exception as e:
    done("other", f"getattr({module}, {name!r}): " + exc(e))
try:
    sub = importlib.import_module(module + "." + name)
    done("works", f"{module}.{name} is a submodule ({getattr(sub, '__file__', None)})")
except Exception as e:
    if missing(e, module + "." + name):
        # Cross-check with the statement itself.
        try:
            exec(f"from {module} import {name}", {})
        except ImportError as e2:
            done("fails", exc(e2))
        except Exception as e2:
            done("other", f"from {module} import {name}: " + exc(e2))
        done("works", f"from {module} import {name} succeeds")
    done("other", f"{module}.{name}: " + exc(e))
'''


def try_entry(python, src, package, entry, timeout):
    """(verdict, detail) of one reported entry."""
    job = {
        "src": src, "package": package, "module": entry.module, "name": entry.name,
        "problem": entry.problem, "text": entry.text, "file_module": entry.file_module,
        "file_is_package": entry.file_is_package, "setup": False,
    }
    if entry.problem == "missing-name" and entry.module and not entry.name:
        return "not-tried", "missing-name without a name (could not derive it from the text)"
    attempts = [False, True] if package == "django" else [False]
    verdict, detail = "other", ""
    for setup in attempts:
        job["setup"] = setup
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONWARNINGS="ignore")
        env.pop("PYTHONPATH", None)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        try:
            done = subprocess.run([python, "-c", CHILD, json.dumps(job)], cwd=src, env=env,
                                  capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            verdict, detail = "other", f"timeout after {timeout} s"
            continue
        lines = [l for l in done.stdout.splitlines() if l.startswith(MARK)]
        if not lines:
            tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            verdict, detail = "other", f"interpreter exited {done.returncode}: {tail}"
            continue
        result = json.loads(lines[-1][len(MARK):])
        verdict, detail = result["verdict"], result["detail"]
        needs_setup = any(s in detail for s in (
            "ImproperlyConfigured", "AppRegistryNotReady", "settings are not configured",
            "Apps aren't loaded"))
        if verdict in ("parent-error", "other") and needs_setup and not setup and package == "django":
            continue
        if setup:
            detail += " (after django.setup())"
        break
    return verdict, detail


LABEL = {
    "fails": "fails (true positive)",
    "works": "WORKS (FALSE POSITIVE)",
    "parent-error": "other error",
    "other": "other error",
    "not-tried": "not tried",
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("packages", nargs="*")
    ap.add_argument("--include-handled", action="store_true",
                    help="also try the handled entries (they are expected to fail too)")
    args = ap.parse_args()
    br, venv, src_root = default_paths()
    python = os.path.join(venv, "bin", "python")
    jobs = int(os.environ.get("JOBS", "2"))
    timeout = float(os.environ.get("TIMEOUT", "30"))
    if not os.access(br, os.X_OK):
        print(f"error: no blastradius binary at {br} (set BR)", file=sys.stderr)
        return 2
    if not os.access(python, os.X_OK):
        print(f"error: no interpreter at {python} (set VENV or run bench/truth/run.sh)",
              file=sys.stderr)
        return 2
    packages = args.packages or PACKAGES
    for p in packages:
        if not os.path.isdir(os.path.join(src_root, p, p)):
            print(f"error: {src_root}/{p}/{p} missing (run bench/truth/run.sh)", file=sys.stderr)
            return 2
    started = time.time()
    rows = []
    pool = concurrent.futures.ThreadPoolExecutor(jobs)
    for package in packages:
        src = os.path.join(src_root, package)
        try:
            doc, accepted, _cmd = run_broken(br, src, include_handled=args.include_handled)
        except RuntimeError as e:
            print(f"error: {package}: {e}", file=sys.stderr)
            return 2
        every = entries(doc)
        tried = every if args.include_handled else [e for e in every if e.handled is None]
        skipped = len(every) - len(tried)
        futures = [pool.submit(try_entry, python, src, package, e, timeout) for e in tried]
        results = [f.result() for f in futures]
        print(f"## {package}: {len(tried)} reported" +
              (f" ({skipped} handled entries skipped)" if skipped else "") +
              ("" if accepted or not args.include_handled else
               "; --include-handled rejected by this binary"))
        counts = {"fails": 0, "works": 0, "other": 0, "not-tried": 0}
        for e, (verdict, detail) in zip(tried, results):
            counts["other" if verdict == "parent-error" else verdict] += 1
            target = e.module or "?"
            if e.name:
                target += f" : {e.name}"
            src_of = " (derived from the text)" if e.derived and e.module else ""
            handled = f" [handled: {e.handled}]" if e.handled else ""
            print(f"  {e.where} {e.problem}{handled}: {e.text}")
            print(f"      target {target}{src_of}")
            print(f"      blastradius: {e.reason}")
            print(f"      -> {LABEL[verdict]}: {detail}")
        print()
        rows.append((package, len(tried), counts))
    pool.shutdown()
    print("| package | reported | fail as claimed | false positives | other errors | not tried |")
    print("|---|---:|---:|---:|---:|---:|")
    total = {"n": 0, "fails": 0, "works": 0, "other": 0, "not-tried": 0}
    for package, n, c in rows:
        print(f"| {package} | {n} | {c['fails']} | {c['works']} | {c['other']} | {c['not-tried']} |")
        total["n"] += n
        for k in c:
            total[k] += c[k]
    print(f"| **total** | {total['n']} | {total['fails']} | {total['works']} | "
          f"{total['other']} | {total['not-tried']} |")
    print(f"\n({time.time() - started:.1f} s)")
    return 1 if total["works"] else 0


if __name__ == "__main__":
    sys.exit(main())
