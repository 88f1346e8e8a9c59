from otter.test_files import test_case

OK_FORMAT = False

name = "q3_train_step"
points = 3

@test_case(points=None, hidden=False)
def check_1(fresh_pair, copy_of, train, keras, REAL, weights, train_step, Z, np):
    from gan_course.grading import course_functions_used
    used = course_functions_used(train_step, 'gan_course.train')
    explain = lambda: f"train_step calls the course's {used[0]}: write the step yourself."
    assert not used, explain()
    G, D = fresh_pair()
    references = {}
    for updates in ('alternating', 'simultaneous'):
        G2, D2 = (copy_of(G), copy_of(D))
        out = train.gan_train_step(G2, D2, keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.03), REAL, seed=keras.random.SeedGenerator(3), updates=updates, grad_norms=False)
        references[updates] = (float(out['d_loss']), float(out['g_loss']), weights(G2) + weights(D2))
    import tensorflow as tf
    tf.config.run_functions_eagerly(True)
    try:
        result = train_step(G, D, keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.03), REAL, Z)
    finally:
        tf.config.run_functions_eagerly(False)
    explain = lambda: 'train_step should return (d_loss, g_loss).'
    assert result is not None and len(result) == 2, explain()
    mine = (float(result[0]), float(result[1]), weights(G) + weights(D))

    def same(a, b):
        return abs(a[0] - b[0]) < 1e-05 and abs(a[1] - b[1]) < 1e-05 and all((np.allclose(x, y, atol=1e-05) for x, y in zip(a[2], b[2])))
    explain = lambda: "Your step gives G the loss of the D from *before* its update (the tutorial's simultaneous order). Update D first, then compute G's loss with a fresh call to D."
    assert not same(mine, references['simultaneous']) or same(mine, references['alternating']), explain()
    explain = lambda: f"Your step differs from the course's: losses ({mine[0]:.4f}, {mine[1]:.4f}) against ({references['alternating'][0]:.4f}, {references['alternating'][1]:.4f}). Check that both halves use the same z, that D is updated before G's loss is computed, and that each model is updated by its own optimizer (this check gives them different learning rates)."
    assert same(mine, references['alternating']), explain()

