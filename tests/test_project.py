"""The course as a whole: pyproject.toml and environment.yml agree."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def pinned(requirements):
    """name -> version specifier, e.g. {'keras': '<4,>=3.0'}."""
    parsed = [Requirement(r) for r in requirements]
    return {r.name.lower(): str(r.specifier) for r in parsed}


def test_environment_yml_pins_the_same_versions_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = pinned(project["dependencies"] + project["optional-dependencies"]["dev"])
    pip_block = (ROOT / "environment.yml").read_text().split("- pip:", 1)[1]
    listed = pinned(m for m in re.findall(r"^\s+- ([A-Za-z][^\s#]*)", pip_block, re.M))
    assert listed == wanted


def test_the_gpu_extra_pins_the_same_tensorflow():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    gpu = [Requirement(r) for r in project["optional-dependencies"]["gpu"]]
    assert [(r.name, r.extras) for r in gpu] == [("tensorflow", {"and-cuda"})]
    assert str(gpu[0].specifier) == pinned(project["dependencies"])["tensorflow"]
