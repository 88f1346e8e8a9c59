OK_FORMAT = True

test = {   'name': 'q1_d_step',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> G, D = fresh_pair()\n'
                                               '>>> g_before, d_before = (weights(G), weights(D))\n'
                                               '>>> expected = float(bce_discriminator_loss(D(REAL, training=True), D(G(Z, training=True), training=True)))\n'
                                               '>>> loss = d_step(G, D, keras.optimizers.SGD(0.1), REAL, Z)\n'
                                               '>>> assert loss is not None, "d_step returned None: return D\'s loss."\n'
                                               '>>> assert abs(float(loss) - expected) < 1e-05, f"d_step\'s loss should be D\'s BCE loss before the update, {expected:.4f}; you returned '
                                               '{float(loss):.4f}."\n'
                                               '>>> assert all((np.array_equal(a, b) for a, b in zip(weights(G), g_before))), "d_step changed G\'s weights: take the gradient with respect to '
                                               'D.trainable_variables only, and apply it to those."\n'
                                               ">>> assert not all((np.array_equal(a, b) for a, b in zip(weights(D), d_before))), 'd_step did not change D: apply the gradients with "
                                               "d_opt.apply_gradients(zip(grads, D.trainable_variables)).'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
