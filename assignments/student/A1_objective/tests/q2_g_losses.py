OK_FORMAT = True

test = {   'name': 'q2_g_losses',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> for fn, expected in [(g_loss_minimax, -np.log(2)), (g_loss_non_saturating, np.log(2))]:\n'
                                               '...     value = fn(tf.zeros(3))\n'
                                               "...     assert value is not None, f'{fn.__name__} returned None: replace the ... and return the loss.'\n"
                                               "...     assert abs(float(value) - expected) < 0.0001, f'{fn.__name__} at logit 0 should be {expected:.3f}; you returned {float(value):.3f}. log(1 - "
                                               "1/2) = -log 2 and -log(1/2) = +log 2.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> f = tf.Variable([-6.0])\n'
                                               '>>> grads = {}\n'
                                               '>>> for fn in (g_loss_minimax, g_loss_non_saturating):\n'
                                               '...     with tf.GradientTape() as tape:\n'
                                               '...         loss = fn(f)\n'
                                               '...     grads[fn.__name__] = abs(float(tape.gradient(loss, f)[0]))\n'
                                               '>>> assert grads[\'g_loss_minimax\'] < 0.01, f"At logit -6 the minimax loss should be nearly flat (gradient sigmoid(-6) = 0.0025); yours has '
                                               '{grads[\'g_loss_minimax\']:.3f}. Is it log(1 - sigmoid(f)), not log sigmoid(f)?"\n'
                                               '>>> assert grads[\'g_loss_non_saturating\'] > 0.9, f"At logit -6 the non-saturating loss should be steep (gradient 0.9975); yours has '
                                               '{grads[\'g_loss_non_saturating\']:.3f}: that is the point of it."\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
