from otter.test_files import test_case

OK_FORMAT = False

name = "q3_optimal_d"
points = 2

@test_case(points=None, hidden=False)
def check_1(np, optimal_d, value_at_optimum):
    x = np.linspace(-10, 10, 2001)
    gauss = lambda mean: np.exp(-0.5 * (x - mean) ** 2) / np.sqrt(2 * np.pi)
    d_star = optimal_d(gauss(0), gauss(0))
    explain = lambda: 'optimal_d returned None: replace the ... and return D* on the grid.'
    assert d_star is not None, explain()
    explain = lambda: f'When p_g = p_data, D* should be 1/2 everywhere: the best D cannot tell them apart. Yours ranges over [{np.min(d_star):.3f}, {np.max(d_star):.3f}].'
    assert np.allclose(d_star, 0.5), explain()
    value = value_at_optimum(gauss(0), gauss(0), x[1] - x[0])
    explain = lambda: f'At p_g = p_data the value should be -log 4 = -1.386; you returned {value}. Integrate p_data log D* + p_g log(1 - D*) (sum times dx).'
    assert value is not None and abs(value + np.log(4)) < 0.001, explain()

@test_case(points=None, hidden=False)
def check_2(np, optimal_d, value_at_optimum):
    x = np.linspace(-40, 40, 8001)
    gauss = lambda mean: np.exp(-0.5 * (x - mean) ** 2) / np.sqrt(2 * np.pi)
    explain = lambda: 'D* is NaN where both densities are 0 (0 / 0): return any value there, e.g. 1/2 (np.divide with where=...).'
    assert np.isfinite(optimal_d(gauss(0), gauss(3))).all(), explain()
    value = value_at_optimum(gauss(0), gauss(3), x[1] - x[0])
    explain = lambda: f'The value is {value}. Where a density is 0 its term is 0, even if its log is -inf; and where p_g is tiny next to p_data, D* rounds to 1 and log(1 - D*) to -inf: compute log(1 - D*) as log p_g - log(p_data + p_g) instead.'
    assert np.isfinite(value), explain()

@test_case(points=None, hidden=False)
def check_3(np, optimal_d, value_at_optimum):
    p_data, p_g = (np.array([0.5, 0.3, 0.2, 0.0]), np.array([0.1, 0.1, 0.4, 0.4]))
    d_star = np.asarray(optimal_d(p_data, p_g))
    explain = lambda: f'For p_data = {p_data} and p_g = {p_g}, D* should be [0.833, 0.75, 0.333, 0]; yours is {np.round(d_star, 3)}. D* is large where the *data* is more likely.'
    assert np.allclose(d_star, [5 / 6, 3 / 4, 1 / 3, 0]), explain()
    expected = 0.5 * np.log(5 / 6) + 0.3 * np.log(3 / 4) + 0.2 * np.log(1 / 3) + 0.1 * np.log(1 / 6) + 0.1 * np.log(1 / 4) + 0.4 * np.log(2 / 3)
    value = value_at_optimum(p_data, p_g, 1.0)
    explain = lambda: f"On those 4 points the value should be {expected:.4f}; you returned {value:.4f}. It is p_data log D* + p_g log(1 - D*): the data's density goes with log D*."
    assert abs(value - expected) < 1e-06, explain()

