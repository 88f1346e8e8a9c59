"""The course as a whole: pyproject.toml and environment.yml agree."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def names(requirements):
    return {re.split(r"[<>=!~ \[]", r.strip(), maxsplit=1)[0].lower() for r in requirements}


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = names(project["dependencies"] + project["optional-dependencies"]["dev"])
    pip_block = (ROOT / "environment.yml").read_text().split("- pip:", 1)[1]
    listed = {m.lower() for m in re.findall(r"^\s+- ([A-Za-z][\w.-]*)", pip_block, re.M)}
    assert listed == wanted
