OK_FORMAT = True

test = {   'name': 'q3_dcgan_generator',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> G = dcgan_generator(64)\n'
                                               ">>> assert G is not None, 'dcgan_generator returned None: build the model and return it.'\n"
                                               '>>> shapes = [tuple(layer.output.shape[1:]) for layer in G.layers if isinstance(layer, (layers.Reshape, layers.Conv2DTranspose))]\n'
                                               '>>> assert shapes == [(7, 7, 64), (14, 14, 32), (28, 28, 1)], f"The feature maps should go (7, 7, 64) -> (14, 14, 32) -> (28, 28, 1); yours go '
                                               '{shapes}. Strides 2 with padding \'same\' double the size."\n',
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> G = dcgan_generator(64)\n'
                                               '>>> expected = 64 * 3136 + 4 * 3136 + 5 * 5 * 64 * 32 + 4 * 32 + (5 * 5 * 32 + 1)\n'
                                               ">>> assert G.count_params() == expected, f'G should have {expected:,} parameters; yours has {G.count_params():,}.' + (' Drop the biases of the layers "
                                               "followed by batch norm (use_bias=False).' if G.count_params() in (expected + 3136, expected + 32, expected + 3168) else '')\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> G = dcgan_generator(64)\n'
                                               ">>> out = np.asarray(G(30 * np.random.default_rng(2).normal(size=(4, 64)).astype('float32'), training=True))\n"
                                               '>>> assert out.min() >= -1 and out.max() <= 1, "G\'s output should be in [-1, 1]: tanh on the last layer."\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
