"""Replay a learner's first cell on Colab, offline: the notebooks' own setup cell installs the
course from a local copy of this repository into an environment that already has Colab's
stack (constraints/colab.txt), and must leave that stack as it was.

    nox -s colab     # runs this inside a Python 3.13 environment with Colab's packages

It runs the setup cell of notebook 01, as committed, with its GitHub URL swapped for a local
bare copy of this repository's HEAD, three times, each in a fresh folder under WORKDIR:
1. the copy has no release tag v<version>: the cell warns in one line and installs main;
2. a copy that cannot be cloned: the cell stops with its clear RuntimeError;
3. the copy has the tag: the cell installs that release, silently. This install stays, in
   WORKDIR/tagged/gan-course, for the tests nox runs next.
After each install, every package that constraints/colab.txt pins must have its version.
"""

import argparse
import importlib.metadata
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "01_vanilla_gan.ipynb"
URL_LINE = re.compile(r'^REPO, VERSION = "(?P<url>[^"]+)", "(?P<version>[^"]+)"', re.M)


def setup_cell(notebook):
    """The source of the notebook's first code cell, and the version it installs."""
    cells = json.loads(notebook.read_text())["cells"]
    source = "".join(next(c for c in cells if c["cell_type"] == "code")["source"])
    match = URL_LINE.search(source)
    if not match:
        sys.exit(f"{notebook.name}: no `REPO, VERSION = ...` line in its setup cell.")
    return source, match["version"]


def pinned_versions():
    """{name: installed version} of every package constraints/colab.txt pins."""
    lines = (ROOT / "constraints" / "colab.txt").read_text().splitlines()
    names = [line.split("==")[0] for line in lines if "==" in line and not line.startswith("#")]
    return {name: importlib.metadata.version(name) for name in names}


def run_cell(source, url, folder):
    """Run the setup cell with REPO = url in a fresh folder, as Colab's kernel would."""
    folder.mkdir(parents=True)
    cell = URL_LINE.sub(lambda m: m[0].replace(m["url"], url), source, count=1)
    return subprocess.run([sys.executable, "-c", cell], cwd=folder, capture_output=True, text=True)


def check(condition, what, done):
    if not condition:
        sys.exit(f"replay_colab: {what}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}")
    print(f"ok: {what}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workdir", type=Path, help="an empty folder for the clones")
    args = parser.parse_args()
    args.workdir = args.workdir.resolve()
    source, version = setup_cell(NOTEBOOK)
    # a reused environment may hold an earlier replay's install: start as a new Colab session
    subprocess.run([sys.executable, "-m", "pip", "uninstall", "-q", "-y", "gan-course"],
                   capture_output=True)
    before = pinned_versions()
    origin = args.workdir / "origin.git"
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    subprocess.run(["git", "clone", "-q", "--bare", str(ROOT), str(origin)], check=True)
    subprocess.run(["git", "-C", str(origin), "update-ref", "refs/heads/main", head], check=True)
    subprocess.run(["git", "-C", str(origin), "tag", "-d", f"v{version}"], capture_output=True)

    done = run_cell(source, origin.as_uri(), args.workdir / "untagged")
    check(done.returncode == 0 and f"no release v{version}" in done.stdout,
          f"without a tag v{version}, the cell warns and installs main", done)
    check(pinned_versions() == before, f"Colab's packages are unchanged: {before}", done)
    subprocess.run([sys.executable, "-m", "pip", "uninstall", "-q", "-y", "gan-course"], check=True)

    done = run_cell(source, (args.workdir / "nowhere.git").as_uri(), args.workdir / "unreachable")
    check(done.returncode != 0 and "RuntimeError" in done.stderr
          and "Check the connection" in done.stderr, "an unreachable repository stops the cell "
          "with a clear RuntimeError", done)

    subprocess.run(["git", "-C", str(origin), "tag", f"v{version}", head], check=True)
    done = run_cell(source, origin.as_uri(), args.workdir / "tagged")
    installed = subprocess.run(["git", "-C", str(args.workdir / "tagged" / "gan-course"),
                                "describe", "--tags"], capture_output=True, text=True).stdout
    check(done.returncode == 0 and "Warning" not in done.stdout and installed.strip() == f"v{version}",
          f"with a tag v{version}, the cell installs that release without a warning", done)
    check(pinned_versions() == before, "Colab's packages are still unchanged", done)
    check(f"TensorFlow {before['tensorflow']} | Keras {before['keras']}" in done.stdout,
          "the installed course runs on Colab's TensorFlow and Keras", done)


if __name__ == "__main__":
    main()
