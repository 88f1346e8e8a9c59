"""The one verdict helper: mean ± std with ddof=1, and the seed-spread rule."""

import numpy as np
import pytest

from gan_course import report


def test_mean_std_is_the_sample_standard_deviation():
    mean, std = report.mean_std([1.0, 2.0, 3.0])
    assert mean == 2.0 and std == pytest.approx(1.0)  # ddof=0 would give 0.816
    assert np.isnan(report.mean_std([5.0])[1])
    with pytest.raises(ValueError, match="at least one seed"):
        report.mean_std([])


def test_fmt():
    assert report.fmt([1.0, 2.0, 3.0]) == "2.00 ± 1.00"
    assert report.fmt([3.14159], digits=1) == "3.1 (one seed)"


@pytest.mark.parametrize("a, b, lower, word", [
    ([10, 11, 12], [20, 21, 22], True, "better"),         # lower FD: better
    ([10, 11, 12], [20, 21, 22], False, "worse"),         # lower score: worse
    ([10, 11, 12], [11.5, 12.5, 13.5], True, "no measurable difference"),  # gap 1.5 <= 1 + 1
    ([10, 11, 12], [13.1, 14.1, 15.1], True, "better"),   # gap 3.1 > 2
    ([10], [20, 21, 22], True, "no verdict"),
])
def test_compare_uses_the_two_spreads_added(a, b, lower, word):
    assert report.compare(a, b, lower_is_better=lower) == word


def test_verdict_line_names_both_arms_and_the_seeds():
    line = report.verdict("FD", [10, 11, 12], [20, 21, 22], ("GAN", "VAE"), lower_is_better=True,
                          digits=1)
    assert line == "FD: GAN 11.0 ± 1.0 against VAE 21.0 ± 1.0: better (seeds: 3 and 3)"
    assert "one seed only, no verdict" in report.verdict("FD", [1], [2])


def test_spearman():
    assert report.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert report.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert report.spearman([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)
