"""The benchmark scripts still run (tiny sizes); their figures are for the README, not CI."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_train_step_benchmark_prints_rates_and_ratios_for_both_course_steps():
    result = subprocess.run(
        [sys.executable, "benchmarks/train_step.py", "--models", "mlp", "--jit", "off",
         "--batch-size", "32", "--steps", "2", "--repeats", "1", "--warmup", "1"],
        cwd=ROOT, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}, capture_output=True,
        text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    row = re.search(r"^mlp\s+off\s+(\d+)\s+(\d+)\s+([\d.]+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+"
                    r"([\d.]+)%$", result.stdout, re.M)
    assert row, result.stdout
    reference, default, ratio, same_work, same_work_ratio = map(float, row.groups()[:5])
    assert min(reference, default, same_work) > 0
    assert abs(ratio - default / reference) < 0.011
    assert abs(same_work_ratio - same_work / reference) < 0.011
    assert float(row.group(6)) > 0  # MFLOP per image


@pytest.mark.parametrize("variant", [["--ema", "0.9"], ["--conditional", "--loss", "hinge"]])
def test_recipe_search_trains_for_its_budget_and_scores_the_samples(variant):
    result = subprocess.run(
        [sys.executable, "benchmarks/try_recipe.py", "--seconds", "2", "--subset", "512",
         "--samples", "500", *variant], cwd=ROOT, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = re.findall(r"score ([\d.]+)  FD ([\d.]+)  class KL ([\d.]+)  confident", result.stdout)
    assert len(lines) == (2 if "--ema" in variant else 1), result.stdout
    if "--conditional" in variant:
        assert re.search(r"label acc [\d.]+%", result.stdout), result.stdout
    steps, seconds = re.search(r"^(\d+) steps in (\d+) s", result.stdout, re.M).groups()
    assert int(steps) >= 1 and int(seconds) >= 2  # it trained for its budget


def test_fit_vs_loop_benchmark_prints_each_run_against_the_loop():
    result = subprocess.run(
        [sys.executable, "benchmarks/fit_vs_loop.py", "--steps", "4", "--repeats", "1",
         "--batch-size", "16"], cwd=ROOT, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = re.findall(r"^(loop|fit).*?\s(\d+)\s+([\d.]+)%$", result.stdout, re.M)
    assert [r[0] for r in rows] == ["loop", "fit", "fit"], result.stdout
    assert float(rows[0][2]) == 100.0 and all(int(r[1]) > 0 for r in rows)


def test_time_to_quality_keeps_each_run_and_prints_the_table_with_verdicts(tmp_path):
    command = [sys.executable, "benchmarks/time_to_quality.py", "--seconds", "2", "4",
               "--seeds", "1", "--no-default-run", "--tutorial-seconds", "2", "--every", "1",
               "--samples", "500", "--results", str(tmp_path)]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    kept = sorted(tmp_path.glob("*.json"))
    assert [p.name for p in kept] == ["2_seed0.json", "4_seed0.json", "tutorial_seed0.json"]
    assert [json.loads(p.read_text())["n"] for p in kept] == [500] * 3
    assert "Time to quality, 500 samples a run" in result.stdout
    rows = lambda out: re.findall(r"^(2 s|4 s|tutorial recipe) \| 1 \| .*", out, re.M)
    assert rows(result.stdout) == ["2 s", "4 s", "tutorial recipe"], result.stdout
    assert len(re.findall(r"^2 -> 4: \w+ .* (?:not worse|WORSE)", result.stdout, re.M)) == 3
    assert "seconds to score 9, tutorial recipe" in result.stdout
    again = subprocess.run(command + ["--table-only"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=300)  # the kept runs, not trained again
    assert "training:" not in again.stdout
    assert rows(again.stdout) == ["2 s", "4 s", "tutorial recipe"], again.stdout
