"""Figures over seeds, once for the whole course: mean ± std and the seed-spread verdict.

The standard deviation is the sample one (ddof=1) everywhere. Two arms differ measurably only
when their means are further apart than their two standard deviations added; anything closer
is "no measurable difference". One seed gives no spread, hence no verdict.
"""

import numpy as np

DDOF = 1


def mean_std(values):
    """(mean, sample std) of one figure over seeds; the std is nan for a single seed."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        raise ValueError("no values: run at least one seed.")
    return float(values.mean()), float(values.std(ddof=DDOF)) if values.size > 1 else float("nan")


def fmt(values, digits=2):
    """'mean ± std' of one figure over seeds ('mean (one seed)' for a single value)."""
    mean, std = mean_std(values)
    if np.isnan(std):
        return f"{mean:.{digits}f} (one seed)"
    return f"{mean:.{digits}f} ± {std:.{digits}f}"


def compare(a, b, lower_is_better=False):
    """'better', 'worse' (a against b), 'no measurable difference', or 'no verdict' (a
    single seed on either side)."""
    (mean_a, std_a), (mean_b, std_b) = mean_std(a), mean_std(b)
    if np.isnan(std_a) or np.isnan(std_b):
        return "no verdict"
    if abs(mean_a - mean_b) <= std_a + std_b:
        return "no measurable difference"
    return "better" if (mean_a < mean_b) == lower_is_better else "worse"


def verdict(figure, a, b, names=("A", "B"), lower_is_better=False, digits=2):
    """One line comparing a figure of two arms over seeds, e.g.
    'FD: WGAN-GP 35.1 ± 2.0 against DCGAN 30.2 ± 1.1: worse (seeds: 3 and 3)'."""
    word = compare(a, b, lower_is_better)
    if word == "no verdict":
        word = "one seed only, no verdict"
    return (f"{figure}: {names[0]} {fmt(a, digits)} against {names[1]} {fmt(b, digits)}: "
            f"{word} (seeds: {np.size(a)} and {np.size(b)})")


def spearman(a, b):
    """Spearman's rank correlation of two sequences (no ties expected): +1 when they always
    move together, -1 when always opposite."""
    ranks = [np.argsort(np.argsort(np.asarray(v, dtype=float))).astype(float) for v in (a, b)]
    return float(np.corrcoef(*ranks)[0, 1])
