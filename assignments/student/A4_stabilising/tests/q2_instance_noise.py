OK_FORMAT = True

test = {   'name': 'q2_instance_noise',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> values = [noise_std(s, 0.1, 1000) for s in (0, 500, 1000, 5000)]\n'
                                               ">>> assert None not in values, 'noise_std returned None: replace the ... and return the std.'\n"
                                               ">>> assert np.allclose(values, [0.1, 0.05, 0.0, 0.0]), f'At steps 0, 500, 1000 and 5000 the std should be 0.1, 0.05, 0 and 0 (linear decay, then 0); "
                                               "yours gives {values}. After decay_steps it must not go negative.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> images = tf.zeros((2000, 4))\n'
                                               '>>> noisy = add_instance_noise(images, 0.3, keras.random.SeedGenerator(0))\n'
                                               ">>> assert noisy is not None, 'add_instance_noise returned None.'\n"
                                               '>>> noisy = np.asarray(noisy)\n'
                                               ">>> assert noisy.shape == (2000, 4), f'The noisy images should keep the shape (2000, 4); yours are {noisy.shape}.'\n"
                                               ">>> assert abs(noisy.std() - 0.3) < 0.02 and abs(noisy.mean()) < 0.02, f'Noise of std 0.3 around the images: yours has mean {noisy.mean():.3f} and std "
                                               "{noisy.std():.3f}.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
