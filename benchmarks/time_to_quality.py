"""Quality against training time: the CLI's DCGAN recipe at several wall-clock budgets and
its default run, over several seeds, and the time the TensorFlow-tutorial recipe (batch 256,
Adam 1e-4 for both players, its plain step) needs for the same scores.

    python benchmarks/time_to_quality.py --seconds 300 600 1200 --seeds 3   # about 2.5 hours

Each run is `python -m gan_course train dcgan --seconds S --seed K` on all of MNIST; with S
the recipe's seconds it is the default run (`python -m gan_course train dcgan`). 10,000
samples (--samples) are scored with gan_course.metrics against the MNIST test set. Each
run's figures are kept in --results (one JSON file per run), and runs already there are not
trained again: a second call prints the table of everything in the folder.
Within-class variety: the samples are grouped by the class the classifier reads, then the
pixel std within each class and each class's FD are averaged over the ten classes.
The time to reach a score comes from each epoch's 2,000-sample figures (metrics.json's
`epochs`), the tutorial recipe's from 5,000 samples (half of --samples) every --every seconds
of training.
"""

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

TARGETS = (8.0, 9.0)  # classifier scores whose time to reach is reported


def parse_args():
    from gan_course import cli
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, nargs="+", default=[300, 600, 1200],
                        help="training budgets of the CLI recipe (wall-clock seconds)")
    parser.add_argument("--seeds", type=int, default=3, help="seeds 0 .. N-1 of each")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--no-default-run", action="store_true",
                        help="leave out the default run (the recipe's seconds) unless it is "
                             "one of --seconds")
    parser.add_argument("--tutorial-seconds", type=float, default=None,
                        help="train the tutorial recipe this long (default: the largest "
                             "--seconds); 0 leaves it out")
    parser.add_argument("--every", type=float, default=60.0,
                        help="the tutorial recipe is scored after every this many seconds")
    parser.add_argument("--samples", type=int, default=cli.N_SAMPLES,
                        help="samples scored at the end of each run, and real images for the "
                             "reference row (the tutorial recipe's curve: half as many)")
    parser.add_argument("--results", default="benchmarks/results/time_to_quality")
    parser.add_argument("--table-only", action="store_true", help="train nothing")
    return parser.parse_args()


def course_run(seconds, seed, samples):
    """The CLI's run (`--seconds`: the default run when it is the recipe's); its metrics."""
    from gan_course import cli
    with tempfile.TemporaryDirectory() as out:
        result = cli.train("dcgan", out, seconds=seconds, seed=seed, samples=samples)
    return {key: value for key, value in result.items() if key != "seconds_per_epoch"}


def tutorial_run(seconds, seed, every, samples):
    """The tutorial's step and recipe for `seconds` of training; scored every `every` s."""
    import keras

    from gan_course import data, metrics, models, train
    from train_step import reference_step
    train.set_seed(seed)
    g, d = models.dcgan_generator(), models.dcgan_discriminator()
    g_opt, d_opt = keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4)
    g_opt.build(g.trainable_variables)
    d_opt.build(d.trainable_variables)
    step = reference_step(g, d, g_opt, d_opt, jit_compile=train.default_jit_compile())
    (x_train, _), _ = data.load_mnist()
    dataset = data.make_dataset(x_train, batch_size=256, seed=seed)
    z = np.random.default_rng(seed + 1).standard_normal((samples, 100)).astype(np.float32)
    steps, trained, curve = 0, 0.0, []
    while trained < seconds:
        for batch in dataset:
            start = time.perf_counter()
            step(batch)
            steps += 1
            trained += time.perf_counter() - start
            if trained >= every * (len(curve) + 1) or trained >= seconds:
                figures = metrics.evaluate_images(train.generate(g, z[:samples // 2]))
                curve.append({"train_seconds": round(trained, 1), "steps": steps,
                              "classifier_score": figures["classifier_score"]})
            if trained >= seconds:
                break
    result = metrics.evaluate_images(train.generate(g, z), by_class=True)
    result.update(steps=steps, train_seconds=round(trained, 1), batch_size=256,
                  images_per_second=round(steps * 256 / trained, 1), curve=curve)
    return result


def reached(points, target):
    """Training seconds at the first point scoring >= target, or None."""
    return next((p["train_seconds"] for p in points if p["classifier_score"] >= target), None)


def summary(values, digits=2):
    values = np.asarray([v for v in values if v is not None], float)
    if not len(values):
        return "-"
    return f"{values.mean():.{digits}f} ± {values.std():.{digits}f}" if len(values) > 1 else (
        f"{values[0]:.{digits}f}")


def variety(result):
    return (float(np.nanmean(result["within_class_std"])),
            float(np.nanmean(result["frechet_per_class"])))


def table(results, reference):
    """Prints one row per budget (mean ± std over seeds), then the verdicts and times."""
    rows = {}
    for _, result in sorted(results.items()):
        rows.setdefault(result["budget"], []).append(result)
    order = sorted((b for b in rows if b != "tutorial"), key=float)
    order += ["tutorial"] if "tutorial" in rows else []
    sizes = " or ".join(f"{n:,}" for n in sorted({r["n"] for r in results.values()}))
    print(f"\nTime to quality, {sizes} samples a run (real MNIST: score {reference[0]:.2f}, FD "
          f"{reference[1]:.2f}, class KL {reference[2]:.3f}, within-class std "
          f"{reference[3]:.3f}, FD per class {reference[4]:.2f})")
    head = ("budget", "seeds", "train s", "steps", "images/s", "score", "FD", "class KL",
            "within std", "FD per class")
    print(" | ".join(head))
    means = {}
    for budget in order:
        runs = rows[budget]
        stds, class_fds = zip(*(variety(r) for r in runs))
        figures = {key: [r[key] for r in runs] for key in
                   ("classifier_score", "frechet_distance", "class_kl_to_uniform")}
        means[budget] = {k: (np.mean(v), np.std(v)) for k, v in figures.items()}
        print(" | ".join([label(budget), str(len(runs)), summary([r["train_seconds"] for r in runs], 0),
                          summary([r["steps"] for r in runs], 0),
                          summary([r["images_per_second"] for r in runs], 0),
                          summary(figures["classifier_score"]),
                          summary(figures["frechet_distance"], 1),
                          summary(figures["class_kl_to_uniform"], 3),
                          summary(stds, 3), summary(class_fds, 1)]))
    course = [b for b in order if b != "tutorial"]
    for earlier, later in zip(course, course[1:]):
        for key, better in (("classifier_score", 1), ("frechet_distance", -1),
                            ("class_kl_to_uniform", -1)):
            (m0, s0), (m1, s1) = means[earlier][key], means[later][key]
            worse = better * (m0 - m1) > s0 + s1
            print(f"{earlier} -> {later}: {key} {m0:.3f} -> {m1:.3f}: "
                  f"{'WORSE by more than the seed spread' if worse else 'not worse'}")
    for target in TARGETS:
        for budget in order:
            key = "curve" if budget == "tutorial" else "epochs"
            runs = rows[budget]
            times = [reached(r[key], target) for r in runs]
            missed = sum(t is None for t in times)
            print(f"seconds to score {target:g}, {label(budget)}: {summary(times, 0)}"
                  + (f" ({missed} of {len(times)} runs did not reach it in "
                     f"{max(r['train_seconds'] for r in runs):.0f} s)" if missed else ""))


def label(budget):
    if budget == "tutorial":
        return "tutorial recipe"
    default = cli_default_seconds()
    return f"{float(budget):.0f} s" + (" (default run)" if float(budget) == default else "")


def cli_default_seconds():
    from gan_course import cli
    return cli.RECIPES["dcgan"]["seconds"]


def main():
    args = parse_args()
    from gan_course import data, metrics
    folder = Path(args.results)
    folder.mkdir(parents=True, exist_ok=True)
    tutorial = max(args.seconds) if args.tutorial_seconds is None else args.tutorial_seconds
    budgets = list(args.seconds)
    if not args.no_default_run and cli_default_seconds() not in budgets:
        budgets.append(cli_default_seconds())  # the default run is the CLI with no budget
    jobs = [(f"{s:g}", s) for s in budgets]
    jobs += [("tutorial", tutorial)] if tutorial else []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        for budget, seconds in jobs:
            path = folder / f"{budget}_seed{seed}.json"
            if args.table_only or path.exists():
                continue
            print(f"training: {budget} (seed {seed})", flush=True)
            result = (tutorial_run(seconds, seed, args.every, args.samples) if budget == "tutorial"
                      else course_run(seconds, seed, args.samples))
            result.update(budget=budget, seed=seed)
            temporary = path.with_suffix(".tmp")
            temporary.write_text(json.dumps(result))
            os.replace(temporary, path)
    results = {p.stem: json.loads(p.read_text()) for p in folder.glob("*.json")}
    real = metrics.evaluate_images(data.load_mnist()[0][0][:args.samples], by_class=True)
    reference = (real["classifier_score"], real["frechet_distance"],
                 real["class_kl_to_uniform"], *variety(real))
    if results:
        table(results, reference)


if __name__ == "__main__":
    main()
