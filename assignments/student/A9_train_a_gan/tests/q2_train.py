from otter.test_files import test_case

OK_FORMAT = False

name = "q2_train"
points = 4

@test_case(points=None, hidden=False)
def check_1(history, STEPS, np):
    explain = lambda: 'train_gan returned None: return the list of (d_loss, g_loss) pairs.'
    assert history is not None, explain()
    explain = lambda: f'train_gan should return one (d_loss, g_loss) pair per step: {STEPS}; yours has {len(history)}.'
    assert len(history) == STEPS, explain()
    losses = np.asarray(history, dtype=float)
    explain = lambda: "Every step's two losses should be finite numbers."
    assert losses.shape == (STEPS, 2) and np.isfinite(losses).all(), explain()
    explain = lambda: 'The losses do not change from step to step: does each step draw new images and noise, and update the models?'
    assert not np.allclose(losses[:10], losses[0]), explain()

@test_case(points=None, hidden=False)
def check_2(generator, STEPS, metrics, models, train, np):
    train.set_seed(0)
    untrained = models.dcgan_generator(64, width=64)
    explain = lambda: 'Your generator still has the weights it started with: train_gan did not train it.'
    assert not all((np.array_equal(a, b) for a, b in zip(generator.get_weights(), untrained.get_weights()))), explain()
    samples = np.asarray(generator(np.random.default_rng(7).normal(size=(1000, 64)).astype('float32'), training=False))
    _, probs = metrics.classify(samples)
    score = metrics.classifier_score(probs)
    explain = lambda: "Your generator's samples are not finite, or all the same image."
    assert np.isfinite(samples).all() and samples.std(axis=0).mean() > 0.01, explain()
    if STEPS >= 500:
        explain = lambda: f"After {STEPS} steps your generator's classifier score is {score:.2f}; a correct loop reaches at least 2.5. Check the optimizers (Adam 2e-4, beta_1 0.5), that every step draws new real images and noise, and Q1's step."
        assert score >= 2.5, explain()

