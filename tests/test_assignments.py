"""The assignments grade in both directions (otter-grader, the `teach` extra).

Building them runs otter assign, which runs every master's solutions against all their tests,
public and hidden, and the built student folders must equal the committed ones. Then each
unmodified student notebook is graded: it runs top to bottom and every question fails its check
with the check's own message. Last, one wrong answer gives the expected partial score.
"""

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
STUDENT = ROOT / "assignments" / "student"
NAMES = sorted(p.name for p in STUDENT.iterdir() if p.is_dir())
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}


@pytest.fixture(scope="module")
def autograders(tmp_path_factory):
    """Builds every assignment (solutions checked by otter) and checks the committed student
    files against the build; returns the folder of autograder zips and solution notebooks."""
    out = tmp_path_factory.mktemp("autograder")
    result = subprocess.run([sys.executable, "scripts/build_assignments.py", "--check",
                             "--autograder-dir", str(out)], cwd=ROOT, env=ENV,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def grade(notebook, autograder_zip, workdir):
    """otter run (no container): {question: (score, max score, output)}."""
    workdir.mkdir(parents=True, exist_ok=True)
    for attempt in range(2):  # a second try only when the Jupyter kernel did not start
        result = subprocess.run([sys.executable, "-m", "otter", "run", "-a", str(autograder_zip),
                                 "-o", str(workdir), str(notebook)], env=ENV,
                                capture_output=True, text=True, timeout=300)
        if "Kernel didn't respond" not in result.stderr:
            break
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    tests = json.loads((workdir / "results.json").read_text())["tests"]
    return {t["name"]: (t["score"], t["max_score"], t["output"]) for t in tests if "score" in t}


def test_every_master_passes_its_tests_and_the_student_files_are_up_to_date(autograders):
    assert sorted(p.name.removesuffix("-autograder.zip") for p in autograders.glob("*.zip")) == NAMES
    assert len(NAMES) >= 5


def test_every_unmodified_student_notebook_runs_and_fails_each_check_with_its_message(
        autograders, tmp_path):
    def run(name):
        return name, grade(STUDENT / name / f"{name}.ipynb", autograders / f"{name}-autograder.zip",
                           tmp_path / name)

    with ThreadPoolExecutor(2) as pool:
        graded = dict(pool.map(run, NAMES))
    for name, questions in graded.items():
        public = {p.stem for p in (STUDENT / name / "tests").glob("*.py")}
        assert set(questions) == public, name  # every question graded
        for question, (score, max_score, output) in questions.items():
            assert score == 0 and max_score > 0, (name, question)
            # the first failing case says what is wrong in the check's own words, rather
            # than crashing on the unanswered `...` (later cases may then crash on it)
            first_error = re.search(r"^\s*(\w+Error): (.*)$", output, re.M)
            assert first_error and first_error.group(1) == "AssertionError", (name, question, output[-1500:])
            assert "returned None" in first_error.group(2) or "should return" in first_error.group(2), (
                name, question, first_error.group(2))


def test_one_wrong_answer_gives_the_expected_partial_score(autograders, tmp_path):
    solution = nbformat.read(autograders / "A1_objective-solution.ipynb", as_version=4)
    (cell,) = [c for c in solution.cells if c.source.startswith("def d_loss")]
    assert "tf.reduce_mean(tf.nn.softplus(fake_logits))" in cell.source
    cell.source = cell.source.replace(" + tf.reduce_mean(tf.nn.softplus(fake_logits))", "")
    submission = tmp_path / "A1_objective.ipynb"
    nbformat.write(solution, submission)
    graded = grade(submission, autograders / "A1_objective-autograder.zip", tmp_path / "graded")
    scores = {question: score for question, (score, _, _) in graded.items()}
    # q1's 3 points are split over its 4 cases; without the fake term only the confident-D
    # case (fake logits -20, whose term is ~0) still passes: 3 / 4 points
    assert scores == {"q1_d_loss": 0.75, "q2_g_losses": 2, "q3_optimal_d": 2}
    assert "Did you add the real and fake terms?" in graded["q1_d_loss"][2]
