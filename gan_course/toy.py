"""GANs on the 2-D mixtures of notebook 04: their discriminator and one training run.

`train` runs the course's one train step (`train.make_train_step`) on random batches of a
mixture and returns a `ToyGAN`, whose samples are in the mixture's own units, so that
`metrics.mode_coverage` can count the modes it captures.
"""

import time

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from gan_course import data, metrics, models
from gan_course import train as T

MIXTURES = {"ring": (data.ring_of_gaussians, 0.01), "grid": (data.grid_of_gaussians, 0.05)}
TRAIN_POINTS = 20_000  # each mixture's training set: sampler(20_000, seed=0)
BATCH = 128            # points per real batch


def mixture(name):
    """(points, centres, std) of the mixture `name`: 'ring' or 'grid'."""
    if name not in MIXTURES:
        raise ValueError(f"no mixture {name!r}; the mixtures are {sorted(MIXTURES)}.")
    sampler, std = MIXTURES[name]
    points, centres = sampler(TRAIN_POINTS, seed=0)
    return points, centres, std


def discriminator(hidden=(128, 128), spread_first_layer=True, pack=1):
    """D for 2-D points. spread_first_layer: the first layer's kinks start steep (kernel std 5)
    and spread over standardised data (biases in [-10, 10]), not all through the origin as
    with Keras' default start. pack=m: PacGAN, one logit per m points."""
    points = keras.Input((2,))
    x = models.Pack(pack)(points) if pack > 1 else points
    spread = dict(kernel_initializer=keras.initializers.RandomNormal(stddev=5.0),
                  bias_initializer=keras.initializers.RandomUniform(-10.0, 10.0))
    for i, units in enumerate(hidden):
        start = spread if i == 0 and spread_first_layer else {}
        x = layers.LeakyReLU(0.2)(layers.Dense(units, **start)(x))
    return keras.Model(points, layers.Dense(1)(x))


class ToyGAN:
    """A trained 2-D GAN: its two networks, the scale its points were divided by, and the
    per-step outputs of training (`history`, arrays) and its `seconds`."""

    def __init__(self, mixture_name, generator, discriminator, scale):
        self.mixture, self.generator, self.discriminator = mixture_name, generator, discriminator
        self.scale, self.history, self.seconds = scale, {}, 0.0

    def generate(self, n, seed=0):
        """n samples (n, 2) in the mixture's units, from the noise of `seed`."""
        z = T.draw_z(n, T.latent_dim_of(self.generator), seed)
        return self.scale * T.generate(self.generator, z)

    def figures(self, n, seed=0):
        """metrics.mode_coverage of n samples."""
        _, centres, std = mixture(self.mixture)
        return metrics.mode_coverage(self.generate(n, seed), centres, std)


def build(mixture_name, latent_dim=2, g_hidden=(256, 256, 256), d_hidden=(128, 128),
          pack=1, standardise=True, spread_first_layer=True, seed=0):
    """An untrained ToyGAN (weights drawn with `seed`)."""
    points, _, _ = mixture(mixture_name)
    T.set_seed(seed)
    generator = models.mlp_generator(latent_dim, g_hidden, output_shape=(2,), batch_norm=False,
                                     output_activation=None)
    critic = discriminator(d_hidden, spread_first_layer, pack)
    return ToyGAN(mixture_name, generator, critic, float(points.std()) if standardise else 1.0)


def train(mixture_name, steps, lr=1e-3, d_lr=None, betas=(0.5, 0.999), batch=BATCH, decay=True,
          seed=0, every=None, callback=None, latent_dim=2, g_hidden=(256, 256, 256),
          d_hidden=(128, 128), pack=1, standardise=True, spread_first_layer=True,
          **step_options):
    """Train a ToyGAN for `steps` G steps with Adam (both learning rates decaying to 0 over the
    run with a cosine schedule when `decay`) and return it. `step_options` go to the train
    step (r1_weight=..., d_steps=...); callback(gan, step) runs every `every` steps."""
    gan = build(mixture_name, latent_dim, g_hidden, d_hidden, pack, standardise,
                spread_first_layer, seed)
    points, _, _ = mixture(mixture_name)

    def adam(rate):
        schedule = keras.optimizers.schedules.CosineDecay(rate, steps) if decay else rate
        return keras.optimizers.Adam(schedule, *betas)

    step = T.make_train_step(gan.generator, gan.discriminator, adam(lr), adam(d_lr or lr),
                             seed=seed, **step_options)
    rng = np.random.default_rng(seed)  # picks the real batches
    start, outs = time.perf_counter(), []
    for i in range(1, steps + 1):
        outs.append(step(tf.constant(points[rng.integers(len(points), size=batch)] / gan.scale)))
        if callback and every and i % every == 0:
            callback(gan, i)
    gan.seconds = time.perf_counter() - start
    gan.history = {k: np.array([float(o[k]) for o in outs]) for k in outs[0]}
    return gan
