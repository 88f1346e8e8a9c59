OK_FORMAT = True

test = {   'name': 'q4_dcgan_discriminator',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> D = dcgan_discriminator()\n'
                                               ">>> assert D is not None, 'dcgan_discriminator returned None: build the model and return it.'\n"
                                               '>>> shapes = [tuple(layer.output.shape[1:]) for layer in D.layers if isinstance(layer, layers.Conv2D)]\n'
                                               ">>> assert shapes == [(14, 14, 32), (7, 7, 64)], f'The feature maps should go (14, 14, 32) -> (7, 7, 64); yours go {shapes}.'\n"
                                               ">>> assert not [l for l in D.layers if 'Pooling' in type(l).__name__], 'No pooling layers: use strides 2.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> D = dcgan_discriminator()\n'
                                               '>>> expected = 5 * 5 * 1 * 32 + 32 + (5 * 5 * 32 * 64 + 64) + (7 * 7 * 64 + 1)\n'
                                               ">>> assert D.count_params() == expected, f'D should have {expected:,} parameters; yours has {D.count_params():,}.'\n"
                                               ">>> assert np.asarray(D(np.zeros((3, 28, 28, 1), 'float32'))).shape == (3, 1), 'D should give one logit per image.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
