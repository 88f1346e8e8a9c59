"""Execute course notebooks top to bottom and write them back with their outputs.

    python scripts/execute_notebooks.py notebooks/03_*.ipynb          # full mode (committed)
    python scripts/execute_notebooks.py --fast notebooks/01_*.ipynb   # the CI-sized run

Full mode unsets GAN_COURSE_FAST, as a learner's run does. TensorFlow's C++ log lines are
silenced before the kernel starts and any that remain are stripped from the outputs. The
notebook metadata records the mode, the package and library versions, the machine and the
wall time (`metadata.gan_course`), and asks Colab for a GPU runtime. The setup cell's VERSION
is set to the course version that runs it, so that on Colab it installs that release.
"""

import argparse
import datetime
import os
import re
import sys
import time
from importlib.metadata import version
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

SETUP_VERSION = re.compile(r'^(REPO, VERSION = "[^"]+", )"[^"]*"', re.M)
TF_NOISE = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\).*"
                      r"|[IWEF]\d{4} \d\d:\d\d:[\d.]+ +\d+ [\w.]+:\d+\].*)$")


def strip_tf_noise(nb):
    """Drop TensorFlow's C++ log lines from stderr outputs; returns how many were dropped."""
    dropped = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.outputs:
            if out.output_type == "stream" and out.name == "stderr":
                lines = out.text.splitlines(keepends=True)
                clean = [line for line in lines if not TF_NOISE.match(line.rstrip("\n"))]
                dropped += len(lines) - len(clean)
                if not "".join(clean).strip():
                    continue
                out.text = "".join(clean)
            kept.append(out)
        cell.outputs = kept
    return dropped


def stamp_version(nb, course_version):
    """Set VERSION in the setup cell (the first code cell) to the course version that runs it."""
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.source, found = SETUP_VERSION.subn(rf'\1"{course_version}"', cell.source, count=1)
    if not found:
        raise ValueError("the first code cell is not the course's setup cell (no `REPO, VERSION = ...`)")


def machine():
    """'N CPU cores' plus the GPU's name when nvidia-smi sees one."""
    cores = f"{os.cpu_count()} CPU cores"
    gpu = os.popen("nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null").read().strip()
    return f"{cores}, GPU {gpu}" if gpu else cores


def execute(path, fast, timeout):
    nb = nbformat.read(path, as_version=4)
    stamp_version(nb, version("gan-course"))
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    seconds = time.perf_counter() - start
    dropped = strip_tf_noise(nb)
    nb.metadata["accelerator"] = "GPU"  # Colab opens it on a GPU runtime
    nb.metadata["gan_course"] = {
        "mode": "fast" if fast else "full",
        "gan_course": version("gan-course"),
        "tensorflow": version("tensorflow"),
        "keras": version("keras"),
        "machine": machine(),
        "wall_seconds": round(seconds),
        "executed": datetime.date.today().isoformat(),
    }
    nbformat.write(nb, path)
    print(f"{path}: {'fast' if fast else 'full'} mode, {seconds:.0f} s"
          + (f", {dropped} TensorFlow log lines stripped" if dropped else ""), flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--fast", action="store_true", help="the CI-sized run (GAN_COURSE_FAST=1)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    args = parser.parse_args(argv)
    os.environ.pop("GAN_COURSE_FAST", None)
    if args.fast:
        os.environ["GAN_COURSE_FAST"] = "1"
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    # the kernel finds this environment's programs (e.g. notebook 02's %tensorboard), as in an
    # activated virtual environment
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    failed = []
    for path in args.notebooks:
        try:
            execute(path, args.fast, args.timeout)
        except CellExecutionError as err:
            print(f"{path}: a cell failed; the notebook was not written.\n{err}", file=sys.stderr)
            failed.append(path)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
