OK_FORMAT = True

test = {   'name': 'q3_optimal_d',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> x = np.linspace(-10, 10, 2001)\n'
                                               '>>> gauss = lambda mean: np.exp(-0.5 * (x - mean) ** 2) / np.sqrt(2 * np.pi)\n'
                                               '>>> d_star = optimal_d(gauss(0), gauss(0))\n'
                                               ">>> assert d_star is not None, 'optimal_d returned None: replace the ... and return D* on the grid.'\n"
                                               ">>> assert np.allclose(d_star, 0.5), f'When p_g = p_data, D* should be 1/2 everywhere: the best D cannot tell them apart. Yours ranges over "
                                               "[{np.min(d_star):.3f}, {np.max(d_star):.3f}].'\n"
                                               '>>> value = value_at_optimum(gauss(0), gauss(0), x[1] - x[0])\n'
                                               ">>> assert value is not None and abs(value + np.log(4)) < 0.001, f'At p_g = p_data the value should be -log 4 = -1.386; you returned {value}. "
                                               "Integrate p_data log D* + p_g log(1 - D*) (sum times dx).'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> x = np.linspace(-40, 40, 8001)\n'
                                               '>>> gauss = lambda mean: np.exp(-0.5 * (x - mean) ** 2) / np.sqrt(2 * np.pi)\n'
                                               ">>> assert np.isfinite(optimal_d(gauss(0), gauss(3))).all(), 'D* is NaN where both densities are 0 (0 / 0): return any value there, e.g. 1/2 "
                                               "(np.divide with where=...).'\n"
                                               '>>> value = value_at_optimum(gauss(0), gauss(3), x[1] - x[0])\n'
                                               ">>> assert np.isfinite(value), f'The value is {value}. Where a density is 0 its term is 0, even if its log is -inf; and where p_g is tiny next to "
                                               "p_data, D* rounds to 1 and log(1 - D*) to -inf: compute log(1 - D*) as log p_g - log(p_data + p_g) instead.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
