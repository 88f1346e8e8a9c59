"""pytest runs everything in fast mode: the CI-sized runs of the CLI and every notebook.

The files that take minutes go to the workers first, then the notebooks, then the quick unit
tests, so that no worker is left with a long file at the end while the other idles
(`--no-loadscope-reorder` in pyproject.toml keeps this order; pytest-xdist would otherwise
hand files out by their number of tests)."""

import os

os.environ.setdefault("GAN_COURSE_FAST", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

LONG_FIRST = ("tests/test_assignments.py", "tests/test_cli.py", "tests/test_train.py",
              "tests/test_benchmarks.py", "tests/test_zoo.py")  # README: "The whole test command"


def pytest_collection_modifyitems(config, items):
    def rank(item):
        path = item.nodeid.split("::")[0]
        if path in LONG_FIRST:
            return LONG_FIRST.index(path)
        return len(LONG_FIRST) + (0 if path.startswith("notebooks/") else 1)
    items.sort(key=rank)  # stable: each file's tests keep their order
