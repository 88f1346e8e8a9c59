from otter.test_files import test_case

OK_FORMAT = False

name = "q2_g_step"
points = 2

@test_case(points=None, hidden=False)
def check_1(fresh_pair, weights, non_saturating_generator_loss, Z, g_step, keras, np):
    G, D = fresh_pair()
    g_before, d_before = (weights(G), weights(D))
    expected = float(non_saturating_generator_loss(D(G(Z, training=True), training=True)))
    loss = g_step(G, D, keras.optimizers.SGD(0.1), Z)
    explain = lambda: "g_step returned None: return G's loss."
    assert loss is not None, explain()
    explain = lambda: f"g_step's loss should be -mean log sigmoid(D(G(z))) before the update, {expected:.4f}; you returned {float(loss):.4f}."
    assert abs(float(loss) - expected) < 1e-05, explain()
    explain = lambda: "g_step changed D's weights: in G's half of the step D is frozen; differentiate with respect to G.trainable_variables only."
    assert all((np.array_equal(a, b) for a, b in zip(weights(D), d_before))), explain()
    changed = not all((np.array_equal(a, b) for a, b in zip(weights(G), g_before)))
    explain = lambda: 'g_step did not change G. Is G(z) computed inside the `with tf.GradientTape()` block? A tape only sees the operations run while it records.'
    assert changed, explain()

