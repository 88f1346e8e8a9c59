from otter.test_files import test_case

OK_FORMAT = False

name = "q1_train_step"
points = 3

@test_case(points=None, hidden=False)
def check_1(train_step, train, models, keras, tf, np):
    from gan_course.grading import course_functions_used
    used = course_functions_used(train_step, 'gan_course.train')
    explain = lambda: f"train_step calls the course's {used[0]}: write the step yourself."
    assert not used, explain()

    def pair():
        train.set_seed(0)
        return (models.mlp_generator(8, (16,), batch_norm=False), models.mlp_discriminator((16,)))
    real = tf.constant(np.random.default_rng(0).uniform(-1, 1, (16, 28, 28, 1)), tf.float32)
    z = keras.random.normal((16, 8), seed=keras.random.SeedGenerator(3))
    G, D = pair()
    G2, D2 = pair()
    ref = train.gan_train_step(G2, D2, keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.03), real, seed=keras.random.SeedGenerator(3), grad_norms=False)
    tf.config.run_functions_eagerly(True)
    try:
        result = train_step(G, D, keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.03), real, z)
    finally:
        tf.config.run_functions_eagerly(False)
    explain = lambda: 'train_step should return (d_loss, g_loss).'
    assert result is not None and len(result) == 2, explain()
    mine, theirs = ((float(result[0]), float(result[1])), (float(ref['d_loss']), float(ref['g_loss'])))
    same_weights = all((np.allclose(a, b, atol=1e-05) for a, b in zip(G.get_weights() + D.get_weights(), G2.get_weights() + D2.get_weights())))
    explain = lambda: f"Your step differs from the course's (G at SGD rate 0.1, D at 0.03): losses ({mine[0]:.4f}, {mine[1]:.4f}) against ({theirs[0]:.4f}, {theirs[1]:.4f}). Update D first, then compute G's loss with a fresh call to D; use the same z; update each model with its own optimizer."
    assert np.allclose(mine, theirs, atol=1e-05) and same_weights, explain()

