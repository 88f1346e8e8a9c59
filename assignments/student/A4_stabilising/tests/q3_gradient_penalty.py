OK_FORMAT = True

test = {   'name': 'q3_gradient_penalty',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> w = np.array([[0.6], [2.0], [-1.0]], np.float32)\n'
                                               '>>> critic = lambda x: tf.matmul(x, w) + 0.5\n'
                                               '>>> rng = np.random.default_rng(0)\n'
                                               '>>> real, fake = (tf.constant(rng.normal(size=(8, 3)), tf.float32) for _ in range(2))\n'
                                               '>>> alpha = tf.constant(rng.uniform(size=(8, 1)), tf.float32)\n'
                                               '>>> value = gradient_penalty(critic, real, fake, alpha)\n'
                                               ">>> assert value is not None, 'gradient_penalty returned None: replace the ... and return the penalty.'\n"
                                               '>>> expected = (np.linalg.norm(w) - 1) ** 2\n'
                                               ">>> assert abs(float(value) - expected) < 0.0001, f'For a linear critic with ||w|| = {np.linalg.norm(w):.3f} the penalty is (||w|| - 1)^2 = "
                                               "{expected:.4f}; you returned {float(value):.4f}. Is the norm taken per sample (over all axes but the batch axis), and squared after subtracting 1?'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> w = tf.constant(np.full((28 * 28, 1), 1 / 28, np.float32))\n'
                                               '>>> critic = lambda x: tf.matmul(tf.reshape(x, (-1, 28 * 28)), w)\n'
                                               '>>> images = tf.zeros((4, 28, 28, 1))\n'
                                               '>>> value = float(gradient_penalty(critic, images, images + 1.0, tf.fill((4, 1, 1, 1), 0.3)))\n'
                                               ">>> assert abs(value) < 0.0001, f'A linear critic with ||w|| = 1 on images (N, 28, 28, 1) has penalty 0; yours gives {value:.4f}. Sum the squared "
                                               "gradient over the axes 1, 2 and 3 of each image.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
