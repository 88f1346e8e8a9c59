"""The assignments grade in both directions (otter-grader, the `teach` extra).

Building them runs otter assign on every master, and the built student folders must equal the
committed ones. The solutions, and every answer in tests/assignment_answers.py, are graded
in-process against their question's checks, public and hidden: the solutions and each right
answer score full marks, each wrong one loses points, and each answer scores the same on the
test files of the built autograder (run by otter's own test-file classes). Each unmodified
student notebook fails every question with its check's own message (in-process, with otter's
test files). Last, with `otter run` as an instructor grades, a submission with a wrong answer to
its last question and right-but-different answers to the others gets the expected score: for
A1 and A9, the first assignment and the one whose given cells train with the answers (each
`otter run` starts a kernel that imports TensorFlow and otter: all nine took 173 s of a worker).
"""

import functools
import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
import yaml
from otter.test_files import ExceptionTestFile

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assignment_answers import ANSWERS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MASTERS = ROOT / "assignments" / "masters"
STUDENT = ROOT / "assignments" / "student"
NAMES = sorted(p.name for p in STUDENT.iterdir() if p.is_dir())
SETUP = "# Setup: installs the course and its grader"
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}


@pytest.fixture(scope="module")
def autograders(tmp_path_factory):
    """Builds every assignment and checks the committed student files against the build; returns
    the folder of autograder zips and solution notebooks. The solutions are graded in-process
    (test_the_solutions_score_full_marks), which is faster than otter's run of them."""
    out = tmp_path_factory.mktemp("autograder")
    result = subprocess.run([sys.executable, "scripts/build_assignments.py", "--check", "--no-run-tests",
                             "--autograder-dir", str(out)], cwd=ROOT, env=ENV,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for name in NAMES:  # OUT/NAME/tests/QUESTION.py: the checks each autograder runs
        with zipfile.ZipFile(out / f"{name}-autograder.zip") as archive:
            tests = [n for n in archive.namelist() if n.startswith("tests/")]
            archive.extractall(out / name, tests)
    return out


@functools.cache
def master_questions(name):
    """A master's code as (context, questions): context holds the code cells outside the tests,
    solutions included, in order (the setup cell reduced to its TensorFlow import); questions
    maps each question to (points, [test cell sources], [given cells], its first solution cell):
    the given cells are the question's code that is neither solution nor test (A9's training
    run), which uses the answer."""
    context, questions, question, part = [], {}, None, None
    for cell in nbformat.read(MASTERS / f"{name}.ipynb", as_version=4).cells:
        if cell.cell_type == "raw":
            marker = cell.source.split("\n")[0]
            if marker == "# BEGIN QUESTION":
                config = yaml.safe_load(cell.source)
                question = config["name"]
                questions[question] = [config["points"], [], [], None]
            part = {"# BEGIN TESTS": "tests", "# BEGIN SOLUTION": "solution"}.get(marker, (
                None if marker in ("# END TESTS", "# END SOLUTION", "# END QUESTION") else part))
            question = None if marker == "# END QUESTION" else question
        elif cell.cell_type == "code" and part == "tests":
            questions[question][1].append(cell.source)
        elif cell.cell_type == "code":
            context.append("from gan_course.notebook import import_tensorflow\ntf = import_tensorflow()"
                           if cell.source.startswith(SETUP) else cell.source)
            if question and part is None:
                questions[question][2].append(cell.source)
            if question and part == "solution" and questions[question][3] is None:
                questions[question][3] = cell.source
    return context, questions


@functools.cache
def solved(name):
    """The globals of a master run top to bottom, tests left out."""
    namespace = {}
    for source in master_questions(name)[0]:
        exec(source, namespace)
    return namespace


def answered(name, question, answer):
    """The globals of the master with `answer` run after the solutions, then the question's
    given cells."""
    namespace = dict(solved(name))
    exec(answer, namespace)
    for source in master_questions(name)[1][question][2]:
        exec(source, namespace)
    return namespace


def grade_in_process(name, question, answer):
    """(score, points, [failures]) of `answer` on the question's public and hidden checks."""
    return grade_answered(name, question, answered(name, question, answer))


def grade_answered(name, question, namespace):
    """(score, points, [failures]) of the master's checks of `question`, each run on a copy of
    `namespace`; each check weighs the same, as in otter."""
    points, checks, _, _ = master_questions(name)[1][question]
    failures = []
    for source in checks:
        try:
            exec(source, dict(namespace))
        except Exception as error:  # a check fails on any exception, as in otter
            failures.append(error)
    return points * (len(checks) - len(failures)) / len(checks), points, failures


ANSWER_CASES = [(name, question, kind, label) for name, questions in ANSWERS.items()
                for question, kinds in questions.items() for kind in ("wrong", "right")
                for label in kinds[kind]]


def test_every_question_has_wrong_and_right_answers_listed():
    for name in NAMES:
        assert name in ANSWERS, name
        assert set(ANSWERS[name]) == set(master_questions(name)[1]), name
        for question, kinds in ANSWERS[name].items():
            assert kinds["wrong"] and kinds["right"], (name, question)


@pytest.mark.parametrize("name, question, kind, label", ANSWER_CASES,
                         ids=[f"{n}-{q}-{k}-{lab}" for n, q, k, lab in ANSWER_CASES])
def test_wrong_answers_lose_points_and_right_ones_score_full_marks(name, question, kind, label,
                                                                   autograders):
    namespace = answered(name, question, ANSWERS[name][question][kind][label])
    score, points, failures = grade_answered(name, question, namespace)
    if kind == "right":
        assert score == points, failures
    else:
        assert score < points, "this wrong answer passes every check"
        silent = [e for e in failures if isinstance(e, AssertionError) and not str(e)]
        assert not silent, "a check that fails it has no message"
    built = ExceptionTestFile.from_file(str(autograders / name / "tests" / f"{question}.py"))
    built.run(dict(namespace))  # what the autograder runs, public and hidden checks together
    assert (built.score, built.possible) == pytest.approx((score, points))


def test_the_solutions_score_full_marks():
    for name in NAMES:
        for question in master_questions(name)[1]:
            score, points, failures = grade_in_process(name, question, "")
            assert score == points, (name, question, failures)


def test_each_notebook_states_its_points_and_hidden_checks():
    """The intro's grading paragraph gives each question's points and hidden checks, as built."""
    for name in NAMES:
        intro = nbformat.read(MASTERS / f"{name}.ipynb", as_version=4).cells[1].source
        stated = re.findall(r"Q\d+ \((\d+) points, (\d+) of (\d+) checks hidden\)", " ".join(intro.split()))
        actual = [(str(points), str(sum("hidden: true" in c for c in checks)), str(len(checks)))
                  for points, checks, _, _ in master_questions(name)[1].values()]
        assert stated == actual, name
        student = nbformat.read(STUDENT / name / f"{name}.ipynb", as_version=4).cells
        assert student[-2].source.startswith("# Save your notebook first"), name  # otter's export cell
        assert sum("_Points:_" in c.source for c in student) == len(actual), name


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


def test_every_master_builds_and_the_student_files_are_up_to_date(autograders):
    assert sorted(p.name.removesuffix("-autograder.zip") for p in autograders.glob("*.zip")) == NAMES
    assert len(NAMES) >= 8


def test_the_autograder_image_installs_the_course_from_its_repository(autograders):
    """otter grade's Docker image installs what the checks import: the course (from the
    repository that pyproject.toml names) and SciPy, listed in assignments/requirements.txt."""
    repository = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
    for name in NAMES:
        with zipfile.ZipFile(autograders / f"{name}-autograder.zip") as archive:
            environment = archive.read("environment.yml").decode()
        assert f"gan-course @ git+{repository}" in environment and "scipy" in environment, name


def test_every_unmodified_student_notebook_fails_each_check_with_its_message():
    """Each student notebook's code, run in-process with its `...` left in, fails every public
    check file (loaded and run by otter, as grader.check does) with the check's own message."""
    for name in NAMES:
        namespace = {}
        for cell in nbformat.read(STUDENT / name / f"{name}.ipynb", as_version=4).cells:
            if cell.cell_type == "code" and "grader." not in cell.source:
                exec("from gan_course.notebook import import_tensorflow\ntf = import_tensorflow()"
                     if cell.source.startswith(SETUP) else cell.source, namespace)
        for path in sorted((STUDENT / name / "tests").glob("*.py")):
            checks = ExceptionTestFile.from_file(str(path))
            checks.run(namespace)
            output = checks.summary()  # what grader.check prints
            assert checks.score == 0, (name, path.stem)
            # the first failing case says what is wrong in the check's own words, rather than
            # crashing on the unanswered `...`, and in a few lines (no doctest transcript)
            first_error = re.search(r"^\s*(\w+Error): (.*)$", output, re.M)
            assert first_error and first_error.group(1) == "AssertionError", (name, path.stem, output[-1500:])
            assert ">>>" not in output, (name, path.stem)


OTTER_RUN = ("A1_objective", "A9_train_a_gan")


def test_a_submission_with_one_wrong_answer_gets_the_expected_score(autograders, tmp_path):
    """For each of OTTER_RUN, the solution notebook with its last question answered wrongly (later
    questions may build on earlier ones) and every other question in a right but different way,
    each answer in a cell right after the question's solution (its first code cell), so that the
    question's given cells (A9's training) use it: otter run takes points from the last question
    only, as the in-process grading of the same answer does."""
    def run(name):
        *others, last = ANSWERS[name]
        answers = {last: next(iter(ANSWERS[name][last]["wrong"].values()))}
        answers.update((q, next(iter(ANSWERS[name][q]["right"].values()))) for q in others)
        submission = nbformat.read(autograders / f"{name}-solution.ipynb", as_version=4)
        for question, answer in answers.items():
            first_line = master_questions(name)[1][question][3].split("\n")[0]
            (solution,) = [i for i, c in enumerate(submission.cells) if c.source.startswith(first_line)]
            submission.cells.insert(solution + 1, nbformat.v4.new_code_cell(answer))
        path = tmp_path / name / f"{name}.ipynb"
        path.parent.mkdir()
        nbformat.write(submission, path)
        return name, grade(path, autograders / f"{name}-autograder.zip", tmp_path / name / "graded")

    with ThreadPoolExecutor(2) as pool:
        graded = dict(pool.map(run, OTTER_RUN))
    for name, questions in graded.items():
        *others, last = ANSWERS[name]
        expected_last = grade_in_process(name, last, next(iter(ANSWERS[name][last]["wrong"].values())))[0]
        scores = {q: (score, max_score) for q, (score, max_score, _) in questions.items()}
        assert expected_last < scores[last][1], name
        assert scores[last][0] == pytest.approx(expected_last), (name, scores)
        assert all(scores[q][0] == scores[q][1] for q in others), (name, scores)
