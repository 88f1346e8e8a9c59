"""Build the student notebooks and the autograders from the assignment masters (otter-grader).

    python scripts/build_assignments.py              # every master in assignments/masters/
    python scripts/build_assignments.py A1_objective  # one
    python scripts/build_assignments.py --check      # fail if the committed student files are stale

For each master `assignments/masters/NAME.ipynb`, `otter assign` runs the solutions against all
their tests (public and hidden; it stops on a failure), then writes:
- `assignments/student/NAME/`: the notebook to hand out and its public tests (committed);
- `assignments/autograder/NAME-autograder.zip`: what grades a submission, hidden tests included,
  and `NAME-solution.ipynb` (not committed: build them). Grade a submission with
  `otter run -a assignments/autograder/NAME-autograder.zip submission.ipynb`.
Needs the teaching extra: pip install -e ".[teach]".
"""

import argparse
import contextlib
import functools
import io
import json
import os
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MASTERS = ROOT / "assignments" / "masters"
STUDENT = ROOT / "assignments" / "student"
AUTOGRADER = ROOT / "assignments" / "autograder"


def otter_assign(master, out, run_tests=True):
    """Run otter assign on one master into `out` (with run_tests, the solutions against all their
    checks), in this process; raises with the cause (e.g. NoSuchKernel when no Jupyter kernel is
    installed) and the tail of otter's output."""
    from otter.assign import main as assign  # imported once per build process: seconds each
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # for the kernel that runs the checks
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            assign(str(master), str(out), no_run_tests=not run_tests)
    except Exception as error:  # otter's own (which names the failed checks), or the kernel's
        raise RuntimeError(f"otter assign {master.name} failed: {type(error).__name__}: "
                           f"{str(error).strip()[:3000]}\n{output.getvalue()[-3000:]}") from None
    if "Test case failed" in output.getvalue():
        raise RuntimeError(f"otter assign {master.name} failed: a check failed on the solutions\n"
                           f"{output.getvalue()[-4000:]}")


def comparable(directory):
    """{relative path: content} of a student folder; notebooks as (cell type, source) lists,
    so that cell ids and execution metadata do not count."""
    files = {}
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        key = str(path.relative_to(directory))
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text())["cells"]
            files[key] = [(c["cell_type"], "".join(c["source"])) for c in cells]
        else:
            files[key] = path.read_text()
    return files


def build(name, check=False, autograder=AUTOGRADER, run_tests=True):
    """Build one assignment: its autograder zip into `autograder`, and its student folder, or
    with check, compare that with the committed one. Returns the stale files (empty when
    up to date)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dist"
        otter_assign(MASTERS / f"{name}.ipynb", out, run_tests)
        autograder.mkdir(parents=True, exist_ok=True)
        (zip_path,) = (out / "autograder").glob("*.zip")
        shutil.copyfile(zip_path, autograder / f"{name}-autograder.zip")
        shutil.copyfile(out / "autograder" / f"{name}.ipynb", autograder / f"{name}-solution.ipynb")
        student = STUDENT / name
        if check:
            built, committed = comparable(out / "student"), comparable(student) if student.exists() else {}
            return [f"{name}/{key}" for key in sorted(set(built) | set(committed))
                    if built.get(key) != committed.get(key)]
        shutil.rmtree(student, ignore_errors=True)
        shutil.copytree(out / "student", student)
        return []


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="assignment names (default: every master)")
    parser.add_argument("--check", action="store_true",
                        help="do not write the student files; fail if the committed ones are stale")
    parser.add_argument("--autograder-dir", type=Path, default=AUTOGRADER,
                        help=f"where the autograder zips and solution notebooks go (default: {AUTOGRADER})")
    parser.add_argument("--jobs", type=int, default=2, help="assignments built at once")
    parser.add_argument("--no-run-tests", dest="run_tests", action="store_false",
                        help="do not run the solutions against their checks (tests/test_assignments.py "
                             "grades them in-process instead, and saves the time)")
    args = parser.parse_args(argv)
    names = args.names or sorted(p.stem for p in MASTERS.glob("*.ipynb"))
    # processes, since otter assign changes the working directory; each imports otter once
    with ProcessPoolExecutor(args.jobs) as pool:
        one = functools.partial(build, check=args.check, autograder=args.autograder_dir,
                                run_tests=args.run_tests)
        try:
            stale = [diff for diffs in pool.map(one, names) for diff in diffs]
        except RuntimeError as error:
            sys.exit(str(error))
    for name in names:
        print(f"{name}: {'checked' if args.check else 'built'}")
    if stale:
        sys.exit("stale student files (run python scripts/build_assignments.py): " + ", ".join(stale))


if __name__ == "__main__":
    main()
