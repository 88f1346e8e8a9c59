OK_FORMAT = True

test = {   'name': 'q2_g_step',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> G, D = fresh_pair()\n'
                                               '>>> g_before, d_before = (weights(G), weights(D))\n'
                                               '>>> expected = float(non_saturating_generator_loss(D(G(Z, training=True), training=True)))\n'
                                               '>>> loss = g_step(G, D, keras.optimizers.SGD(0.1), Z)\n'
                                               '>>> assert loss is not None, "g_step returned None: return G\'s loss."\n'
                                               '>>> assert abs(float(loss) - expected) < 1e-05, f"g_step\'s loss should be -mean log sigmoid(D(G(z))) before the update, {expected:.4f}; you returned '
                                               '{float(loss):.4f}."\n'
                                               '>>> assert all((np.array_equal(a, b) for a, b in zip(weights(D), d_before))), "g_step changed D\'s weights: in G\'s half of the step D is frozen; '
                                               'differentiate with respect to G.trainable_variables only."\n'
                                               '>>> changed = not all((np.array_equal(a, b) for a, b in zip(weights(G), g_before)))\n'
                                               ">>> assert changed, 'g_step did not change G. Is G(z) computed inside the `with tf.GradientTape()` block? A tape only sees the operations run while it "
                                               "records.'\n",
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
