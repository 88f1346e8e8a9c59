OK_FORMAT = True

test = {   'name': 'q1_d_loss',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> value = d_loss(tf.zeros(4), tf.zeros(4))\n'
                                               ">>> assert value is not None, 'd_loss returned None: replace the ... with your code and return the loss.'\n"
                                               '>>> value = float(value)\n'
                                               '>>> assert abs(value - 2 * np.log(2)) < 0.0001, f"D\'s loss on logits (0, 0) should be 2 log 2 = 1.386; you returned {value:.3f}." + (\' Did you add '
                                               "the real and fake terms?' if abs(value - np.log(2)) < 0.001 else ' At logit 0, D says 1/2 for every image, and each of the two terms is log 2.')\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> value = float(d_loss(tf.constant([20.0, 30.0]), tf.constant([-20.0, -25.0])))\n'
                                               ">>> assert abs(value) < 1e-06, f'A D that is confident and right (real logits +20, fake logits -20) should have a loss near 0; you returned "
                                               "{value:.4g}. Check the signs: real logits should be pushed up, fake ones down.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> value = float(d_loss(tf.constant([-200.0]), tf.constant([0.0])))\n'
                                               ">>> assert np.isfinite(value) and abs(value - (200 + np.log(2))) < 0.001, f'With a real logit of -200 the loss should be about 200.69; you returned "
                                               "{value}. log(sigmoid(-200)) underflows to log(0) = -inf: use tf.nn.softplus(-x) for -log(sigmoid(x)).'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
