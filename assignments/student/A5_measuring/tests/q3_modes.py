OK_FORMAT = True

test = {   'name': 'q3_modes',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> samples, centres = data.ring_of_gaussians(2000, seed=0)\n'
                                               '>>> result = count_modes(samples, centres, 0.01)\n'
                                               ">>> assert result is not None, 'count_modes returned None: return (modes_captured, high_quality_share).'\n"
                                               '>>> modes, share = result\n'
                                               ">>> assert modes == 8, f'Real samples of the ring of 8 capture all 8 modes; you counted {modes}.'\n"
                                               '>>> assert 0.97 < share < 1.0, f"About 98.9 % of real samples lie within 3 std of their centre (in 2-D); you found {share:.1%}. Measure each point\'s '
                                               'distance to its *nearest* centre."\n',
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> samples, centres = data.ring_of_gaussians(3000, seed=1)\n'
                                               '>>> nearest = np.linalg.norm(samples[:, None] - centres[None], axis=2).argmin(axis=1)\n'
                                               '>>> three = samples[nearest < 3]\n'
                                               '>>> modes, share = count_modes(three, centres, 0.01)\n'
                                               ">>> assert modes == 3, f'Points from 3 of the 8 modes capture 3 modes; you counted {modes}.'\n"
                                               '>>> modes, share = count_modes(np.zeros((100, 2)), centres, 0.01)\n'
                                               ">>> assert modes == 0 and share == 0.0, f'Points at the centre of the ring are far from every mode: 0 modes, 0 high quality; you returned ({modes}, "
                                               "{share}).'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
