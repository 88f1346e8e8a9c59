OK_FORMAT = True

test = {   'name': 'q1_frechet',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> rng = np.random.default_rng(0)\n'
                                               '>>> a = rng.normal(size=(500, 3))\n'
                                               '>>> value = frechet_distance(a, a)\n'
                                               ">>> assert value is not None, 'frechet_distance returned None: replace the ... and return the distance.'\n"
                                               ">>> assert abs(value) < 1e-06, f'The distance of a set to itself is 0; yours is {value:.3g}.'\n"
                                               '>>> shift = frechet_distance(a, a + np.array([3.0, 0.0, 4.0]))\n'
                                               ">>> assert abs(shift - 25.0) < 1e-06, f'Shifting every feature by (3, 0, 4) moves the means by 5, so the distance is 25 (the covariances are equal); "
                                               "yours is {shift:.4f}.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> rng = np.random.default_rng(1)\n'
                                               '>>> a, b = (rng.normal(size=(4000, 2)) * [1.0, 2.0], rng.normal(size=(4000, 2)) * [3.0, 0.5])\n'
                                               '>>> s_a, s_b = (np.var(a, axis=0, ddof=1), np.var(b, axis=0, ddof=1))\n'
                                               '>>> mu = ((a.mean(0) - b.mean(0)) ** 2).sum()\n'
                                               '>>> approx = mu + ((np.sqrt(s_a) - np.sqrt(s_b)) ** 2).sum()\n'
                                               '>>> value = frechet_distance(a, b)\n'
                                               ">>> assert abs(value - approx) < 0.05, f'For (nearly) diagonal covariances the trace term is the sum of (sqrt(var_a) - sqrt(var_b))^2: about "
                                               "{approx:.3f}; yours is {value:.3f}. Check the square root: Tr((S_a S_b)^(1/2)) is not Tr(S_a S_b)^(1/2), nor the elementwise sqrt of S_a S_b.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
