import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_course import losses

D_REAL = np.array([[2.0], [-0.5], [0.3]], np.float32)
D_FAKE = np.array([[-1.5], [0.7], [0.0]], np.float32)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def close(tensor, expected):
    np.testing.assert_allclose(float(tensor), expected, rtol=1e-5, atol=1e-6)


def test_bce_discriminator_loss_and_label_smoothing():
    p_real, p_fake = sigmoid(D_REAL), sigmoid(D_FAKE)
    close(losses.bce_discriminator_loss(D_REAL, D_FAKE),
          -np.mean(np.log(p_real)) - np.mean(np.log(1 - p_fake)))
    # one-sided smoothing: the real target is 0.9, fakes stay 0
    close(losses.bce_discriminator_loss(D_REAL, D_FAKE, real_target=0.9),
          -np.mean(0.9 * np.log(p_real) + 0.1 * np.log(1 - p_real)) - np.mean(np.log(1 - p_fake)))
    # two-sided: fakes get 0.1
    close(losses.bce_discriminator_loss(D_REAL, D_FAKE, 0.9, 0.1),
          -np.mean(0.9 * np.log(p_real) + 0.1 * np.log(1 - p_real))
          - np.mean(0.1 * np.log(p_fake) + 0.9 * np.log(1 - p_fake)))


def test_generator_losses():
    p_fake = sigmoid(D_FAKE)
    close(losses.minimax_generator_loss(D_FAKE), np.mean(np.log(1 - p_fake)))
    close(losses.non_saturating_generator_loss(D_FAKE), -np.mean(np.log(p_fake)))
    close(losses.least_squares_generator_loss(D_FAKE), 0.5 * np.mean((D_FAKE - 1) ** 2))
    close(losses.adversarial_generator_loss(D_FAKE), -np.mean(D_FAKE))


def test_discriminator_losses_of_the_other_families():
    close(losses.least_squares_discriminator_loss(D_REAL, D_FAKE),
          0.5 * np.mean((D_REAL - 1) ** 2) + 0.5 * np.mean(D_FAKE ** 2))
    close(losses.hinge_discriminator_loss(D_REAL, D_FAKE),
          np.mean(np.maximum(0, 1 - D_REAL)) + np.mean(np.maximum(0, 1 + D_FAKE)))
    close(losses.wasserstein_discriminator_loss(D_REAL, D_FAKE), np.mean(D_FAKE) - np.mean(D_REAL))


def test_saturation_minimax_gradient_vanishes_where_non_saturating_does_not():
    rejected = tf.constant([[-8.0]])  # D is sure the fake is fake
    for fn, expected in ((losses.minimax_generator_loss, -sigmoid(-8.0)),
                         (losses.non_saturating_generator_loss, -(1 - sigmoid(-8.0)))):
        with tf.GradientTape() as tape:
            tape.watch(rejected)
            loss = fn(rejected)
        close(tape.gradient(loss, rejected)[0, 0], expected)


def linear_critic(weights):
    """D(x) = sum(w * x): its input gradient is w everywhere."""
    inputs = keras.Input((2, 2, 1))
    out = keras.layers.Dense(1, use_bias=False)(keras.layers.Flatten()(inputs))
    model = keras.Model(inputs, out)
    model.layers[-1].kernel.assign(np.reshape(weights, (4, 1)))
    return model


def test_gradient_penalty_and_r1_match_the_closed_form():
    w = np.array([0.5, -1.0, 2.0, 0.0], np.float32)
    critic = linear_critic(w)
    rng = np.random.default_rng(0)
    real = tf.constant(rng.normal(size=(6, 2, 2, 1)), tf.float32)
    fake = tf.constant(rng.normal(size=(6, 2, 2, 1)), tf.float32)
    norm = np.linalg.norm(w)
    close(losses.gradient_penalty(critic, real, fake, seed=keras.random.SeedGenerator(1)),
          (norm - 1) ** 2)
    close(losses.r1_penalty(critic, real), norm ** 2)


def test_gradient_penalty_is_taken_between_real_and_fake():
    """With fakes equal to the reals every interpolate is the real image itself, whatever eps:
    for D(x) = |x|^2 / 2 (input gradient x) the penalty is E[(|x| - 1)^2]."""
    inputs = keras.Input((2, 2, 1))
    critic = keras.Model(inputs, keras.layers.Lambda(
        lambda x: 0.5 * tf.reduce_sum(tf.square(x), axis=[1, 2, 3]))(inputs))
    real = tf.constant(np.random.default_rng(0).normal(size=(6, 2, 2, 1)), tf.float32)
    norms = np.linalg.norm(real.numpy().reshape(6, -1), axis=1)
    close(losses.gradient_penalty(critic, real, real, seed=keras.random.SeedGenerator(1)),
          np.mean((norms - 1) ** 2))


def test_seeded_draws_repeat_with_the_same_seed():
    draws = [np.asarray(losses._uniform([5], keras.random.SeedGenerator(3))) for _ in range(2)]
    np.testing.assert_array_equal(*draws)


def test_gradient_penalty_interpolates_uniformly():
    """Sample eps through the penalty's own path and check it is Uniform[0, 1]."""
    seed = keras.random.SeedGenerator(0)
    eps = np.asarray(losses._uniform([20000, 1], seed))
    assert eps.min() >= 0 and eps.max() <= 1
    assert abs(eps.mean() - 0.5) < 0.01 and abs(eps.var() - 1 / 12) < 0.005


def test_noisy_targets_by_default_are_the_clean_targets():
    for target in (1.0, 0.0, 0.9):
        np.testing.assert_allclose(losses.noisy_targets(target, tf.constant(5)), [[target]] * 5)


@pytest.mark.parametrize("noise, flip", [(0.0, 0.0), (0.1, 0.0), (0.0, 0.2)])
def test_noisy_targets(noise, flip):
    """Noise moves targets towards 0.5 (never past 1 or 0), flips swap real and fake."""
    for target in (1.0, 0.0):
        t = np.asarray(losses.noisy_targets(target, tf.constant(20000), noise, flip,
                                            keras.random.SeedGenerator(0)))
        assert t.shape == (20000, 1) and t.min() >= 0 and t.max() <= 1
        flipped = np.abs(t - target) > 0.5
        np.testing.assert_allclose(flipped.mean(), flip, atol=0.01)
        kept = np.abs(t[~flipped] - target)  # distance from the clean target: noise * U[0, 1)
        assert kept.max() <= noise + 1e-6
        np.testing.assert_allclose(kept.mean(), noise / 2, atol=0.01)


def test_gradient_penalty_has_a_finite_gradient_where_d_is_flat():
    """A critic with zero input gradient (all weights 0): tf.norm's gradient would be NaN."""
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="zeros")])
    real, fake = tf.ones((4, 2)), tf.zeros((4, 2))
    with tf.GradientTape() as tape:
        penalty = losses.gradient_penalty(critic, real, fake, seed=keras.random.SeedGenerator(0))
    kernel_grad = tape.gradient(penalty, critic.trainable_variables[0])
    assert float(penalty) == pytest.approx(1.0, abs=1e-5)  # (0 - 1)^2
    assert np.isfinite(kernel_grad.numpy()).all()


def test_negative_elbo_is_the_gaussian_reconstruction_plus_the_closed_form_kl():
    rng = np.random.default_rng(0)
    x, x_mean = rng.uniform(-1, 1, (2, 28, 28, 1)), rng.uniform(-1, 1, (2, 28, 28, 1))
    mean, log_var = rng.normal(size=(2, 4)), rng.normal(size=(2, 4)) * 0.5
    reconstruction, kl = losses.negative_elbo(*(tf.constant(a, tf.float32) for a in
                                                (x, x_mean, mean, log_var)), sigma=0.2)
    squared = ((x - x_mean) ** 2).reshape(2, -1).sum(axis=1)
    np.testing.assert_allclose(float(reconstruction), squared.mean() / (2 * 0.2 ** 2), rtol=1e-5)
    # KL(N(m, s^2) || N(0, 1)) = log(1 / s) + (s^2 + m^2) / 2 - 1/2, per dimension
    s2 = np.exp(log_var)
    expected = (-0.5 * log_var + (s2 + mean ** 2) / 2 - 0.5).sum(axis=1).mean()
    np.testing.assert_allclose(float(kl), expected, rtol=1e-5)
    zero_kl = losses.negative_elbo(tf.zeros((1, 4)), tf.zeros((1, 4)), tf.zeros((1, 3)),
                                   tf.zeros((1, 3)))[1]
    assert abs(float(zero_kl)) < 1e-7  # the posterior equals the prior


def test_cycle_consistency_loss_is_the_mean_absolute_round_trip_error():
    real = np.array([[[[0.5]], [[-1.0]]]], np.float32)  # (1, 2, 1, 1)
    assert float(losses.cycle_consistency_loss(real, real)) == 0.0
    assert float(losses.cycle_consistency_loss(real, real + 0.25)) == pytest.approx(0.25)
    assert float(losses.cycle_consistency_loss(real, -real)) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="same shape"):
        losses.cycle_consistency_loss(np.zeros((2, 28, 28, 1)), np.zeros((2, 14, 14, 1)))
