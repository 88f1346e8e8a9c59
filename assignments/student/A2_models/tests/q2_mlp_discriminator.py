OK_FORMAT = True

test = {   'name': 'q2_mlp_discriminator',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> D = mlp_discriminator()\n'
                                               ">>> assert D is not None, 'mlp_discriminator returned None: build the model and return it.'\n"
                                               ">>> out = np.asarray(D(np.zeros((5, 28, 28, 1), 'float32')))\n"
                                               ">>> assert out.shape == (5, 1), f'D should give one logit per image, shape (N, 1); yours gives {out.shape}.'\n"
                                               '>>> expected = 784 * 256 + 256 + (256 + 1)\n'
                                               ">>> assert D.count_params() == expected, f'D should have {expected:,} parameters; yours has {D.count_params():,}.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> D = mlp_discriminator()\n'
                                               '>>> last = D.layers[-1]\n'
                                               '>>> assert isinstance(last, layers.Dense) and last.get_config()[\'activation\'] == \'linear\', "D\'s last layer should be a Dense layer with no '
                                               'activation: D returns a logit, and the loss applies the sigmoid itself (from_logits)."\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
