OK_FORMAT = True

test = {   'name': 'q2_classifier_score',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> balanced = np.eye(10)[np.arange(1000) % 10]\n'
                                               '>>> value = classifier_score(balanced)\n'
                                               ">>> assert value is not None, 'classifier_score returned None: replace the ... and return the score.'\n"
                                               ">>> assert abs(value - 10) < 0.001, f'Confident and balanced over 10 classes scores 10; yours is {value:.3f}.'\n"
                                               '>>> one = classifier_score(np.eye(10)[np.zeros(500, int)])\n'
                                               '>>> unsure = classifier_score(np.full((500, 10), 0.1))\n'
                                               ">>> assert abs(one - 1) < 0.001 and abs(unsure - 1) < 0.001, f'One class for every sample, and no confident sample, both score 1; yours give {one:.3f} "
                                               "and {unsure:.3f}. The KL is to the *mean* row p(y), not to the uniform distribution.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
