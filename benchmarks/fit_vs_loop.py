"""Images per second of `GAN.fit` against the explicit `make_train_step` loop.

    python benchmarks/fit_vs_loop.py                      # CLI DCGAN recipe, batch 64
    python benchmarks/fit_vs_loop.py --steps 200 --repeats 5 --batch-size 256

Same process, same models (the CLI's DCGAN recipe), same tf.data pipeline. The loop is the
reference: `make_train_step` called once per batch, nothing else. `fit` runs with the
callbacks the CLI uses per step (StepHistory, WallClock), once with steps_per_execution=1
and once with 8. The runs alternate so that all see the same machine load; each figure is the
median of the repeats, after a warm-up that traces every function. Target: fit reaches at
least 95 % of the loop's images per second.
"""

import argparse
import time

import numpy as np

from gan_course import cli, data, train


def build(steps_per_execution, seed=0):
    train.set_seed(seed)
    gan = train.GAN(*cli.build_models("dcgan"), seed=seed)
    gan.compile(d_optimizer=cli.build_optimizer("dcgan"), g_optimizer=cli.build_optimizer("dcgan"),
                steps_per_execution=steps_per_execution)
    return gan


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=100, help="timed steps per run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    (x_train, _), _ = data.load_mnist()
    dataset = data.make_dataset(x_train[:args.steps * args.batch_size], batch_size=args.batch_size)

    loop_gan = build(1)
    step = train.make_train_step(loop_gan.generator, loop_gan.discriminator,
                                 loop_gan.g_optimizer, loop_gan.d_optimizer)

    def run_loop():
        for batch in dataset:
            out = step(batch)
        float(out["d_loss"])  # wait for the last step

    fits = {spe: build(spe) for spe in (1, 8)}

    def run_fit(spe):
        history = train.StepHistory()
        fits[spe].fit(dataset, epochs=1, verbose=0, shuffle=False,
                      callbacks=[history, train.WallClock()])
        assert len(history.history["d_loss"]) == args.steps  # no step lost

    runs = {"loop (make_train_step)": run_loop,
            "fit, steps_per_execution=1": lambda: run_fit(1),
            "fit, steps_per_execution=8": lambda: run_fit(8)}
    for run in runs.values():  # warm-up: trace everything once
        run()
    seconds = {name: [] for name in runs}
    for _ in range(args.repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            seconds[name].append(time.perf_counter() - start)

    images = args.steps * args.batch_size
    reference = images / np.median(seconds["loop (make_train_step)"])
    print(f"DCGAN (CLI recipe), batch {args.batch_size}, {args.steps} steps, median of "
          f"{args.repeats}; device: {train.describe_device()}")
    print(f"{'run':30s} {'images/s':>10s} {'vs loop':>8s}")
    for name, values in seconds.items():
        rate = images / np.median(values)
        print(f"{name:30s} {rate:10.0f} {rate / reference:8.1%}")
    print("target: fit >= 95% of the loop")


if __name__ == "__main__":
    main()
