"""Quality reached in the same wall-clock budget: the course's default DCGAN recipe against
the TensorFlow-tutorial recipe (batch 256, Adam 1e-4 for both players, its plain step).

    python benchmarks/time_to_quality.py --seconds 300      # about 12 minutes in all

Both train the course's DCGAN architecture on all of MNIST for `--seconds` of training
wall time (the course recipe through the CLI, `python -m gan_course train dcgan --seconds`),
then draw 10,000 samples and score them with gan_course.metrics against the MNIST test
set. Real test images score 9.76 (classifier score) and 1.07 (Frechet distance, train vs test).
"""

import argparse
import tempfile
import time

import keras
import numpy as np

from gan_course import cli, data, metrics, models, train
from train_step import reference_step


def tutorial_recipe(seconds, seed):
    """Train with the tutorial's step and recipe for `seconds`; returns (samples, steps)."""
    train.set_seed(seed)
    g, d = models.dcgan_generator(), models.dcgan_discriminator()
    g_opt, d_opt = keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4)
    g_opt.build(g.trainable_variables)
    d_opt.build(d.trainable_variables)
    step = reference_step(g, d, g_opt, d_opt, jit_compile=train.default_jit_compile())
    (x_train, _), _ = data.load_mnist()
    dataset = data.make_dataset(x_train, batch_size=256, seed=seed)
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for batch in dataset:
            step(batch)
            steps += 1
            if time.perf_counter() - start >= seconds:
                break
    z = np.random.default_rng(seed + 1).standard_normal((cli.N_SAMPLES, 100)).astype(np.float32)
    return train.generate(g, z), steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as out:
        course = cli.train("dcgan", out, epochs=1000, seconds=args.seconds, seed=args.seed)
    recipe = cli.RECIPES["dcgan"]
    rows.append((f"course (batch {course['batch_size']}, Adam {recipe['lr']:g}, "
                 f"beta_1 {recipe['beta_1']})", course["steps"], course["steps"] * course["batch_size"],
                 course["classifier_score"], course["frechet_distance"]))
    samples, steps = tutorial_recipe(args.seconds, args.seed)
    tutorial = metrics.evaluate_images(samples)
    rows.append(("tutorial (batch 256, Adam 1e-4)", steps, steps * 256,
                 tutorial["classifier_score"], tutorial["frechet_distance"]))

    print(f"\nTime to quality: {args.seconds:.0f} s of training on {train.describe_device()}; "
          f"10,000 samples each (real MNIST test: score 9.76, FD 1.07)")
    print(f"{'recipe':44} {'steps':>6} {'images':>8} {'score':>6} {'FD':>7}")
    for name, steps, images, score, fd in rows:
        print(f"{name:44} {steps:6d} {images:8d} {score:6.2f} {fd:7.1f}")


if __name__ == "__main__":
    main()
