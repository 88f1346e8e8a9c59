OK_FORMAT = True

test = {   'name': 'q1_mlp_generator',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> G = mlp_generator(64)\n'
                                               ">>> assert G is not None, 'mlp_generator returned None: build the model and return it.'\n"
                                               ">>> out = np.asarray(G(np.random.default_rng(0).normal(size=(3, 64)).astype('float32')))\n"
                                               ">>> assert out.shape == (3, 28, 28, 1), f'G should output images of shape (N, 28, 28, 1); yours gives {out.shape}.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> G = mlp_generator(64)\n'
                                               '>>> expected = 64 * 256 + 256 + (256 * 784 + 784)\n'
                                               ">>> assert G.count_params() == expected, f'G should have {expected:,} parameters (Dense 64->256 and 256->784, with biases); yours has "
                                               "{G.count_params():,}. Check the layer sizes.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> G = mlp_generator(64)\n'
                                               ">>> out = np.asarray(G(100 * np.random.default_rng(1).normal(size=(8, 64)).astype('float32')))\n"
                                               '>>> assert out.min() >= -1 and out.max() <= 1, f"G\'s pixels should stay in [-1, 1] even for large z; yours range over [{out.min():.2f}, '
                                               '{out.max():.2f}]. Did you put tanh on the last Dense layer?"\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
