"""The benchmark scripts still run (tiny sizes); their figures are for the README, not CI."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_train_step_benchmark_prints_rates_and_ratios_for_both_update_orders():
    result = subprocess.run(
        [sys.executable, "benchmarks/train_step.py", "--models", "mlp", "--jit", "off",
         "--batch-size", "32", "--steps", "2", "--repeats", "1", "--warmup", "1"],
        cwd=ROOT, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}, capture_output=True,
        text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    row = re.search(r"^mlp\s+off\s+(\d+)\s+(\d+)\s+([\d.]+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+"
                    r"([\d.]+)%$", result.stdout, re.M)
    assert row, result.stdout
    reference, alternating, ratio, simultaneous, simultaneous_ratio = map(float, row.groups()[:5])
    assert min(reference, alternating, simultaneous) > 0
    assert abs(ratio - alternating / reference) < 0.011
    assert abs(simultaneous_ratio - simultaneous / reference) < 0.011
    assert float(row.group(6)) > 0  # MFLOP per image
