"""The course as a whole: dependencies agree, notebooks are committed executed and teach."""

import json
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def names(requirements):
    return {re.split(r"[<>=!~ \[]", r.strip(), maxsplit=1)[0].lower() for r in requirements}


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = names(project["dependencies"] + project["optional-dependencies"]["dev"])
    pip_block = (ROOT / "environment.yml").read_text().split("- pip:", 1)[1]
    listed = {m.lower() for m in re.findall(r"^\s+- ([A-Za-z][\w.-]*)", pip_block, re.M)}
    assert listed == wanted


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_executed_and_complete(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "re-run it top to bottom (notebooks/README.md)"
    text = json.dumps(nb)
    assert not re.search(r"/(work|root|home|tmp)/[A-Za-z]", text), "absolute machine path"
    assert "colab.research.google.com" in text and "GAN_COURSE_FAST" in text
    markdown = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "Summary" in markdown and "Exercises" in markdown
