OK_FORMAT = True

test = {   'name': 'q1_smoothing',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> value = smoothed_d_loss(tf.zeros(4), tf.zeros(4))\n'
                                               ">>> assert value is not None, 'smoothed_d_loss returned None: replace the ... and return the loss.'\n"
                                               ">>> assert abs(float(value) - 2 * np.log(2)) < 0.0001, f'At logits 0 the loss is 2 log 2 = 1.386 whatever the targets; you returned "
                                               "{float(value):.4f}.'\n",
                                       'hidden': False,
                                       'locked': False},
                                   {   'code': '>>> r = tf.Variable([np.log(9.0)], dtype=tf.float32)\n'
                                               '>>> with tf.GradientTape() as tape:\n'
                                               '...     loss = smoothed_d_loss(r, tf.zeros(1))\n'
                                               '>>> grad = float(tape.gradient(loss, r)[0])\n'
                                               '>>> assert abs(grad) < 0.0001, f"With real target 0.9, D\'s best real logit is log 9 = 2.197, where the loss is flat; your loss has gradient '
                                               '{grad:.3f} there. Are the real targets 0.9 (not 1), and the fake ones 0?"\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
