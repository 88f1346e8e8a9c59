from otter.test_files import test_case

OK_FORMAT = False

name = "q1_d_step"
points = 2

@test_case(points=None, hidden=False)
def check_1(fresh_pair, weights, bce_discriminator_loss, REAL, Z, d_step, keras, np):
    G, D = fresh_pair()
    g_before, d_before = (weights(G), weights(D))
    expected = float(bce_discriminator_loss(D(REAL, training=True), D(G(Z, training=True), training=True)))
    loss = d_step(G, D, keras.optimizers.SGD(0.1), REAL, Z)
    explain = lambda: "d_step returned None: return D's loss."
    assert loss is not None, explain()
    explain = lambda: f"d_step's loss should be D's BCE loss before the update, {expected:.4f}; you returned {float(loss):.4f}."
    assert abs(float(loss) - expected) < 1e-05, explain()
    explain = lambda: "d_step changed G's weights: take the gradient with respect to D.trainable_variables only, and apply it to those."
    assert all((np.array_equal(a, b) for a, b in zip(weights(G), g_before))), explain()
    explain = lambda: 'd_step did not change D: apply the gradients with d_opt.apply_gradients(zip(grads, D.trainable_variables)).'
    assert not all((np.array_equal(a, b) for a, b in zip(weights(D), d_before))), explain()

