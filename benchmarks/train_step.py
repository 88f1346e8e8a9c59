"""Images per second of the course's train step against the TensorFlow-tutorial step.

    python benchmarks/train_step.py                 # DCGAN and MLP, XLA off and on
    python benchmarks/train_step.py --models dcgan --repeats 7 --steps 20

Same process, same data, same architecture (the course's builders), batch 256 by default.
The reference is the plain step of the TensorFlow DCGAN tutorial: two GradientTapes around
one generator forward, BCE from logits, Adam, @tf.function; its updates are simultaneous.
The course's step is timed twice: as it runs by default (alternating updates: G's update
sees the updated D, which costs one more pass of the fakes through D; and the two gradient
norms it reports), and doing the reference's work (updates="simultaneous", grad_norms=False).
The runs alternate (course, course doing the reference's work, reference, course, ...) so
that all see the same machine load; each figure is the median of the repeats, after a
warm-up. It also prints an estimate of the FLOPs per image and the share of the machine's
measured float32 matmul throughput that the course's default step reaches.
"""

import argparse
import time

import keras
import numpy as np
import tensorflow as tf

from gan_course import data, models, train


def reference_step(generator, discriminator, g_optimizer, d_optimizer, jit_compile):
    """The TensorFlow DCGAN tutorial's train_step, for the same models."""
    cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)
    latent_dim = generator.inputs[0].shape[-1]

    @tf.function(jit_compile=jit_compile)
    def step(images):
        noise = tf.random.normal([tf.shape(images)[0], latent_dim])
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            generated = generator(noise, training=True)
            real_output = discriminator(images, training=True)
            fake_output = discriminator(generated, training=True)
            gen_loss = cross_entropy(tf.ones_like(fake_output), fake_output)
            disc_loss = (cross_entropy(tf.ones_like(real_output), real_output)
                         + cross_entropy(tf.zeros_like(fake_output), fake_output))
        g_grads = gen_tape.gradient(gen_loss, generator.trainable_variables)
        d_grads = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
        g_optimizer.apply_gradients(zip(g_grads, generator.trainable_variables))
        d_optimizer.apply_gradients(zip(d_grads, discriminator.trainable_variables))
        return gen_loss, disc_loss

    return step


def forward_flops(model):
    """Multiply-adds x 2 of one image through the model's Dense and conv layers."""
    flops = 0
    for layer in model.layers:
        inner = getattr(layer, "layer", layer)  # SpectralNormalization wraps a layer
        if isinstance(inner, keras.layers.Dense):
            flops += 2 * np.prod(inner.kernel.shape)
        elif isinstance(inner, keras.layers.Conv2DTranspose):
            h, w = layer.input.shape[1:3]
            flops += 2 * np.prod(inner.kernel.shape) * h * w
        elif isinstance(inner, keras.layers.Conv2D):
            h, w = layer.output.shape[1:3]
            flops += 2 * np.prod(inner.kernel.shape) * h * w
    return int(flops)


def matmul_throughput(n=2048, repeats=5):
    """Measured float32 matmul FLOP/s of this machine (TensorFlow, all cores)."""
    a = tf.random.normal([n, n])
    b = tf.random.normal([n, n])
    matmul = tf.function(lambda: tf.matmul(a, b))
    matmul().numpy()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        matmul().numpy()
        times.append(time.perf_counter() - start)
    return 2 * n ** 3 / np.median(times)


def builders(name):
    if name == "dcgan":
        return models.dcgan_generator, models.dcgan_discriminator
    return models.mlp_generator, models.mlp_discriminator


def setup(name, kind, jit_compile, seed=0):
    """A fresh G, D, optimisers and the step of `kind`: 'default' or 'same_work' (the course's
    step as it runs by default, or doing the reference's work) or 'reference'."""
    train.set_seed(seed)
    make_g, make_d = builders(name)
    g, d = make_g(), make_d()
    g_opt, d_opt = keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5)
    if kind != "reference":
        options = dict(updates="simultaneous", grad_norms=False) if kind == "same_work" else {}
        step = train.make_train_step(g, d, g_opt, d_opt, jit_compile=jit_compile, seed=seed,
                                     **options)
        return step, (g, d)
    g_opt.build(g.trainable_variables)
    d_opt.build(d.trainable_variables)
    return reference_step(g, d, g_opt, d_opt, jit_compile), (g, d)


def time_steps(step, batches, steps):
    """Seconds for `steps` calls, waiting for the last result."""
    start = time.perf_counter()
    for i in range(steps):
        out = step(batches[i % len(batches)])
    tf.nest.map_structure(lambda t: t.numpy(), out)
    return time.perf_counter() - start


def bench(name, jit_compile, batches, batch_size, steps, repeats, warmup):
    steps_by_kind = {kind: setup(name, kind, jit_compile)
                     for kind in ("default", "same_work", "reference")}
    for step, _ in steps_by_kind.values():
        time_steps(step, batches, warmup)
    rates = {kind: [] for kind in steps_by_kind}
    for _ in range(repeats):
        for kind, (step, _) in steps_by_kind.items():
            rates[kind].append(steps * batch_size / time_steps(step, batches, steps))
    return {kind: float(np.median(r)) for kind, r in rates.items()}, steps_by_kind["reference"][1]


def step_flops(g, d):
    """FLOPs per image of the course's alternating step. Forward = 1 unit, backward = 2
    (activations and weights). G: forward + backward. D on real and fake: forward + backward.
    G's gradient through D on the fakes: the activation half of a backward (1), after a
    forward of the fakes through the updated D (1); the simultaneous step saves that forward."""
    d_units = 2 * 3 + 1 + 1
    return 3 * forward_flops(g) + d_units * forward_flops(d)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["dcgan", "mlp"], choices=["dcgan", "mlp"])
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--steps", type=int, default=15, help="steps per timed repeat")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--jit", nargs="+", default=["off", "on"], choices=["off", "on"])
    args = parser.parse_args()

    (x_train, _), _ = data.load_mnist()
    batches = [b for b in data.make_dataset(x_train[:args.batch_size * 8],
                                            batch_size=args.batch_size, shuffle=False)]
    peak = matmul_throughput()
    print(f"device: {train.describe_device()}; TensorFlow {tf.__version__}, Keras {keras.__version__}")
    print(f"measured float32 matmul throughput: {peak / 1e9:.1f} GFLOP/s")
    print(f"batch {args.batch_size}, {args.steps} steps x {args.repeats} repeats (median), "
          f"warm-up {args.warmup} steps\n")
    header = (f"{'model':6} {'XLA':4} {'reference':>10} {'course':>10} {'ratio':>6} "
              f"{'same work':>10} {'ratio':>6} {'MFLOP/img':>10} {'peak share':>11}")
    print(header)
    print("-" * len(header))
    for name in args.models:
        for jit in args.jit:
            rates, (g, d) = bench(name, jit == "on", batches, args.batch_size, args.steps,
                                  args.repeats, args.warmup)
            flops = step_flops(g, d)
            ref = rates["reference"]
            print(f"{name:6} {jit:4} {ref:10.0f} {rates['default']:10.0f} "
                  f"{rates['default'] / ref:6.2f} {rates['same_work']:10.0f} "
                  f"{rates['same_work'] / ref:6.2f} {flops / 1e6:10.1f} "
                  f"{rates['default'] * flops / peak:11.1%}", flush=True)
    print("\nimages per second; course = the course's step as it runs by default (alternating,"
          "\nwith gradient norms); same work = the course's step with updates='simultaneous' and"
          "\ngrad_norms=False, the reference's work; ratio = against the reference;"
          "\nMFLOP/img and peak share are the default step's.")


if __name__ == "__main__":
    main()
