"""GAN losses on discriminator outputs `d_real = D(x)`, `d_fake = D(G(z))` (logits).

Each loss returns a scalar tensor. sigma is the logistic sigmoid; E is the batch mean.
`LOSSES[name] = (discriminator_loss, generator_loss)` picks a pair by name.
`negative_elbo` is the VAE's loss (notebook 08), `cycle_consistency_loss` CycleGAN's (10).
"""

import keras
import tensorflow as tf


def _bce(targets, logits):
    targets = tf.broadcast_to(tf.cast(targets, logits.dtype), tf.shape(logits))
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits))


def bce_discriminator_loss(d_real, d_fake, real_target=1.0, fake_target=0.0):
    """-E[t_r log sigma(D(x)) + (1-t_r) log(1-sigma(D(x)))] - E[same with t_f, D(G(z))].

    Targets 1 and 0 give the minimax D loss; `real_target=0.9` is one-sided label
    smoothing, `fake_target=0.1` as well makes it two-sided. Targets may be per-sample
    tensors (noisy or flipped labels, see `noisy_targets`).
    """
    return _bce(real_target, d_real) + _bce(fake_target, d_fake)


def minimax_generator_loss(d_fake):
    """E[log(1 - sigma(D(G(z))))], minimised by G: the original, saturating objective."""
    return -_bce(0.0, d_fake)


def non_saturating_generator_loss(d_fake):
    """-E[log sigma(D(G(z)))]: same fixed point, strong gradients when D rejects fakes."""
    return _bce(1.0, d_fake)


def least_squares_discriminator_loss(d_real, d_fake):
    """LSGAN: 1/2 E[(D(x) - 1)^2] + 1/2 E[D(G(z))^2] on raw outputs."""
    return 0.5 * tf.reduce_mean(tf.square(d_real - 1.0)) + 0.5 * tf.reduce_mean(tf.square(d_fake))


def least_squares_generator_loss(d_fake):
    """LSGAN: 1/2 E[(D(G(z)) - 1)^2]."""
    return 0.5 * tf.reduce_mean(tf.square(d_fake - 1.0))


def hinge_discriminator_loss(d_real, d_fake):
    """E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))]."""
    return tf.reduce_mean(tf.nn.relu(1.0 - d_real)) + tf.reduce_mean(tf.nn.relu(1.0 + d_fake))


def wasserstein_discriminator_loss(d_real, d_fake):
    """Critic loss E[D(G(z))] - E[D(x)]: the negated Wasserstein-1 estimate.
    Needs a Lipschitz critic: add `gradient_penalty` (WGAN-GP) or use spectral norm."""
    return tf.reduce_mean(d_fake) - tf.reduce_mean(d_real)


def adversarial_generator_loss(d_fake):
    """-E[D(G(z))]: the generator loss of WGAN and hinge GAN."""
    return -tf.reduce_mean(d_fake)


def with_labels(inputs, labels):
    """A model's input: images (or noise) alone, or with the labels of a conditional model."""
    return inputs if labels is None else [inputs, labels]


def _uniform(shape, seed):
    """Uniform[0, 1); `seed` is a keras.random.SeedGenerator (reproducible) or None."""
    return tf.random.uniform(shape) if seed is None else keras.random.uniform(shape, seed=seed)


def gradient_penalty(discriminator, real, fake, labels=None, seed=None):
    """WGAN-GP: E[(||grad D(x_hat)||_2 - 1)^2], x_hat = eps x + (1 - eps) G(z),
    eps ~ Uniform[0, 1] per sample (uniform, not normal: keras-io issue #415)."""
    shape = tf.concat([tf.shape(real)[:1], tf.ones([tf.rank(real) - 1], tf.int32)], axis=0)
    eps = _uniform(shape, seed)
    mixed = eps * real + (1.0 - eps) * fake
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        out = discriminator(with_labels(mixed, labels), training=True)
    grads = tf.reshape(tape.gradient(out, mixed), [tf.shape(real)[0], -1])
    norms = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=1) + 1e-12)  # tf.norm: NaN gradient at 0
    return tf.reduce_mean(tf.square(norms - 1.0))


def r1_penalty(discriminator, real, labels=None):
    """R1 (Mescheder et al. 2018): E[||grad D(x)||_2^2] on real data; weight it by gamma / 2."""
    with tf.GradientTape() as tape:
        tape.watch(real)
        out = discriminator(with_labels(real, labels), training=True)
    grads = tf.reshape(tape.gradient(out, real), [tf.shape(real)[0], -1])
    return tf.reduce_mean(tf.reduce_sum(tf.square(grads), axis=1))


def noisy_targets(target, batch_size, noise=0.0, flip_prob=0.0, seed=None):
    """Per-sample targets of shape (batch_size, 1): `target` moved towards 0.5 by
    noise * Uniform[0, 1) (t + (1 - 2t) * noise * u, so 1 becomes 1 - noise * u and 0 becomes
    noise * u), then flipped (t -> 1 - t) with probability `flip_prob`. Needs 0 <= noise <= 1."""
    shape = tf.stack([batch_size, 1])
    t = target + (1.0 - 2.0 * target) * noise * _uniform(shape, seed)
    flip = tf.cast(_uniform(shape, seed) < flip_prob, tf.float32)
    return flip * (1.0 - t) + (1.0 - flip) * t


def negative_elbo(x, x_mean, z_mean, z_log_var, sigma=0.1):
    """The VAE's loss per image, batch mean: (reconstruction, KL), their sum is -ELBO (nats,
    up to a constant). The likelihood is Gaussian, p(x | z) = N(x_mean, sigma^2 I), so the
    reconstruction term is ||x - x_mean||^2 / (2 sigma^2); the KL term is
    KL(N(z_mean, exp(z_log_var)) || N(0, I)) in closed form."""
    squared = tf.reduce_sum(tf.reshape(tf.square(x - x_mean), [tf.shape(x)[0], -1]), axis=1)
    reconstruction = tf.reduce_mean(squared) / (2.0 * sigma ** 2)
    kl = -0.5 * tf.reduce_mean(tf.reduce_sum(
        1.0 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var), axis=1))
    return reconstruction, kl


def cycle_consistency_loss(real, reconstructed):
    """CycleGAN's cycle loss (Zhu et al. 2017): E|x - F(G(x))|, the mean absolute pixel
    error between images and their round trip through both generators. The identity loss
    E|y - G(y)| is the same function applied to G's output on its own target domain."""
    real = tf.convert_to_tensor(real)
    reconstructed = tf.convert_to_tensor(reconstructed, dtype=real.dtype)
    if real.shape.rank is not None and reconstructed.shape.rank is not None \
            and real.shape[1:] != reconstructed.shape[1:]:
        raise ValueError(f"images and their reconstructions must have the same shape, got "
                         f"{real.shape} and {reconstructed.shape}.")
    return tf.reduce_mean(tf.abs(real - reconstructed))


LOSSES = {
    "minimax": (bce_discriminator_loss, minimax_generator_loss),
    "non_saturating": (bce_discriminator_loss, non_saturating_generator_loss),
    "least_squares": (least_squares_discriminator_loss, least_squares_generator_loss),
    "hinge": (hinge_discriminator_loss, adversarial_generator_loss),
    "wasserstein": (wasserstein_discriminator_loss, adversarial_generator_loss),
}
