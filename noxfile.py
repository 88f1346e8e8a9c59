"""The oldest supported end of the version range: Colab's preinstalled stack.

    nox -s colab     # about 5 minutes on 2 CPU cores; needs python3.13 on PATH
                     # (with pyenv: PYENV_VERSION=3.13.0 nox -s colab)

`pytest` tests the newest releases; this session tests Colab's stack (Python 3.13,
constraints/colab.txt) as a learner meets it: the packages are there first, then the
notebooks' own setup cell installs the course on top (scripts/replay_colab.py checks that it
replaces none of them), then the unit tests and notebook 01 run, in fast mode, against that
install. .ci/run runs it after `pytest`.
"""

import shutil
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent

nox.options.sessions = ["colab"]
nox.options.error_on_missing_interpreters = True


@nox.session(python="3.13", venv_backend="venv")
def colab(session):
    """Colab's stack, the setup cell's install, then the unit tests and notebook 01."""
    colab_stack = str(ROOT / "constraints" / "colab.txt")
    session.install("-r", colab_stack)  # what Colab has before a notebook runs
    # the test tools, held to Colab's versions of anything they share with it
    session.install("-c", colab_stack, "pytest>=8,<10", "pytest-xdist>=3.8,<4",
                    "nbval>=0.11,<0.12", "ipykernel>=6.25,<8", "nbclient")
    replay = Path(session.create_tmp()).resolve() / "replay"
    shutil.rmtree(replay, ignore_errors=True)
    session.run("python", str(ROOT / "scripts" / "replay_colab.py"), str(replay))
    session.chdir(replay / "tagged" / "gan-course")  # the course as the setup cell installed it
    # the unit tests and notebook 01 under nbval, as `pytest` runs them; not the assignment
    # and website tests, whose tools (otter-grader, Sphinx, Selenium) are no part of a
    # learner's install
    session.run("pytest", "-p", "no:cacheprovider", "tests", "notebooks/01_vanilla_gan.ipynb",
                "--ignore=tests/test_assignments.py", "--ignore=tests/test_site.py",
                env={"GAN_COURSE_FAST": "1"})
