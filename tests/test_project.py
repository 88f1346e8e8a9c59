"""The course as a whole: pyproject.toml and environment.yml agree; one repository URL and one
version in every copy."""

import importlib.util
import json
import re
import shutil
import subprocess
import sys
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


# --- One repository URL, one version -------------------------------------------------------

COLAB_BADGE = re.compile(r"colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)/blob/")
SETUP_REPO = re.compile(r'REPO, VERSION = "https://github\.com/([\w.-]+/[\w.-]+)", "([^"]+)"')
PIP_URL = re.compile(r"git\+https://github\.com/([\w.-]+/[\w.-]+)")  # the autograder's install
RAW_URL = re.compile(r"raw\.githubusercontent\.com/([\w.-]+/[\w.-]+)/")  # the result images
FILE_LINK = re.compile(r"https://github\.com/([\w.-]+/[\w.-]+)/(?:blob|tree)/")  # e.g. NOTES.md


def copies_of_the_url(root):
    """{file name: [OWNER/NAME of each badge and setup-cell copy]} in every file that has one."""
    spec = importlib.util.spec_from_file_location("set_repo_url", ROOT / "scripts" / "set_repo_url.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    found = {}
    for path in script.files(root):
        text = path.read_text()
        if path.suffix == ".ipynb":
            text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
        found[str(path.relative_to(root))] = (COLAB_BADGE.findall(text) + PIP_URL.findall(text)
                                              + [m[0] for m in SETUP_REPO.findall(text)]
                                              + RAW_URL.findall(text) + FILE_LINK.findall(text))
    return script, found


def test_every_copy_of_the_repository_url_agrees_with_pyproject():
    script, found = copies_of_the_url(ROOT)
    home = script.repository(ROOT)
    assert {slug for slugs in found.values() for slug in slugs} == {home}
    notebooks = [name for name in found if name.endswith(".ipynb")]
    assert len(notebooks) >= 21  # 11 lessons, the assignment masters and student notebooks
    assert all(found[name] for name in notebooks), "a notebook without a badge or setup cell"
    assert len(found["README.md"]) >= 11  # one Colab badge per lesson
    assert found["assignments/requirements.txt"] == [home]
    lessons = [name for name in notebooks if name.startswith("notebooks/")]
    with_image = [name for name in lessons if RAW_URL.search(
        "".join(json.loads((ROOT / name).read_text())["cells"][0]["source"]))]
    assert len(with_image) >= 9, "the lessons open with their result image by a raw URL"


def test_set_repo_url_moves_every_copy(tmp_path):
    for path in ["pyproject.toml", "README.md", "notebooks", "assignments"]:
        copy = shutil.copytree if (ROOT / path).is_dir() else shutil.copy
        copy(ROOT / path, tmp_path / path)
    script = ROOT / "scripts" / "set_repo_url.py"
    moved = subprocess.run([sys.executable, script, "--root", tmp_path,
                            "https://github.com/someone/gan-fork"], capture_output=True, text=True)
    assert moved.returncode == 0, moved.stderr
    _, found = copies_of_the_url(tmp_path)
    before = sum(map(len, copies_of_the_url(ROOT)[1].values()))
    assert {s for slugs in found.values() for s in slugs} == {"someone/gan-fork"}
    assert sum(map(len, found.values())) == before
    assert 'Repository = "https://github.com/someone/gan-fork"' in (tmp_path / "pyproject.toml").read_text()
    raw = [slug for path in sorted((tmp_path / "notebooks").glob("*.ipynb"))
           for slug in RAW_URL.findall(path.read_text())]
    assert len(raw) >= 9 and set(raw) == {"someone/gan-fork"}, "the result images' raw URLs"
    wrong = subprocess.run([sys.executable, script, "--root", tmp_path, "https://gitlab.com/a/b"],
                           capture_output=True, text=True)
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1
    assert "https://github.com/OWNER/NAME" in wrong.stderr


def test_setup_cells_install_the_course_version_the_notebook_ran_with():
    """Each setup cell clones the tag v<version> of the course it was executed with (kept in
    metadata.gan_course), and that is the package's version."""
    import gan_course
    cells = {}
    for path in sorted(ROOT.glob("notebooks/*.ipynb")):
        nb = json.loads(path.read_text())
        setup = "".join(next(c for c in nb["cells"] if c["cell_type"] == "code")["source"])
        assert SETUP_REPO.findall(setup)[0][1] == nb["metadata"]["gan_course"]["gan_course"] \
            == gan_course.__version__, f"{path.name}: re-execute it, or set VERSION to match"
        cells[setup] = cells.get(setup, []) + [path.name]
    assert len(cells) == 1, f"the lessons' setup cells differ: {list(cells.values())}"
    assignments = sorted(ROOT.glob("assignments/*/*.ipynb")) + sorted(ROOT.glob("assignments/*/*/*.ipynb"))
    versions = {m[1] for p in assignments for c in json.loads(p.read_text())["cells"]
                for m in SETUP_REPO.findall("".join(c["source"]))}
    assert len(assignments) >= 10 and versions == {gan_course.__version__}
