import functools

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_course import data, models, train


@pytest.fixture(scope="module")
def images():
    (x_train, y_train), _ = data.load_mnist()
    return x_train[:160], y_train[:160]


def tiny_gan(seed=0, **compile_options):
    train.set_seed(seed)
    gan = train.GAN(models.mlp_generator(16, (32,)), models.mlp_discriminator((32,)), seed=seed)
    gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), **compile_options)
    return gan


def test_step_returns_finite_figures_and_handles_the_short_last_batch(images):
    train.set_seed(0)
    g, d = models.mlp_generator(16, (32,)), models.mlp_discriminator((32,))
    step = train.make_train_step(g, d, keras.optimizers.Adam(), keras.optimizers.Adam())
    sizes = []
    for batch in data.make_dataset(images[0], batch_size=64):  # 64, 64, 32
        on_batch = np.mean(1 / (1 + np.exp(-np.asarray(d(batch, training=True)))))
        out = step(batch)
        sizes.append(batch.shape[0])
        assert set(out) == set(train.STEP_KEYS)
        assert all(np.isfinite(float(v)) for v in out.values())
        assert float(out["d_real"]) == pytest.approx(on_batch, rel=1e-4)  # every image of it
    assert sizes == [64, 64, 32]


def test_d_steps_updates_d_k_times_per_g_step(images):
    gan = tiny_gan(d_steps=3)
    gan.fit(data.make_dataset(images[0], batch_size=64), epochs=1, verbose=0, shuffle=False)
    assert int(gan.g_optimizer.iterations) == 3
    assert int(gan.d_optimizer.iterations) == 9


def on_the_cpu(test):
    """Bitwise comparisons hold on the CPU without XLA; GPU kernels and XLA may reorder sums.
    Pins the test there, so that it holds on a GPU machine too."""
    @functools.wraps(test)
    def pinned(*args, **kwargs):
        with tf.device("/CPU:0"):
            return test(*args, **kwargs)
    return pinned


@on_the_cpu
def test_same_seed_same_losses_on_the_cpu(images):
    runs = []
    for _ in range(2):
        gan = tiny_gan(seed=7, jit_compile=False)
        history = train.StepHistory()
        gan.fit(data.make_dataset(images[0], batch_size=32, seed=7), epochs=1, verbose=0,
                shuffle=False, callbacks=[history])
        runs.append(history.history)
    assert runs[0]["d_loss"] == runs[1]["d_loss"] and runs[0]["g_loss"] == runs[1]["g_loss"]
    other = tiny_gan(seed=8, jit_compile=False)
    history = train.StepHistory()
    other.fit(data.make_dataset(images[0], batch_size=32, seed=8), epochs=1, verbose=0,
              shuffle=False, callbacks=[history])
    assert history.history["d_loss"] != runs[0]["d_loss"]


@pytest.mark.parametrize("options", [
    dict(loss="minimax", real_target=0.9),
    dict(loss="non_saturating", real_target=0.9, fake_target=0.1, label_noise=0.05, label_flip=0.05),
    dict(loss="least_squares"),
    dict(loss="hinge", r1_weight=1.0),
    dict(loss="wasserstein", gp_weight=10.0, d_steps=2),
    dict(instance_noise=0.5, noise_decay_steps=4),
    dict(updates="simultaneous", d_steps=2, label_noise=0.05),
])
def test_every_option_trains(images, options):
    gan = tiny_gan(**options)
    history = train.StepHistory()
    gan.fit(data.make_dataset(images[0], batch_size=64), epochs=1, verbose=0, shuffle=False,
            callbacks=[history])
    assert len(history.history["d_loss"]) == 3
    assert np.all(np.isfinite(history.history["g_loss"]))


@pytest.mark.parametrize("updates", train.UPDATES)
def test_g_sees_the_updated_d_only_when_alternating(images, updates):
    """With one image, D(G(z)) is one logit: the non-saturating G loss is -log sigma(D(G(z)))
    of the D that G's gradient was taken against. Simultaneous: the D that produced d_fake;
    alternating: the D after its update, whose output on that fake has moved."""
    train.set_seed(0)
    g, d = models.mlp_generator(16, (32,)), models.mlp_discriminator((32,))
    step = train.make_train_step(g, d, keras.optimizers.Adam(0.05), keras.optimizers.Adam(0.05),
                                 updates=updates)
    out = step(next(iter(data.make_dataset(images[0][:1], batch_size=1))))
    loss_on_d_before_update = -np.log(float(out["d_fake"]))
    if updates == "simultaneous":
        assert float(out["g_loss"]) == pytest.approx(loss_on_d_before_update, rel=1e-5)
    else:
        assert abs(float(out["g_loss"]) - loss_on_d_before_update) > 1e-3


@pytest.mark.parametrize("option, message", [
    (dict(d_steps=0), "d_steps must be a whole number >= 1"), (dict(d_steps=-2), "d_steps"),
    (dict(d_steps=1.5), "d_steps"), (dict(loss="hinged"), "loss must be one of minimax, "),
    (dict(updates="sequential"), "updates must be one of alternating, simultaneous"),
    (dict(label_noise=3.0), r"label_noise must be a number in \[0, 1\], got 3.0"),
    (dict(real_target=1.5), "real_target"), (dict(label_flip=-0.1), "label_flip"),
    (dict(gp_weight=-1.0, loss="wasserstein"), "gp_weight must be a number >= 0"),
    (dict(r1_weight=float("nan")), "r1_weight"),
    (dict(lable_noise=0.1), "unknown step option 'lable_noise'; the options are loss, d_steps")])
def test_bad_step_options_are_refused_at_compile_and_at_make_train_step(option, message):
    g, d = models.mlp_generator(2, (8,), (2,), False, None), models.mlp_discriminator((8,), (2,))
    with pytest.raises(ValueError, match=message):
        train.make_train_step(g, d, keras.optimizers.Adam(), keras.optimizers.Adam(), **option)
    with pytest.raises(ValueError, match=message):
        train.GAN(g, d).compile(keras.optimizers.Adam(), keras.optimizers.Adam(), **option)


def test_bad_instance_noise_is_refused_at_compile():
    g, d = models.mlp_generator(2, (8,), (2,), False, None), models.mlp_discriminator((8,), (2,))
    with pytest.raises(ValueError, match="instance_noise must be a number >= 0"):
        train.GAN(g, d).compile(keras.optimizers.Adam(), keras.optimizers.Adam(),
                                instance_noise=-0.1)
    with pytest.raises(ValueError, match="decay_steps"):
        train.GAN(g, d).compile(keras.optimizers.Adam(), keras.optimizers.Adam(),
                                instance_noise=0.1, noise_decay_steps=0)


@pytest.mark.parametrize("jit_compile", [False, True])
def test_a_batch_holding_nan_is_refused_by_name(jit_compile):
    bad = np.full((4, 28, 28, 1), -0.5, np.float32)
    bad[2, 3, 3, 0] = np.nan
    g, d = models.mlp_generator(16, (32,)), models.mlp_discriminator((32,))
    step = train.make_train_step(g, d, keras.optimizers.Adam(), keras.optimizers.Adam(),
                                 jit_compile=jit_compile)
    with pytest.raises(tf.errors.InvalidArgumentError, match="NaN or Inf"):
        step(bad)
    with pytest.raises(tf.errors.InvalidArgumentError, match="NaN or Inf"):
        tiny_gan(jit_compile=jit_compile).fit(tf.data.Dataset.from_tensors(bad), verbose=0,
                                               shuffle=False)


# Effect tests: each option of the step, checked by the update it makes. D(x) = w . x (linear,
# so its input gradient is w) and G(z) = f for every z (a zero kernel, bias f), both trained by
# SGD with learning rate 1: D's update is minus its gradient, G's bias update is minus the
# mean over the batch of dL_G / dG(z).
W, FAKE = np.array([1.6, -1.2], np.float32), np.array([0.5, 1.5], np.float32)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def linear_step(real, noise_std=None, through_fit=False, **options):
    """One step on (real) with the linear players; returns (step output, D's gradient, and
    G's bias gradient, both read off the updates)."""
    g = keras.Sequential([keras.Input((4,)), keras.layers.Dense(
        2, kernel_initializer="zeros", bias_initializer=keras.initializers.Constant(FAKE))])
    d = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, use_bias=False)])
    d.layers[-1].kernel.assign(W[:, None])
    optimizers = keras.optimizers.SGD(1.0), keras.optimizers.SGD(1.0)
    if through_fit:  # GAN.compile and fit
        gan = train.GAN(g, d)
        gan.compile(*optimizers, instance_noise=noise_std or 0.0, **options)
        history = train.StepHistory()
        gan.fit(tf.data.Dataset.from_tensors(real), verbose=0, callbacks=[history])
        out = {key: values[0] for key, values in history.history.items()}
    else:
        step = train.make_train_step(g, d, *optimizers, jit_compile=False, **options)
        out = step(tf.constant(real), noise_std=noise_std)
        out = {key: float(value) for key, value in out.items()}
    return out, W - d.layers[-1].kernel.numpy()[:, 0], FAKE - g.layers[-1].bias.numpy()


def d_gradient(loss, real, real_target=1.0, fake_target=0.0):
    """dL_D / dw for the linear D, by hand."""
    d_real, d_fake = real @ W, FAKE @ W
    if loss in ("minimax", "non_saturating"):  # BCE: (sigmoid(D) - target) x
        return (((sigmoid(d_real) - real_target)[:, None] * real).mean(axis=0)
                + (sigmoid(d_fake) - fake_target) * FAKE)
    if loss == "least_squares":
        return ((d_real - 1)[:, None] * real).mean(axis=0) + d_fake * FAKE
    if loss == "hinge":
        return -((d_real < 1)[:, None] * real).mean(axis=0) + (d_fake > -1) * FAKE
    return FAKE - real.mean(axis=0)  # wasserstein


def g_gradient(loss, w):
    """dL_G / dG(z) for the linear D of weights w."""
    d_fake = FAKE @ w
    return {"minimax": -sigmoid(d_fake), "non_saturating": -(1 - sigmoid(d_fake)),
            "least_squares": d_fake - 1}.get(loss, -1.0) * w


REAL = np.random.default_rng(0).normal(size=(8, 2)).astype(np.float32)


@pytest.mark.parametrize("loss, updates, targets", [
    ("non_saturating", "alternating", {}), ("minimax", "alternating", {}),
    ("least_squares", "alternating", {}), ("hinge", "alternating", {}),
    ("wasserstein", "alternating", {}), ("non_saturating", "simultaneous", {}),
    ("non_saturating", "alternating", dict(real_target=0.9)),
    ("minimax", "alternating", dict(real_target=0.9, fake_target=0.2))])
def test_each_loss_and_bce_target_reaches_both_updates(loss, updates, targets):
    out, d_grad, g_grad = linear_step(REAL, loss=loss, updates=updates, **targets)
    np.testing.assert_allclose(d_grad, d_gradient(loss, REAL, **targets), rtol=1e-5, atol=1e-6)
    assert out["d_grad_norm"] == pytest.approx(np.linalg.norm(d_grad), rel=1e-4)
    seen_by_g = W if updates == "simultaneous" else W - d_grad  # D after its update
    np.testing.assert_allclose(g_grad, g_gradient(loss, seen_by_g), rtol=1e-5, atol=1e-6)


def test_flipped_labels_swap_the_targets():
    _, d_grad, _ = linear_step(REAL, real_target=0.9, fake_target=0.2, label_flip=1.0)
    np.testing.assert_allclose(d_grad, d_gradient("non_saturating", REAL, 0.1, 0.8), rtol=1e-5)


def test_label_noise_moves_the_targets_half_way_on_average():
    """label_noise=1: targets 1 - u and u, u ~ U[0, 1): 0.5 on average over a large batch."""
    real = np.tile(W * 0.5, (20000, 1))  # D(x) = 2: sigmoid 0.88, far from the mean target
    _, d_grad, _ = linear_step(real, label_noise=1.0)
    np.testing.assert_allclose(d_grad, d_gradient("non_saturating", real[:1], 0.5, 0.5), rtol=0.02)


@pytest.mark.parametrize("through_fit", [False, True])
def test_instance_noise_reaches_d_on_real_and_fake_images(through_fit):
    """Least squares with noise n ~ N(0, s^2) on D's inputs adds E[(w . n) n] = s^2 w to
    each of the two terms of D's gradient."""
    real, std = np.tile(W, (20000, 1)), 0.7
    _, d_grad, _ = linear_step(real, std, through_fit, loss="least_squares")
    expected = d_gradient("least_squares", real[:1]) + 2 * std ** 2 * W
    np.testing.assert_allclose(d_grad, expected, rtol=0.03, atol=0.01)


def test_gradient_penalty_adds_its_gradient_at_its_weight():
    """The linear D's input gradient is w everywhere: the penalty is (|w| - 1)^2, of gradient
    2 (|w| - 1) w / |w|, whatever the interpolation (|w| = 2 here)."""
    _, d_grad, _ = linear_step(REAL, loss="wasserstein", gp_weight=10.0)
    norm = np.linalg.norm(W)
    penalty_grad = 10.0 * 2 * (norm - 1) * W / norm
    np.testing.assert_allclose(d_grad, d_gradient("wasserstein", REAL) + penalty_grad, rtol=1e-4,
                               atol=1e-5)


def test_r1_adds_gamma_times_w_to_d_gradient():
    """R1 = |w|^2 for the linear D, weighted by gamma / 2: its gradient is gamma w."""
    _, d_grad, _ = linear_step(REAL, r1_weight=4.0)
    np.testing.assert_allclose(d_grad, d_gradient("non_saturating", REAL) + 4.0 * W, rtol=1e-5,
                               atol=1e-6)


@on_the_cpu
def test_without_grad_norms_the_step_is_the_same_minus_the_norms(images):
    real = next(iter(data.make_dataset(images[0][:32], batch_size=32)))
    outs = []
    for grad_norms in (True, False):
        train.set_seed(0)
        g, d = models.mlp_generator(16, (32,)), models.mlp_discriminator((32,))
        step = train.make_train_step(g, d, keras.optimizers.Adam(), keras.optimizers.Adam(),
                                     grad_norms=grad_norms, jit_compile=False)
        outs.append([step(real), step(real)])
    assert set(outs[1][0]) == set(train.STEP_KEYS) - {"d_grad_norm", "g_grad_norm"}
    for with_norms, without in zip(*outs):
        for key, value in without.items():
            assert float(value) == float(with_norms[key])


def test_the_gan_wrapper_refuses_to_drop_the_grad_norms():
    with pytest.raises(ValueError, match="make_train_step"):
        tiny_gan(grad_norms=False)


@pytest.fixture
def policy():
    """Set a Keras dtype policy for one test, then go back to float32."""
    yield keras.mixed_precision.set_global_policy
    keras.mixed_precision.set_global_policy("float32")


@pytest.mark.parametrize("spectral_norm", [False, True])
def test_mixed_bfloat16_trains_with_float32_outputs(images, policy, spectral_norm):
    policy("mixed_bfloat16")
    train.set_seed(0)
    g, d = models.dcgan_generator(width=16), models.dcgan_discriminator(8, spectral_norm=spectral_norm)
    assert g.layers[1].compute_dtype == "bfloat16"
    step = train.make_train_step(g, d, keras.optimizers.Adam(), keras.optimizers.Adam())
    real = next(iter(data.make_dataset(images[0][:16], batch_size=16)))
    out = step(real)
    assert all(np.isfinite(float(v)) for v in out.values())
    assert g(tf.zeros((2, 100))).dtype == tf.float32 and d(real).dtype == tf.float32
    assert all(v.dtype == "float32" for v in g.trainable_variables + d.trainable_variables)


def test_float16_without_loss_scaling_is_refused(policy):
    policy("mixed_float16")
    g, d = models.mlp_generator(16, (32,)), models.mlp_discriminator((32,))
    step = train.make_train_step(g, d, keras.optimizers.Adam(), keras.optimizers.Adam())
    with pytest.raises(ValueError, match="mixed_bfloat16"):
        step(-tf.ones((2, 28, 28, 1)))


def test_instance_noise_decays_linearly_to_zero():
    values = [float(train.instance_noise_std(s, 0.4, 10)) for s in (0, 5, 10, 20)]
    np.testing.assert_allclose(values, [0.4, 0.2, 0.0, 0.0], atol=1e-7)
    assert train.instance_noise_std(3, 0.0, 10) is None


def test_conditional_gan_trains_on_images_and_labels(images):
    train.set_seed(0)
    gan = train.GAN(models.mlp_generator(16, (32,), num_classes=10),
                    models.mlp_discriminator((32,), num_classes=10))
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    gan.fit(data.make_dataset(*images, batch_size=64), epochs=1, verbose=0, shuffle=False)
    train.train_for(gan, images[0], labels=images[1], steps=3, batch_size=64)
    assert int(gan.g_optimizer.iterations.numpy()) == 3 + 3  # fit's epoch of 160 images, then 3
    samples = gan.generate(5, labels=np.arange(5))
    assert samples.shape == (5, 28, 28, 1)


@pytest.mark.parametrize("jit_compile", [False, True])
@pytest.mark.parametrize("scale", [255.0, 1.0])  # uint8 values never scaled, or scaled to [0, 1]
def test_images_outside_minus_one_one_are_refused_under_xla_and_after_a_resume(
        images, tmp_path, jit_compile, scale):
    raw = tf.constant(images[0][:8, :, :, None] / 255.0 * scale, tf.float32)
    message = r"\[0, 1\]" if scale == 1.0 else r"\[-1, 1\]"
    g, d = models.mlp_generator(16, (32,)), models.mlp_discriminator((32,))
    step = train.make_train_step(g, d, keras.optimizers.Adam(), keras.optimizers.Adam(),
                                 jit_compile=jit_compile)
    step(2 * raw / scale - 1)  # the same images in [-1, 1] train
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        step(raw)  # refused on a later step too, not only on the first
    gan = tiny_gan(jit_compile=jit_compile)
    good = data.make_dataset(images[0], batch_size=64)
    gan.fit(good, epochs=1, verbose=0, shuffle=False, callbacks=[train.Checkpointer(gan, tmp_path)])
    resumed = tiny_gan(jit_compile=jit_compile)
    train.Checkpointer(resumed, tmp_path).restore()
    assert int(resumed.g_optimizer.iterations) == 3
    for bad in (tf.data.Dataset.from_tensor_slices(raw).batch(4), raw.numpy()):
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            resumed.fit(bad, epochs=1, verbose=0, shuffle=False)


def test_keras_learning_rate_callbacks_act_on_both_optimizers(images):
    gan = tiny_gan()
    gan.d_optimizer.learning_rate = 4e-4  # TTUR: D twice as fast as G
    halve = keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch else lr)
    plateau = keras.callbacks.ReduceLROnPlateau("g_loss", factor=0.1, patience=0, mode="max",
                                                min_delta=1e9)  # epoch 2 does not improve
    gan.fit(data.make_dataset(images[0], batch_size=64), epochs=2, verbose=0, shuffle=False,
            callbacks=[halve, plateau])
    # epoch 2: halved by the scheduler, then cut by 10 on the plateau; the ratio holds
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(4e-4 * 0.5 * 0.1)
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(2e-4 * 0.5 * 0.1)
    assert gan.optimizer.optimizers == [gan.d_optimizer, gan.g_optimizer]
    assert not any("rmsprop" in v.path for v in gan.variables)


def test_one_learning_rate_for_older_keras_callbacks_scales_both_optimizers():
    """Keras 3.13's callbacks read and set GAN.optimizer.learning_rate: G's rate, and a new
    value moves D's by the same factor (TTUR kept)."""
    gan = tiny_gan()
    gan.d_optimizer.learning_rate = 4e-4
    assert float(gan.optimizer.learning_rate) == pytest.approx(2e-4)
    gan.optimizer.learning_rate = 1e-4
    rates = [float(o.learning_rate) for o in (gan.d_optimizer, gan.g_optimizer)]
    assert rates == pytest.approx([2e-4, 1e-4])


@pytest.mark.parametrize("steps_per_execution", [1, 4])
def test_history_keeps_every_step_with_several_steps_per_execution(images, steps_per_execution):
    gan = tiny_gan(seed=3, steps_per_execution=steps_per_execution)
    history = train.StepHistory(read_every=5)
    gan.fit(data.make_dataset(images[0][:150], batch_size=10, seed=3), epochs=2, verbose=0,
            shuffle=False, callbacks=[history])
    assert int(gan.g_optimizer.iterations) == 30
    assert all(len(values) == 30 for values in history.history.values())
    assert len(set(history.history["d_loss"])) == 30  # thirty different steps, none repeated
    if steps_per_execution == 4:  # the same steps as one step per execution
        reference = tiny_gan(seed=3)
        ref_history = train.StepHistory(read_every=5)
        reference.fit(data.make_dataset(images[0][:150], batch_size=10, seed=3), epochs=2,
                      verbose=0, shuffle=False, callbacks=[ref_history])
        np.testing.assert_allclose(history.history["d_loss"], ref_history.history["d_loss"],
                                   rtol=1e-5)


@pytest.mark.parametrize("loss", ["non_saturating", "least_squares", "wasserstein"])
def test_d_outputs_are_probabilities_only_for_bce(images, loss):
    g, d = models.mlp_generator(16, (32,)), models.mlp_discriminator((32,))
    step = train.make_train_step(g, d, keras.optimizers.Adam(), keras.optimizers.Adam(), loss=loss)
    batch = data.to_unit_range(images[0][:32])
    raw = np.asarray(d(batch, training=True))[:, 0]  # D before the step, as the step sees it
    expected = np.mean(1 / (1 + np.exp(-raw))) if loss == "non_saturating" else np.mean(raw)
    out = step(batch)
    assert float(out["d_real"]) == pytest.approx(expected, rel=1e-4)


def test_the_three_range_checks_share_one_tolerance():
    """data.to_unit_range, train.check_image_range and viz.grid_image agree on [-1, 1]."""
    from gan_course import viz
    inside = np.full((2, 28, 28, 1), -0.5, np.float32)
    for edge, accepted in ((1 + data.RANGE_SLACK / 2, True), (1 + 2 * data.RANGE_SLACK, False)):
        images = inside.copy()
        images[0, 0, 0, 0] = edge
        checks = (data.to_unit_range, train.check_image_range, viz.grid_image)
        outcomes = []
        for check in checks:
            try:
                check(images)
                outcomes.append(True)
            except (ValueError, tf.errors.InvalidArgumentError):
                outcomes.append(False)
        assert outcomes == [accepted] * 3, (edge, outcomes)


def test_wrong_image_shape_is_refused():
    g, d = models.mlp_generator(16, (32,)), models.mlp_discriminator((32,))
    step = train.make_train_step(g, d, keras.optimizers.Adam(), keras.optimizers.Adam())
    with pytest.raises(ValueError, match="expects"):
        step(tf.zeros((4, 32, 32, 1)))


def test_linear_decay_cools_both_optimizers_over_the_planned_steps_and_resumes(images):
    ds = data.make_dataset(images[0], batch_size=64)  # 3 steps an epoch
    gan = tiny_gan()
    rates = lambda: [float(o.learning_rate) for o in (gan.d_optimizer, gan.g_optimizer)]
    logged = gan.fit(ds, epochs=2, verbose=0, shuffle=False,
                     callbacks=[train.LinearDecay(2e-4, total_steps=12, every=1)]).history
    assert rates() == pytest.approx([2e-4 * (1 - 6 / 12)] * 2)  # half way
    # each epoch's rates reach the logs (TensorBoard, CSVLogger), whatever the Keras version
    names = [o.name for o in (gan.d_optimizer, gan.g_optimizer)]
    for name in names:
        assert logged[f"learning_rate_{name}"] == pytest.approx([2e-4 * 9 / 12, 2e-4 * 6 / 12])
    gan.fit(ds, epochs=3, initial_epoch=2, verbose=0, shuffle=False,  # a resumed run, TTUR
            callbacks=[train.LinearDecay([4e-4, 2e-4], total_steps=12, every=1)])
    assert rates() == pytest.approx([4e-4 * (1 - 9 / 12), 2e-4 * (1 - 9 / 12)])
    gan.fit(ds, epochs=4, initial_epoch=3, verbose=0, shuffle=False,  # resumed at step 9:
            callbacks=[train.LinearDecay(2e-4, total_steps=12, every=4)])  # set at step 12
    assert rates() == [0.0, 0.0]


def test_linear_decay_with_seconds_ends_cooled_when_time_runs_out_first(images):
    gan = tiny_gan()
    gan.g_optimizer.learning_rate = gan.d_optimizer.learning_rate = 1e-4  # saved half way
    decay = train.LinearDecay(2e-4, total_steps=10**6, seconds=100.0)
    decay.set_model(gan)
    decay.on_train_begin()
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(1e-4, rel=1e-3)
    decay.start -= 50.0  # half of the 100 s have passed: half of what was left is done
    decay.set_rate()
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(0.5e-4, rel=1e-3)
    decay.start -= 60.0
    decay.set_rate()
    assert float(gan.g_optimizer.learning_rate) == 0.0
    decay.on_train_begin()  # resumed cooled down: a new plan from the top
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(2e-4, rel=1e-3)
    with pytest.raises(ValueError, match="at least one step"):
        train.LinearDecay(2e-4, total_steps=0)


def test_nan_loss_stops_training_naming_the_step_and_checkpoint(images, tmp_path):
    ds = data.make_dataset(images[0], batch_size=64)  # 3 steps an epoch
    gan = tiny_gan()
    checkpointer = train.Checkpointer(gan, tmp_path)
    gan.fit(ds, epochs=1, verbose=0, shuffle=False, callbacks=[checkpointer])
    kernel = gan.discriminator.layers[-1].kernel
    kernel.assign(np.full(kernel.shape, np.nan, np.float32))  # D diverged
    history = train.StepHistory(checkpointer)
    with pytest.raises(train.NonFiniteLossError, match=r"at step 4 .*ckpt-1"):
        gan.fit(ds, epochs=2, initial_epoch=1, verbose=0, shuffle=False,
                callbacks=[history, checkpointer])
    assert len(history.history["d_loss"]) == 1  # stopped at the first bad step
    assert checkpointer.latest.endswith("ckpt-1")  # nothing garbage was saved


def test_checkpoint_restores_weights_optimizers_and_step(images, tmp_path):
    ds = data.make_dataset(images[0], batch_size=64)
    gan = tiny_gan()
    gan.fit(ds, epochs=2, verbose=0, shuffle=False, callbacks=[train.Checkpointer(gan, tmp_path)])
    z = np.random.default_rng(0).normal(size=(4, 16)).astype(np.float32)
    fresh = tiny_gan(seed=99)
    epoch = train.Checkpointer(fresh, tmp_path).restore()
    assert epoch == 2 and int(fresh.g_optimizer.iterations) == 6
    np.testing.assert_allclose(train.generate(fresh.generator, z), train.generate(gan.generator, z),
                               atol=1e-6)
    for a, b in zip(fresh.d_optimizer.variables, gan.d_optimizer.variables):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), atol=1e-6)


@on_the_cpu
@pytest.mark.parametrize("kind", ["gan", "vae"])
def test_a_resumed_train_for_ends_where_an_uninterrupted_run_does(images, tmp_path, kind):
    """Cut after 2 of 4 epochs and resumed from the Checkpointer in a fresh model, train_for
    gives the same weights as one run: the checkpoint holds the noise seed's state and the
    resumed run skips the batches already seen."""
    def build():
        if kind == "gan":
            return tiny_gan()
        train.set_seed(0)
        vae = train.VAE(models.vae_encoder(8, width=8), models.dcgan_generator(8, width=16))
        vae.compile(optimizer=keras.optimizers.Adam(1e-3))
        return vae

    whole = build()
    train.train_for(whole, images[0], steps=8, epochs=4)
    cut = build()  # 2 epochs of 2 steps
    train.train_for(cut, images[0], steps=4, epochs=2,
                    callbacks=[train.Checkpointer(cut, tmp_path)])
    resumed = build()
    checkpointer = train.Checkpointer(resumed, tmp_path)
    epoch = checkpointer.restore()
    assert epoch == 2
    train.train_for(resumed, images[0], steps=8, epochs=4, callbacks=[checkpointer],
                    initial_epoch=epoch)
    for a, b in zip(whole.get_weights(), resumed.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_an_epoch_cut_short_keeps_the_last_whole_epochs_checkpoint(images, tmp_path):
    ds = data.make_dataset(images[0], batch_size=64)  # 3 steps an epoch
    stop = keras.callbacks.LambdaCallback(  # the time limit strikes after epoch 2's 2nd step
        on_train_batch_end=lambda batch, logs: setattr(gan, "stop_training", gan.stop_training
                                                       or int(gan.g_optimizer.iterations) == 5))
    gan = tiny_gan()
    checkpointer = train.Checkpointer(gan, tmp_path)
    gan.fit(ds, epochs=3, verbose=0, shuffle=False, callbacks=[stop, checkpointer])
    assert checkpointer.latest == str(tmp_path / "cut_short-5")
    resumed = tiny_gan(seed=1)
    assert train.Checkpointer(resumed, tmp_path).restore() == 1  # whole epochs: 1
    assert int(resumed.g_optimizer.iterations) == 5
    whole = tiny_gan(seed=1)
    train.Checkpointer(whole, tmp_path).checkpoint.restore(str(tmp_path / "ckpt-1"))
    assert int(whole.g_optimizer.iterations) == 3  # epoch 1's checkpoint is still epoch 1's
    # resumed, the next whole epoch replaces the cut-short checkpoint
    checkpointer = train.Checkpointer(resumed, tmp_path)
    resumed.fit(ds, epochs=2, initial_epoch=1, verbose=0, shuffle=False, callbacks=[checkpointer])
    assert checkpointer.latest == str(tmp_path / "ckpt-2")
    assert not list(tmp_path.glob("cut_short*"))


def test_points_outside_the_unit_square_are_fine_for_2d_data():
    """The [-1, 1] rule is for images; a 5x5 grid mixture spans [-4.2, 4.2]."""
    samples, _ = data.grid_of_gaussians(64)
    g = models.mlp_generator(2, (16,), (2,), batch_norm=False, output_activation=None)
    d = models.mlp_discriminator((16,), input_shape=(2,))
    step = train.make_train_step(g, d, keras.optimizers.Adam(), keras.optimizers.Adam())
    assert np.isfinite(float(step(tf.constant(samples))["d_loss"]))


def test_instance_noise_is_constant_without_a_decay():
    assert float(train.instance_noise_std(10_000, 0.3)) == pytest.approx(0.3)
    with pytest.raises(ValueError, match="decay_steps"):
        train.instance_noise_std(0, 0.3, 0)


@pytest.mark.parametrize("option", [dict(real_target=0.9), dict(fake_target=0.1),
                                    dict(label_noise=0.1), dict(label_flip=0.05)])
@pytest.mark.parametrize("loss", ["wasserstein", "hinge", "least_squares"])
def test_bce_target_options_are_refused_for_other_losses(loss, option):
    g, d = models.mlp_generator(2, (8,), (2,), False, None), models.mlp_discriminator((8,), (2,))
    with pytest.raises(ValueError, match="BCE targets"):
        train.make_train_step(g, d, keras.optimizers.Adam(), keras.optimizers.Adam(),
                              loss=loss, **option)
    gan = train.GAN(g, d)
    with pytest.raises(ValueError, match="BCE targets"):
        gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam(), loss=loss, **option)
    train.make_train_step(g, d, keras.optimizers.Adam(), keras.optimizers.Adam(), loss=loss)


@pytest.mark.parametrize("layer_option", [dict(minibatch_stddev=True), dict(pack=2),
                                          dict(minibatch_discrimination=(4, 2))])
@pytest.mark.parametrize("penalty", [dict(gp_weight=10.0, loss="wasserstein"), dict(r1_weight=1.0)])
def test_penalties_are_refused_with_batch_mixing_layers(layer_option, penalty):
    g = models.mlp_generator(2, (8,), (2,), False, None)
    d = models.mlp_discriminator((8,), (2,), **layer_option)
    with pytest.raises(ValueError, match="mixes the batch"):
        train.make_train_step(g, d, keras.optimizers.Adam(), keras.optimizers.Adam(), **penalty)
    plain = models.mlp_discriminator((8,), (2,))
    train.make_train_step(g, plain, keras.optimizers.Adam(), keras.optimizers.Adam(), **penalty)



class _FakeGPU:
    device_type, name = "GPU", "/physical_device:GPU:0"


@pytest.fixture
def fake_gpu(monkeypatch):
    """TensorFlow reports a GPU (for the XLA defaults; nothing runs on it)."""
    real = tf.config.list_physical_devices
    monkeypatch.setattr(tf.config, "list_physical_devices",
                        lambda kind=None: real(kind) + ([_FakeGPU()] if kind in (None, "GPU") else []))


def test_xla_defaults_follow_keras_auto_rule(fake_gpu):
    assert train.default_jit_compile()  # a GPU: XLA on
    assert tiny_gan().jit_compile
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    with strategy.scope():  # tf.distribute: off, for the hand-written default and for Keras'
        assert not train.default_jit_compile()
        assert not tiny_gan().jit_compile


def test_vae_learns_to_reconstruct_and_samples_in_range(images):
    train.set_seed(0)
    vae = train.VAE(models.vae_encoder(8, width=8), models.dcgan_generator(8, width=16), sigma=0.2)
    vae.compile(optimizer=keras.optimizers.Adam(3e-3))
    x = data.to_unit_range(images[0])
    history = vae.fit(x, batch_size=16, epochs=20, verbose=0).history
    after = float(np.mean((np.asarray(vae(x)) - x) ** 2))
    mean_image = float(np.mean((x.mean(axis=0) - x) ** 2))  # a decoder that ignores z
    assert after < 0.8 * mean_image, (after, mean_image)
    assert history["loss"][-1] < history["loss"][0]
    np.testing.assert_allclose(history["loss"], np.add(history["reconstruction"], history["kl"]),
                               rtol=1e-4)
    samples = vae.generate(5, seed=1)
    assert samples.shape == (5, 28, 28, 1) and np.abs(samples).max() <= 1.0


def test_vae_refuses_mismatched_parts_and_a_bad_sigma():
    with pytest.raises(ValueError, match="latent values"):
        train.VAE(models.vae_encoder(8), models.dcgan_generator(16, width=16))
    with pytest.raises(ValueError, match="sigma"):
        train.VAE(models.vae_encoder(8), models.dcgan_generator(8, width=16), sigma=0.0)
    vae = train.VAE(models.vae_encoder(8), models.dcgan_generator(8, width=16))
    vae.compile(optimizer=keras.optimizers.Adam(1e-3))
    unit = np.random.default_rng(0).uniform(0, 1, (8, 28, 28, 1)).astype(np.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[0, 1\]"):
        vae.fit(unit, batch_size=8, epochs=1, verbose=0)


def test_train_for_runs_exactly_the_steps_in_equal_epochs(images):
    gan = tiny_gan()
    ends = []
    epoch_end = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: ends.append(int(gan.g_optimizer.iterations.numpy())))
    clock = train.train_for(gan, images[0], steps=12, epochs=3, batch_size=16,
                            callbacks=[epoch_end])
    assert ends == [4, 8, 12] and clock.epoch_steps == [4, 4, 4]


def test_train_for_stops_after_its_seconds(images):
    gan = tiny_gan()
    clock = train.train_for(gan, images[0], seconds=0.5, batch_size=16)
    assert 0.5 < clock.train_seconds < 30 and gan.g_optimizer.iterations.numpy() > 0


@pytest.mark.parametrize("kwargs, message", [
    (dict(), "either steps or seconds"), (dict(steps=10, seconds=1.0), "either steps or seconds"),
    (dict(steps=10, epochs=3), "must split into 3 equal epochs")])
def test_train_for_refuses_a_budget_it_cannot_run(images, kwargs, message):
    with pytest.raises(ValueError, match=message):
        train.train_for(tiny_gan(), images[0], **kwargs)
