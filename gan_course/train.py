"""THE GAN train step, a keras.Model wrapper for fit(), and the training callbacks.

`gan_train_step` is the one implementation: `make_train_step` wraps it in a tf.function for
explicit loops, and `GAN.train_step` calls it inside `fit()`. TensorFlow places it on the
GPU when it sees one and on the CPU otherwise; nothing in the code names a device.
"""

import contextlib
import math
import threading
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from gan_course.data import RANGE_SLACK, make_dataset
from gan_course.losses import (LOSSES, bce_discriminator_loss, gradient_penalty,
                               negative_elbo, noisy_targets, r1_penalty, with_labels)

STEP_KEYS = ("d_loss", "g_loss", "d_real", "d_fake", "d_grad_norm", "g_grad_norm")


class NonFiniteLossError(FloatingPointError):
    """A loss became NaN or Inf; training stopped before writing garbage."""


def describe_device():
    """'GPU (name)' when TensorFlow sees a GPU, else 'CPU'."""
    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        details = tf.config.experimental.get_device_details(gpus[0])
        return f"GPU ({details.get('device_name', gpus[0].name)})"
    return "CPU (no GPU found; training runs on the processor)"


def set_seed(seed):
    """Seed Python, NumPy and TensorFlow so that two runs on the CPU give the same losses."""
    keras.utils.set_random_seed(seed)


def draw_z(n, latent_dim, seed=0):
    """n noise vectors z ~ N(0, I), float32 (numpy), drawn with `seed`."""
    return np.random.default_rng(seed).standard_normal((n, latent_dim)).astype(np.float32)


def latent_dim_of(generator):
    """Size of the generator's noise input z."""
    return generator.inputs[0].shape[-1]


RANGE_HELP = ("real images must lie in [-1, 1]; scale uint8 images with (x - 127.5) / 127.5, "
              "or build the dataset with gan_course.data.make_dataset().")


def check_image_range(real):
    """Check that a batch of images (N, H, W, C) lies in [-1, 1] and is not scaled to [0, 1]
    (no pixel below 0); returns it. Other data, such as 2-D points, has no fixed range.

    It runs on the input side, before any compiled step (XLA cannot compile an assert): in
    `make_train_step`'s wrapper and in `GAN.fit`'s input pipeline, on every batch."""
    real = tf.convert_to_tensor(real)
    if real.shape.rank != 4 or not real.dtype.is_floating:
        return real
    finite = tf.reduce_all(tf.math.is_finite(real))
    zero = tf.zeros((), real.dtype)  # the range checks pass on a batch that holds NaN or Inf
    checks = [tf.debugging.assert_equal(finite, True, "real images contain NaN or Inf values; "
                                        "find them with (~np.isfinite(x)).any(axis=(1, 2, 3)).")]
    with tf.control_dependencies(checks):  # in this order: the NaN is named, not the range
        checks.append(tf.debugging.assert_less_equal(
            tf.where(finite, tf.reduce_max(tf.abs(real)), zero),
            tf.cast(1 + RANGE_SLACK, real.dtype), RANGE_HELP))
        checks.append(tf.debugging.assert_less(
            tf.where(finite, tf.reduce_min(real), -tf.ones((), real.dtype)), zero,
            "real images have no pixel below 0, as if scaled to [0, 1]; " + RANGE_HELP))
    with tf.control_dependencies(checks):
        return tf.identity(real)


def _check_element(*element):
    """check_image_range for a dataset element: images, or (images, labels)."""
    return check_image_range(element[0]) if len(element) == 1 else (
        check_image_range(element[0]), *element[1:])


def _check_images(real, discriminator):
    """Fail early, with a clear message, on data the discriminator cannot have been meant for."""
    expected = tuple(discriminator.inputs[0].shape[1:])
    if tuple(real.shape[1:]) != expected:
        raise ValueError(f"real images have shape {tuple(real.shape)}, the discriminator expects "
                         f"(batch, {', '.join(map(str, expected))}). Build the dataset with "
                         "gan_course.data.make_dataset().")


class ReplicaSeedGenerator(keras.random.SeedGenerator):
    """A keras SeedGenerator that gives each tf.distribute replica its own draws: Keras' own
    gives every replica the same noise. With one replica it draws exactly what Keras' does."""

    def next(self, ordered=True):
        seed = super().next(ordered)
        context = tf.distribute.get_replica_context()
        if context is None or context.num_replicas_in_sync == 1:
            return seed
        replica = tf.cast(context.replica_id_in_sync_group, seed.dtype)
        return seed + tf.stack([7919 * replica, tf.zeros_like(replica)])


def instance_noise_std(step, initial, decay_steps=None):
    """Instance-noise std at `step`: `initial` throughout when decay_steps is None, else
    decaying linearly from `initial` at step 0 to 0 at `decay_steps`. None when there is no
    instance noise, so that the step leaves it out altogether."""
    if not initial:
        return None
    if decay_steps is None:
        return tf.constant(initial, tf.float32)
    if decay_steps < 1:
        raise ValueError(f"decay_steps must be a number of steps >= 1 (or None for constant "
                         f"noise), got {decay_steps!r}.")
    fraction = tf.cast(step, tf.float32) / float(decay_steps)
    return initial * tf.maximum(0.0, 1.0 - fraction)


BCE_TARGET_OPTIONS = {"real_target": 1.0, "fake_target": 0.0, "label_noise": 0.0, "label_flip": 0.0}
UPDATES = ("alternating", "simultaneous")
STEP_OPTIONS = ("loss", "d_steps", "updates", *BCE_TARGET_OPTIONS, "gp_weight", "r1_weight",
                "grad_norms")  # gan_train_step's options


def _number_in(name, value, low, high=math.inf):
    """Refuse a step option that is not a number in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        within = f"in [{low:g}, {high:g}]" if high < math.inf else f">= {low:g}"
        raise ValueError(f"{name} must be a number {within}, got {value!r}.")


def check_step_options(options, discriminator):
    """Refuse gan_train_step options that are unknown, out of range, or would silently do
    nothing or go wrong: D's target options (label smoothing, noisy and flipped labels) only
    exist for the BCE losses, and gradient penalties need per-sample gradients, which a layer
    that mixes the batch breaks."""
    unknown = sorted(set(options) - set(STEP_OPTIONS))
    if unknown:
        raise ValueError(f"unknown step option {', '.join(map(repr, unknown))}; the options are "
                         f"{', '.join(STEP_OPTIONS)}.")
    loss = options.get("loss", "non_saturating")
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(LOSSES)}, got {loss!r}.")
    d_steps = options.get("d_steps", 1)
    if isinstance(d_steps, bool) or not isinstance(d_steps, int) or d_steps < 1:
        raise ValueError(f"d_steps must be a whole number >= 1 (D updates per G update), got "
                         f"{d_steps!r}.")
    if options.get("updates", "alternating") not in UPDATES:
        raise ValueError(f"updates must be one of {', '.join(UPDATES)}, got "
                         f"{options['updates']!r}.")
    for key, default in BCE_TARGET_OPTIONS.items():
        _number_in(key, options.get(key, default), 0.0, 1.0)
    for key in ("gp_weight", "r1_weight"):
        _number_in(key, options.get(key, 0.0), 0.0)
    mixing = [layer.name for layer in discriminator.layers if getattr(layer, "mixes_batch", False)]
    penalties = [key for key in ("gp_weight", "r1_weight") if options.get(key)]
    if mixing and penalties:
        raise ValueError(f"{', '.join(penalties)} need each sample's own input gradient, but D's "
                         f"{', '.join(mixing)} mixes the batch; drop one of the two.")
    changed = [key for key, default in BCE_TARGET_OPTIONS.items()
               if options.get(key, default) != default]
    if changed and LOSSES[loss][0] is not bce_discriminator_loss:
        raise ValueError(f"{', '.join(changed)} shape BCE targets, but loss={loss!r} "
                         "has none; use loss='non_saturating' or 'minimax', or drop them.")


UPDATES = ("alternating", "simultaneous")


def gan_train_step(generator, discriminator, g_optimizer, d_optimizer, real, labels=None, *,
                   loss="non_saturating", d_steps=1, updates="alternating", real_target=1.0,
                   fake_target=0.0, label_noise=0.0, label_flip=0.0, noise_std=None,
                   gp_weight=0.0, r1_weight=0.0, grad_norms=True, seed=None):
    """One GAN step: `d_steps` updates of D (G frozen) and one update of G (D frozen).

    real: a batch of images in [-1, 1]; its size may vary (the last batch of an epoch).
    labels: class labels for conditional models (fakes reuse the real labels), else None.
    loss: a key of `gan_course.losses.LOSSES`.
    updates: "alternating" (default): G's update sees the D that has just been updated, as in
    Goodfellow et al.'s algorithm; it costs one more pass of the fakes through D.
    "simultaneous": both players' last gradients come from one forward pass, as in the
    TensorFlow DCGAN tutorial (notebook 04 shows why alternating is the safer default).
    real_target / fake_target, label_noise and label_flip shape D's BCE targets (label
    smoothing, noisy and flipped labels).
    noise_std: std of the instance noise added to real and fake images before D sees them
    (None: none).
    gp_weight: WGAN-GP weight; r1_weight: gamma of the R1 penalty (applied as gamma / 2).
    grad_norms: False leaves out the two gradient norms (a few % of a small MLP's step).
    seed: a keras.random.SeedGenerator (ReplicaSeedGenerator under tf.distribute), for
    reproducible noise.
    Returns d_loss, g_loss, D's mean output on real and fake batches (as probabilities,
    sigmoid(D), for the BCE losses; raw scores for the others) and, unless grad_norms is
    False, both gradient norms.
    Under tf.distribute each replica scales its gradients by 1 / replicas, so that their sum
    is the single-device gradient of the global batch; the norms are those of that sum.
    """
    check_step_options(dict(loss=loss, d_steps=d_steps, updates=updates, real_target=real_target,
                            fake_target=fake_target, label_noise=label_noise,
                            label_flip=label_flip, gp_weight=gp_weight, r1_weight=r1_weight),
                       discriminator)
    layers = generator.layers + discriminator.layers
    if any(layer.compute_dtype == "float16" for layer in layers):
        raise ValueError("float16 layers need loss scaling, which this step does not do; use "
                         'keras.mixed_precision.set_global_policy("mixed_bfloat16") instead.')
    d_loss_fn, g_loss_fn = LOSSES[loss]
    batch = tf.shape(real)[0]
    latent_dim = latent_dim_of(generator)
    replicas = tf.distribute.get_replica_context().num_replicas_in_sync

    def normal(shape):
        return keras.random.normal(shape, seed=seed) if seed is not None else tf.random.normal(shape)

    def blur(images):  # instance noise
        return images if noise_std is None else images + noise_std * normal(tf.shape(images))

    def d_gradients(fake):
        """D's loss and gradients on real images and a batch of fakes."""
        with tf.GradientTape() as tape:
            d_real = discriminator(with_labels(blur(real), labels), training=True)
            d_fake = discriminator(with_labels(blur(fake), labels), training=True)
            if d_loss_fn is bce_discriminator_loss:  # BCE: targets can be smoothed
                real_t, fake_t = real_target, fake_target
                if label_noise or label_flip:
                    real_t = noisy_targets(real_target, batch, label_noise, label_flip, seed)
                    fake_t = noisy_targets(fake_target, batch, label_noise, label_flip, seed)
                d_loss = d_loss_fn(d_real, d_fake, real_t, fake_t)
            else:
                d_loss = d_loss_fn(d_real, d_fake)
            if gp_weight:
                d_loss += gp_weight * gradient_penalty(discriminator, real, fake, labels, seed)
            if r1_weight:
                d_loss += 0.5 * r1_weight * r1_penalty(discriminator, real, labels)
            scaled = d_loss / replicas  # replicas' gradients are summed
        return d_loss, d_real, d_fake, tape.gradient(scaled, discriminator.trainable_variables)

    def apply(optimizer, grads, model):
        optimizer.apply_gradients(zip(grads, model.trainable_variables))

    def fakes():
        return generator(with_labels(normal([batch, latent_dim]), labels), training=True)

    for _ in range(d_steps - 1):
        apply(d_optimizer, d_gradients(tf.stop_gradient(fakes()))[3], discriminator)
    with tf.GradientTape() as g_tape:
        fake = fakes()
        if updates == "simultaneous":  # G's loss reuses D(G(z)) from D's own forward pass
            d_loss, d_real, d_fake, d_grads = d_gradients(fake)
            g_loss = g_loss_fn(d_fake)
        else:
            # The fakes serve both players: D learns on them (as constants), then G's tape,
            # which recorded how they were made, sees them through the *updated* D.
            with g_tape.stop_recording():
                d_loss, d_real, d_fake, d_grads = d_gradients(tf.stop_gradient(fake))
                apply(d_optimizer, d_grads, discriminator)
            g_loss = g_loss_fn(discriminator(with_labels(blur(fake), labels), training=True))
        scaled = g_loss / replicas
    g_grads = g_tape.gradient(scaled, generator.trainable_variables)
    if updates == "simultaneous":
        apply(d_optimizer, d_grads, discriminator)
    apply(g_optimizer, g_grads, generator)

    as_shown = tf.sigmoid if d_loss_fn is bce_discriminator_loss else tf.identity
    out = {
        "d_loss": d_loss,
        "g_loss": g_loss,
        "d_real": tf.reduce_mean(as_shown(d_real)),
        "d_fake": tf.reduce_mean(as_shown(d_fake)),
    }
    if grad_norms:
        if replicas > 1:  # the norm of the gradient actually applied: the replicas' sum
            context = tf.distribute.get_replica_context()
            d_grads, g_grads = context.all_reduce("SUM", [d_grads, g_grads])
        out["d_grad_norm"] = tf.linalg.global_norm(d_grads)
        out["g_grad_norm"] = tf.linalg.global_norm(g_grads)
    return out


def default_jit_compile():
    """`make_train_step`'s XLA default, Keras' "auto" rule for a model: on where there is a
    GPU (on the 2-core CPU it measured slower, benchmarks/), off under tf.distribute and
    under op determinism."""
    from tensorflow.python.framework.config import is_op_determinism_enabled
    return bool(tf.config.list_physical_devices("GPU")) and not (
        tf.distribute.has_strategy() or is_op_determinism_enabled())


def make_train_step(generator, discriminator, g_optimizer, d_optimizer, jit_compile=None,
                    seed=0, strategy=None, **options):
    """`gan_train_step` as a tf.function: `step(real, labels=None, noise_std=None) -> dict`.

    `options` are gan_train_step's keyword arguments; noise_std is an argument of the
    returned step so that a decaying schedule does not retrace it.

    strategy: a tf.distribute strategy whose scope built the models (MultiWorkerMirroredStrategy
    across processes, where Keras' fit fails). The step then takes the batches of
    `strategy.experimental_distribute_dataset(dataset)` (global batches), runs on every
    replica (`strategy.run`, each replica with its own noise) and returns the global figures,
    the replicas' mean. The optimizers are built in its scope.
    """
    check_step_options(options, discriminator)
    if strategy is None and tf.distribute.has_strategy():  # called in a strategy's scope
        strategy = tf.distribute.get_strategy()
    with strategy.scope() if strategy else contextlib.nullcontext():
        g_optimizer.build(generator.trainable_variables)
        d_optimizer.build(discriminator.trainable_variables)
        seed_generator = ReplicaSeedGenerator(seed)  # one replica: Keras' own draws
    jit = default_jit_compile() if jit_compile is None else jit_compile
    checked = tf.function(check_image_range)  # not compiled: XLA cannot compile asserts

    def one_step(real, labels, noise_std):
        return gan_train_step(generator, discriminator, g_optimizer, d_optimizer, real, labels,
                              noise_std=noise_std, seed=seed_generator, **options)

    def as_tensor(noise_std):
        return None if noise_std is None else tf.constant(noise_std, tf.float32)

    if strategy is None:  # one device, no tf.distribute
        traced = tf.function(one_step, jit_compile=jit, reduce_retracing=True)

        def step(real, labels=None, noise_std=None):
            _check_images(real, discriminator)
            return traced(checked(real), labels, as_tensor(noise_std))
        return step

    def on_replica(real, labels, noise_std):
        _check_images(real, discriminator)
        return one_step(check_image_range(real), labels, noise_std)

    @tf.function(reduce_retracing=True)
    def distributed(real, labels, noise_std):
        out = strategy.run(on_replica, args=(real, labels, noise_std))
        return {key: strategy.reduce("MEAN", value, axis=None) for key, value in out.items()}

    def step(real, labels=None, noise_std=None):
        return distributed(real, labels, as_tensor(noise_std))
    return step


class GANOptimizers:
    """`GAN.optimizer`: both optimizers, for Keras' callbacks. LearningRateScheduler,
    ReduceLROnPlateau and TensorBoard act on, or log, every optimizer in `optimizers` (D's,
    then G's); `iterations` counts G steps. Keras 3.13's callbacks know one optimizer only and
    use `learning_rate`: it reads G's rate, and setting it scales both rates alike, so a D:G
    ratio (TTUR) holds on every supported Keras."""

    built = True

    def __init__(self, d_optimizer, g_optimizer):
        self.optimizers = [d_optimizer, g_optimizer]
        self.iterations = g_optimizer.iterations

    @property
    def learning_rate(self):
        return self.optimizers[-1].learning_rate

    @learning_rate.setter
    def learning_rate(self, rate):
        current = float(keras.ops.convert_to_numpy(self.learning_rate))
        for optimizer in self.optimizers:
            old = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
            optimizer.learning_rate = old * rate / current if current else float(rate)


class GAN(keras.Model):
    """A GAN for `fit()`: compile with two optimizers; `train_step` runs `gan_train_step`.

    Data: batches of images, or (images, labels) for conditional models. Under
    `strategy.scope()` (tf.distribute) it trains on every replica; BatchNormalization then
    keeps per-replica batch statistics, as Keras' own layers do.
    """

    LOG_ROWS = 1024  # per-step values kept on the device between two reads by StepHistory

    def __init__(self, generator, discriminator, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = latent_dim_of(generator)
        self.seed_generator = ReplicaSeedGenerator(seed)
        self.trackers = {key: keras.metrics.Mean(name=key) for key in STEP_KEYS}
        first = tf.VariableAggregation.ONLY_FIRST_REPLICA  # written with all-reduced values
        self.step_log = tf.Variable(tf.zeros((self.LOG_ROWS, len(STEP_KEYS))), trainable=False,
                                    aggregation=first)
        self.steps_logged = tf.Variable(0, dtype=tf.int64, trainable=False, aggregation=first)
        self.built = True  # G and D are built; nothing is left for fit() to build from data

    def compile(self, d_optimizer, g_optimizer, instance_noise=0.0, noise_decay_steps=None,
                jit_compile="auto", steps_per_execution=1, **step_options):
        """step_options: loss, d_steps, updates, real_target, fake_target, label_noise,
        label_flip, gp_weight, r1_weight (see gan_train_step). Instance noise starts at
        `instance_noise` and stays there, or decays linearly to 0 over `noise_decay_steps` G
        steps when that is given. jit_compile="auto" is Keras' rule: XLA on a GPU, off on a
        CPU-only machine, under tf.distribute and under op determinism."""
        if not step_options.pop("grad_norms", True):
            raise ValueError("the GAN wrapper always records the gradient norms (StepHistory and "
                             "the loss plots show them); for a step without them, use "
                             "make_train_step(..., grad_norms=False).")
        check_step_options(step_options, self.discriminator)
        _number_in("instance_noise", instance_noise, 0.0)
        if noise_decay_steps is not None:
            instance_noise_std(0, 1.0, noise_decay_steps)  # refuses a bad decay
        super().compile(optimizer=None, jit_compile=jit_compile,
                        steps_per_execution=steps_per_execution)
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
        d_optimizer.build(self.discriminator.trainable_variables)
        g_optimizer.build(self.generator.trainable_variables)
        self.optimizer = GANOptimizers(d_optimizer, g_optimizer)
        self.instance_noise, self.noise_decay_steps = instance_noise, noise_decay_steps
        self.step_options = step_options

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, z, training=False):
        return self.generator(z, training=training)

    def fit(self, x=None, *args, **kwargs):
        """keras.Model.fit, with every batch of real images checked for [-1, 1] on the input
        side (`check_image_range`, in the tf.data pipeline or on the array)."""
        return super().fit(_checked_input(x), *args, **kwargs)

    def train_step(self, data):
        real, labels = data if isinstance(data, tuple) else (data, None)
        _check_images(real, self.discriminator)
        noise_std = instance_noise_std(self.g_optimizer.iterations, self.instance_noise,
                                       self.noise_decay_steps)
        out = gan_train_step(self.generator, self.discriminator, self.g_optimizer,
                             self.d_optimizer, real, labels, noise_std=noise_std,
                             seed=self.seed_generator, **self.step_options)
        for key, value in out.items():
            self.trackers[key].update_state(value)
        values = tf.stack([tf.cast(out[key], tf.float32) for key in STEP_KEYS])
        context = tf.distribute.get_replica_context()
        if context.num_replicas_in_sync > 1:
            values = context.all_reduce("MEAN", values)
        row = tf.math.floormod(self.steps_logged, self.LOG_ROWS)
        self.step_log.assign(tf.tensor_scatter_nd_update(self.step_log, [[row]], values[None]))
        self.steps_logged.assign_add(1)
        return {key: tracker.result() for key, tracker in self.trackers.items()}

    def generate(self, n, labels=None, seed=0, batch_size=1000):
        """n samples (numpy, [-1, 1]) from fresh noise drawn with `seed`."""
        z = draw_z(n, self.latent_dim, seed)
        return generate(self.generator, z, labels, batch_size)


class VAE(keras.Model):
    """A variational autoencoder (Kingma & Welling 2014) for fit(): `encoder` gives q(z | x),
    `decoder` (e.g. a dcgan_generator with latent_dim inputs) the mean of p(x | z), a Gaussian
    of std `sigma`. Each step samples z = mean + exp(log_var / 2) * eps (the
    reparameterisation) and minimises losses.negative_elbo. Data: batches of images in [-1, 1]."""

    def __init__(self, encoder, decoder, sigma=0.1, seed=0, **kwargs):
        super().__init__(**kwargs)
        if encoder.outputs[0].shape[-1] != decoder.inputs[0].shape[-1]:
            raise ValueError(f"the encoder gives {encoder.outputs[0].shape[-1]} latent values "
                             f"but the decoder takes {decoder.inputs[0].shape[-1]}.")
        if not sigma > 0:
            raise ValueError(f"sigma must be positive, got {sigma}.")
        self.encoder, self.decoder, self.sigma = encoder, decoder, sigma
        self.latent_dim = decoder.inputs[0].shape[-1]
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.trackers = {key: keras.metrics.Mean(name=key)
                         for key in ("loss", "reconstruction", "kl")}

    @property
    def metrics(self):
        return list(self.trackers.values())

    def compile(self, *args, **kwargs):
        """keras.Model.compile; the optimizer is built at once, as a GAN's are, so that a
        Checkpointer restores its state before the first step."""
        super().compile(*args, **kwargs)
        self.optimizer.build(self.encoder.trainable_variables + self.decoder.trainable_variables)

    def call(self, x, training=False):
        """The reconstruction of x through the posterior mean (no sampling)."""
        z_mean, _ = self.encoder(x, training=training)
        return self.decoder(z_mean, training=training)

    def fit(self, x=None, *args, **kwargs):
        """keras.Model.fit, with the images checked for [-1, 1] as in GAN.fit."""
        return super().fit(_checked_input(x), *args, **kwargs)

    def train_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        with tf.GradientTape() as tape:
            z_mean, z_log_var = self.encoder(x, training=True)
            eps = keras.random.normal(keras.ops.shape(z_mean), seed=self.seed_generator)
            z = z_mean + keras.ops.exp(0.5 * z_log_var) * eps
            reconstruction, kl = negative_elbo(x, self.decoder(z, training=True), z_mean,
                                               z_log_var, self.sigma)
            loss = reconstruction + kl
        variables = self.encoder.trainable_variables + self.decoder.trainable_variables
        self.optimizer.apply(tape.gradient(loss, variables), variables)
        for key, value in (("loss", loss), ("reconstruction", reconstruction), ("kl", kl)):
            self.trackers[key].update_state(value)
        return {key: tracker.result() for key, tracker in self.trackers.items()}

    def generate(self, n, seed=0, batch_size=1000):
        """n samples (numpy, [-1, 1]): the decoder's mean at z ~ N(0, I) drawn with `seed`."""
        z = draw_z(n, self.latent_dim, seed)
        return generate(self.decoder, z, batch_size=batch_size)


def _checked_input(x):
    """fit()'s data with check_image_range applied: mapped over a tf.data pipeline, or run
    once on an array."""
    if isinstance(x, tf.data.Dataset):
        return x.map(_check_element)
    if isinstance(x, np.ndarray):
        check_image_range(x)
    return x


def fit_by_hand(gan, dataset, strategy, epochs, initial_epoch=0, callbacks=()):
    """GAN.fit's epochs and callbacks written out, for MultiWorkerMirroredStrategy, under which
    Keras 3's fit fails (tensorflow#72388, keras#20585): `strategy.run` runs GAN.train_step on
    every replica for each global batch of `dataset`, which each worker reads whole and
    splits (DATA sharding). The Keras callbacks are called as fit calls them."""
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    batches = strategy.experimental_distribute_dataset(
        _checked_input(dataset).with_options(options))
    run = tf.function(lambda batch: strategy.run(gan.train_step, args=(batch,)),
                      reduce_retracing=True)
    hooks = keras.callbacks.CallbackList(list(callbacks), model=gan, verbose=0, epochs=epochs,
                                         steps=int(dataset.cardinality()))
    gan.stop_training = False
    hooks.on_train_begin()
    for epoch in range(initial_epoch, epochs):
        for tracker in gan.metrics:
            tracker.reset_state()
        hooks.on_epoch_begin(epoch)
        for step, batch in enumerate(batches):
            hooks.on_train_batch_begin(step)
            run(batch)
            hooks.on_train_batch_end(step)
            if gan.stop_training:
                break
        hooks.on_epoch_end(epoch, {key: float(t.result()) for key, t in gan.trackers.items()})
        if gan.stop_training:
            break
    hooks.on_train_end()


def generate(generator, z, labels=None, batch_size=1000):
    """Run the generator (inference mode) on noise z in batches; returns numpy images."""
    outs = []
    for start in range(0, len(z), batch_size):
        part = z[start:start + batch_size]
        inputs = part if labels is None else [part, labels[start:start + batch_size]]
        outs.append(keras.ops.convert_to_numpy(generator(inputs, training=False)))
    return np.concatenate(outs)


class StepHistory(keras.callbacks.Callback):
    """Records each step's values into `self.history[key]` lists, and stops training with
    NonFiniteLossError when a loss has become NaN or Inf (put it before the Checkpointer, so
    that nothing is saved after that).

    The values stay on the device (`GAN.step_log`) and are read every `read_every` steps and
    at the end of each epoch, so this callback adds no host read per step; a NaN is thus
    caught up to `read_every` steps late. It is complete with steps_per_execution > 1 and safe
    for Keras' asynchronous callback dispatch (which Keras 3 uses on the JAX and PyTorch
    backends; on TensorFlow it runs callbacks in line and reads the logs once per execution,
    so steps_per_execution > 1 is what removes that read).
    """

    async_safe = True

    def __init__(self, checkpointer=None, read_every=200):
        super().__init__()
        self.checkpointer = checkpointer
        self.read_every = read_every
        self.history = {key: [] for key in STEP_KEYS}
        self.lock = threading.Lock()

    def on_train_begin(self, logs=None):
        self.per_execution = self.model.steps_per_execution or 1
        if self.read_every + self.per_execution > self.model.LOG_ROWS // 2:
            raise ValueError(f"read_every ({self.read_every}) + steps_per_execution "
                             f"({self.per_execution}) must stay under {self.model.LOG_ROWS // 2}.")
        self.read = self.first_logged = int(self.model.steps_logged.numpy())
        self.first_step = int(self.model.g_optimizer.iterations.numpy())

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        self.epoch_start = int(self.model.steps_logged.numpy())

    def on_train_batch_end(self, batch, logs=None):
        # batch: the execution's last step index, which an epoch's short last execution
        # overshoots; the epoch's length, when known, caps it
        steps = self.params.get("steps")
        done = min(batch + 1, steps) if steps else batch + 2 - self.per_execution
        if self.epoch_start + done - self.read >= self.read_every:
            self._read(self.epoch_start + done)

    def on_epoch_end(self, epoch, logs=None):
        self._read(int(self.model.steps_logged.numpy()))

    def on_train_end(self, logs=None):
        self._read(int(self.model.steps_logged.numpy()))

    def _read(self, upto):
        """Copy the steps logged before `upto` (a steps_logged count) into self.history."""
        with self.lock:
            if upto <= self.read:
                return
            start, self.read = self.read, upto
            values = self.model.step_log.numpy()[np.arange(start, upto) % self.model.LOG_ROWS]
            finite = np.isfinite(values[:, :2]).all(axis=1)
            keep = len(values) if finite.all() else int(np.argmin(finite)) + 1
            for key, column in zip(STEP_KEYS, values[:keep].T):
                self.history[key].extend(column.tolist())
        if not finite.all():
            self.model.stop_training = True
            step = self.first_step + start - self.first_logged + keep
            last = self.checkpointer.latest if self.checkpointer else None
            raise NonFiniteLossError(
                f"a loss became non-finite (d_loss, g_loss = {values[keep - 1, :2].tolist()}) at "
                f"step {step} (epoch {self.epoch + 1}); training stopped. Last good checkpoint: "
                f"{last or 'none saved'}. Lower the learning rate, check the data range "
                "([-1, 1]), or add a gradient penalty, then resume from that checkpoint.")


class ImageGrid(keras.callbacks.Callback):
    """Generates images from one fixed noise batch after every epoch, so that epochs compare.

    Keeps them in `self.frames` (uint8 grids) and, with `out_dir`, saves `epoch_NNN.png`.
    """

    async_safe = True  # works at epoch ends only

    def __init__(self, noise, labels=None, out_dir=None):
        super().__init__()
        self.noise, self.labels = noise, labels
        self.out_dir = Path(out_dir) if out_dir else None
        self.frames = []

    def on_epoch_end(self, epoch, logs=None):
        import imageio.v2 as imageio

        from gan_course.viz import grid_image
        frame = grid_image(generate(self.model.generator, self.noise, self.labels))
        self.frames.append(frame)
        if self.out_dir:
            imageio.imwrite(self.out_dir / f"epoch_{epoch + 1:03d}.png", frame)


class EpochSummaries(keras.callbacks.Callback):
    """TensorBoard summaries that Keras' TensorBoard callback lacks, written under `log_dir`
    after every epoch: every step's values from `step_history` (a StepHistory placed before
    it; step-level curves without a host read per step), the fixed-noise grid of
    `image_grid` (an ImageGrid placed before it) and the numbers of `evaluate()` (a dict,
    e.g. the FD and classifier score)."""

    async_safe = True  # works at epoch ends only

    def __init__(self, log_dir, step_history, image_grid, evaluate):
        super().__init__()
        self.writer = tf.summary.create_file_writer(str(log_dir))
        self.step_history, self.image_grid, self.evaluate = step_history, image_grid, evaluate
        self.written = None

    def on_train_begin(self, logs=None):
        self.written = len(self.step_history.history["d_loss"])  # earlier runs: written then

    def on_epoch_end(self, epoch, logs=None):
        with self.writer.as_default(), tf.summary.record_if(True):
            history = self.step_history.history
            for step in range(self.written, len(history["d_loss"])):
                for key in STEP_KEYS:
                    tf.summary.scalar(f"step_{key}", history[key][step], step=step + 1)
            self.written = len(history["d_loss"])
            frame = self.image_grid.frames[-1]  # (H, W) grey or (H, W, 3) RGB
            tf.summary.image("fixed_noise_grid", frame.reshape(1, *frame.shape[:2], -1),
                             step=epoch)
            for key, value in self.evaluate().items():
                if isinstance(value, float):
                    tf.summary.scalar(f"epoch_{key}", value, step=epoch)
        self.writer.flush()


def _steps_done(callback, batch, before):
    """Steps done in the epoch at a batch end: `batch` is the execution's last step index,
    which an epoch's short last execution overshoots; the epoch's length, when known, caps it."""
    steps = (callback.params or {}).get("steps")
    return max(before, min(batch + 1, steps) if steps else batch + 1)


class WallClock(keras.callbacks.Callback):
    """Times each epoch (`epoch_seconds`, `train_seconds`), counts its steps (`epoch_steps`)
    and, given `seconds`, stops training once that much wall time has passed (checked after
    every step)."""

    async_safe = True  # reads the clock only

    def __init__(self, seconds=None):
        super().__init__()
        self.seconds = seconds
        self.epoch_seconds, self.epoch_steps = [], []
        self.train_seconds = 0.0

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch_start, self.steps = time.perf_counter(), 0

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_seconds.append(time.perf_counter() - self.epoch_start)
        self.epoch_steps.append(self.steps)

    def on_train_batch_end(self, batch, logs=None):
        self.steps = _steps_done(self, batch, self.steps)
        self.train_seconds = time.perf_counter() - self.start
        if self.seconds is not None and self.train_seconds > self.seconds:
            self.model.stop_training = True


def train_for(model, images, steps=None, seconds=None, batch_size=64, seed=0, callbacks=(),
              epochs=1, labels=None, initial_epoch=0):
    """Train a GAN or VAE with fit() on `images` (and `labels`, for a conditional GAN;
    reshuffled each pass, with `seed`) for `steps` steps, split into `epochs` equal epochs
    (callbacks see each epoch's end), or for `seconds` of wall time. A run resumed from a
    Checkpointer starts at its `initial_epoch`. Returns the WallClock: its train_seconds,
    epoch_steps."""
    if (steps is None) == (seconds is None):
        raise ValueError("give either steps or seconds.")
    clock = WallClock(seconds)
    dataset = make_dataset(images, labels, batch_size=batch_size, seed=seed)
    if steps is None:
        model.fit(dataset, epochs=10**6, initial_epoch=initial_epoch,
                  callbacks=[*callbacks, clock], shuffle=False, verbose=0)
    else:
        if steps % epochs:
            raise ValueError(f"steps ({steps}) must split into {epochs} equal epochs.")
        done = initial_epoch * (steps // epochs)  # a resumed run: the batches it had
        model.fit(dataset.repeat().skip(done), epochs=epochs, steps_per_epoch=steps // epochs,
                  initial_epoch=initial_epoch, callbacks=[*callbacks, clock], shuffle=False,
                  verbose=0)
    return clock


def optimizers_of(model):
    """A compiled model's optimizers: a GAN's D and G ones (GANOptimizers), a VAE's one."""
    return getattr(model.optimizer, "optimizers", [model.optimizer])


class LinearDecay(keras.callbacks.Callback):
    """Lowers every optimizer's learning rate linearly from `initial_rate` (one for all, or
    one per optimizer: D's, then G's, as in GANOptimizers) to 0 over the planned run: `total_steps` G steps, or `seconds` of training when that comes first. So a
    run stopped by either limit ends with a cooled-down model.

    Steps count from the optimizer's restored `iterations`, so a resumed run goes on where it
    was. A resumed run with `seconds` starts from the learning rate it was saved with and
    reaches 0 after `seconds` more; one saved at 0 (its plan was done) starts a new plan
    from `initial_rate`. The rate is set at every `every`-th step, counted from the
    restored one (one host read of the step count each time).
    """

    async_safe = True  # reads the clock and sets the learning rates only

    def __init__(self, initial_rate, total_steps, seconds=None, every=10):
        super().__init__()
        if total_steps < 1 or (seconds is not None and seconds <= 0):
            raise ValueError(f"plan a run of at least one step and a positive time, got "
                             f"total_steps={total_steps!r}, seconds={seconds!r}.")
        self.initial_rate, self.total_steps, self.seconds, self.every = (
            np.atleast_1d(np.asarray(initial_rate, float)), total_steps, seconds, every)

    def on_train_begin(self, logs=None):
        g_optimizer = optimizers_of(self.model)[-1]
        # counted from the restored step, so a resumed run sets its rate at the same steps
        self.start, self.calls = time.perf_counter(), int(g_optimizer.iterations.numpy())
        rate = float(g_optimizer.learning_rate.numpy())
        self.start_progress = max(0.0, 1.0 - rate / self.initial_rate[-1])
        if self.start_progress >= 1.0:  # saved cooled down: train on from the top
            self.start_progress = 0.0
        self.set_rate()

    def progress(self):
        """How much of the planned run is done, from 0 to 1."""
        done = int(optimizers_of(self.model)[-1].iterations.numpy()) / self.total_steps
        if self.seconds is not None:
            elapsed = (time.perf_counter() - self.start) / self.seconds
            done = max(done, self.start_progress + (1.0 - self.start_progress) * elapsed)
        return min(1.0, done)

    def set_rate(self):
        optimizers = optimizers_of(self.model)
        rates = np.broadcast_to(self.initial_rate, (len(optimizers),)) * (1.0 - self.progress())
        for optimizer, rate in zip(optimizers, rates):
            optimizer.learning_rate = float(rate)

    def on_train_batch_end(self, batch, logs=None):
        self.calls += 1
        if self.calls % self.every == 0:
            self.set_rate()

    def on_epoch_end(self, epoch, logs=None):
        """Put each rate in the epoch's logs (`learning_rate_<optimizer name>`), for the
        callbacks after this one (TensorBoard, CSVLogger) on every Keras version; Keras
        3.13's TensorBoard logs no rate of a GAN's two optimizers by itself."""
        if logs is not None:
            for optimizer in optimizers_of(self.model):
                logs[f"learning_rate_{optimizer.name}"] = float(optimizer.learning_rate.numpy())


class Checkpointer(keras.callbacks.Callback):
    """Saves a GAN's G, D and both optimizers (a VAE's encoder, decoder and optimizer) and the
    number of whole epochs done every `every` epochs (`ckpt-N` in `directory`: N whole
    epochs); `restore()` resumes.

    A run killed mid-epoch restarts from its last saved epoch, with its step count. An epoch
    cut short (WallClock's time limit) is saved too, as `cut_short-S` (S G steps), beside the
    whole epochs' checkpoints and not counted: resuming runs that epoch again in full, on top
    of the weights it had reached. The next whole epoch's save removes it.
    """

    async_safe = True  # saves at epoch ends only

    def __init__(self, model, directory, every=1, max_to_keep=2):
        super().__init__()
        self.every, self.directory = every, Path(directory)
        self.epoch = tf.Variable(0, dtype=tf.int64, trainable=False)
        self.steps = optimizers_of(model)[-1].iterations  # a GAN's: G's
        parts = (dict(encoder=model.encoder, decoder=model.decoder, optimizer=model.optimizer)
                 if isinstance(model, VAE) else
                 dict(generator=model.generator, discriminator=model.discriminator,
                      g_optimizer=model.g_optimizer, d_optimizer=model.d_optimizer))
        self.checkpoint = tf.train.Checkpoint(**parts, epoch=self.epoch,
                                              noise_seed=model.seed_generator.state)
        self.manager = tf.train.CheckpointManager(self.checkpoint, str(directory), max_to_keep)
        self.checkpoint.save_counter  # created now (a property), so that cut-short writes hold it

    def _cut_short(self):
        """Prefixes of the cut-short checkpoints, by step."""
        found = self.directory.glob("cut_short-*.index")
        return sorted((str(path)[:-len(".index")] for path in found),
                      key=lambda prefix: int(prefix.rsplit("-", 1)[1]))

    @property
    def latest(self):
        """The checkpoint `restore()` loads: the cut-short one if any, else the last epoch's."""
        cut_short = self._cut_short()
        return cut_short[-1] if cut_short else self.manager.latest_checkpoint

    def restore(self):
        """Load the latest checkpoint if there is one; returns the epoch to resume from."""
        if self.latest:
            self.checkpoint.restore(self.latest).assert_existing_objects_matched()
        return int(self.epoch.numpy())

    def _remove_cut_short(self, keep=None):
        for prefix in self._cut_short():
            if prefix != keep:
                for path in self.directory.glob(Path(prefix).name + ".*"):
                    path.unlink()

    def on_epoch_begin(self, epoch, logs=None):
        self.batches = 0

    def on_train_batch_end(self, batch, logs=None):
        self.batches = _steps_done(self, batch, self.batches)

    def on_epoch_end(self, epoch, logs=None):
        steps = self.params.get("steps")  # None when the dataset's length is unknown
        whole = steps is None or self.batches == steps
        if whole and (epoch + 1) % self.every == 0:
            self._remove_cut_short()  # first: a kill in between falls back to an older epoch
            self.epoch.assign(epoch + 1)
            self.manager.save(checkpoint_number=epoch + 1)
        elif not whole:
            prefix = self.directory / f"cut_short-{int(self.steps.numpy())}"
            self._remove_cut_short(keep=self.checkpoint.write(str(prefix)))
