"""Train the model zoo (gan_course.zoo.ENTRIES) and write data/zoo/: weights, manifest, sums.

    python scripts/train_zoo.py                    # every entry, seeds 0 1 2 (README: the time)
    python scripts/train_zoo.py --only 07-wgan-gp  # one entry
    python scripts/train_zoo.py --fast --out DIR   # the CI-sized run: 40 steps on 2,048 images

Each entry trains for its fixed number of steps (so a rerun does the same work on any
machine) on the 60,000 MNIST training images (or the first `subset` of them), batch 64. At
every tenth of training it scores 2,000 samples (FD, classifier score, the critic's own
estimate over the last 50 steps, for a `subset` D's mean logit on it, and for an `ema` entry
the FD of G's averaged weights), then 10,000 samples at the end, and 2,000 more with the
noise seed that tests/test_zoo.py uses. A conditional entry trains on (image, label) pairs
and draws n / 10 samples of each digit; an entry with `decay` lowers both learning rates
linearly to 0 over its steps.
The 2-D entries (notebook 04) train with gan_course.toy on their mixture's 20,000 points,
in batches of toy.BATCH, and are scored with metrics.mode_coverage instead.
The manifest is written after every seed, and seeds already in it are skipped. A seed of a
GAN or VAE entry is also checkpointed at every curve point (OUT/checkpoints/NAME_seedN/:
train.Checkpointer, with the curve so far), so an interrupted run, rerun with the same
command, resumes that seed at its last curve point: the same batches and noise as an
uninterrupted run. The checkpoint is deleted once the seed is in the manifest.
"""

import argparse
import json
import platform
import shutil
import time
from pathlib import Path

import keras
import numpy as np

from gan_course import __version__, data, toy, train, zoo
from gan_course.data import SHIPPED_DIR, _sha256

FAST = dict(steps=40, images=2_048, curve_samples=200, final_samples=500, check_samples=500)


class Curve(keras.callbacks.Callback):
    """At every epoch end: G's learning rate, FD and classifier score of `n` samples, the mean
    over the last 50 steps of the critic's gap E D(real) - E D(fake) and of D's loss, and,
    given `probe` images (an entry's small training set), D's mean logit on them; with
    `averaged`, the FD of the generator's averaged weights. Each point also keeps the training
    seconds so far (without the scoring), and the points are written to `path` (JSON)."""

    def __init__(self, history, n, probe=None, averaged=False, path=None):
        super().__init__()
        self.history, self.n, self.probe, self.averaged = history, n, probe, averaged
        self.path, self.points = path, []

    @property
    def train_seconds(self):
        return self.points[-1]["train_seconds"] if self.points else 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch_start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        seconds = self.train_seconds + time.perf_counter() - self.epoch_start
        figures = zoo.evaluate(self.model, self.n)
        optimizer = getattr(self.model, "g_optimizer", self.model.optimizer)  # GAN: count G steps
        point = {"step": int(optimizer.iterations.numpy()),
                 "learning_rate": float(optimizer.learning_rate.numpy()),
                 "frechet_distance": figures["frechet_distance"],
                 "classifier_score": figures["classifier_score"]}
        if self.history is not None:
            self.history._read(int(self.model.steps_logged.numpy()))
            h = {k: np.array(v[-50:]) for k, v in self.history.history.items()}
            point.update(critic_gap=float(np.mean(h["d_real"] - h["d_fake"])),
                         d_loss=float(np.mean(h["d_loss"])))
        if self.probe is not None:
            point["real_logit"] = float(np.mean(self.model.discriminator(self.probe,
                                                                         training=False)))
        if self.averaged:
            averaged = evaluate_averaged(self.model, zoo.averaged_generator(self.model), self.n)
            point["frechet_distance_averaged"] = averaged["frechet_distance"]
        self.points.append({**point, "train_seconds": round(seconds, 1)})
        if self.path:
            self.path.write_text(json.dumps(self.points))
        print(f"  step {point['step']}: FD {point['frechet_distance']:.1f}", flush=True)


def machine():
    import os
    cpu = platform.processor() or platform.machine()
    try:
        names = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if "model name" in l]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    import tensorflow as tf
    gpus = tf.config.list_physical_devices("GPU")
    return (f"{os.cpu_count()} CPU cores ({cpu}), {'GPU' if gpus else 'no GPU'}; "
            f"TensorFlow {tf.__version__}, Keras {keras.__version__}")


def evaluate_averaged(model, averaged, n):
    """zoo.evaluate of `model` with the weights of `averaged` (its averaged generator) in G;
    G's own weights are put back afterwards."""
    last = model.generator.get_weights()
    model.generator.set_weights(averaged.get_weights())
    try:
        return zoo.evaluate(model, n)
    finally:
        model.generator.set_weights(last)


def change_last_fifth(curve, key):
    """The suggested convergence rule's figure: how much `key` moved over the last fifth."""
    values = [p[key] for p in curve]
    return abs(values[-1] - values[-3]) / values[-3] if len(values) >= 3 else None


def train_toy(name, seed, steps, sizes):
    spec, curve, scoring = zoo.entry(name), [], []

    def score(gan, step):
        start = time.perf_counter()
        curve.append({"step": step, **gan.figures(sizes["curve_samples"], zoo.SAMPLE_SEED)})
        scoring.append(time.perf_counter() - start)
        print(f"  step {step}: {curve[-1]['modes_captured']} modes, "
              f"{curve[-1]['high_quality_share']:.0%} high quality", flush=True)

    model = toy.train(spec["mixture"], steps, seed=seed, every=steps // zoo.CURVE_POINTS,
                      callback=score, **spec["options"])
    zoo.round_weights(model.generator)
    return zoo.networks(model), {
        "train_seconds": round(model.seconds - sum(scoring), 1),
        "final": zoo.evaluate(model, sizes["final_samples"]),
        "check": zoo.evaluate(model, sizes["check_samples"]),
        "curve": curve,
        "quality_change_last_fifth": change_last_fifth(curve, "high_quality_share"),
    }


def resume(name, seed, checkpointer, curve, steps, epochs):
    """Restore the seed's last checkpoint and the curve up to it; returns the epoch to start at."""
    epoch = checkpointer.restore()
    if epoch:
        step = int(checkpointer.steps.numpy())
        points = json.loads(curve.path.read_text())[:epoch] if curve.path.exists() else []
        planned = [(i + 1) * steps // epochs for i in range(epoch)]
        if step != planned[-1] or [p["step"] for p in points] != planned:
            raise SystemExit(f"{checkpointer.directory} holds a run of another budget (at step "
                             f"{step}, not {planned[-1]} of {steps}); delete it to train {name} "
                             f"seed {seed} afresh.")
        curve.points = points
        print(f"{name} seed {seed}: resumed at step {step} from {checkpointer.latest}",
              flush=True)
    return epoch


def train_seed(name, seed, images, labels, steps, sizes, checkpoints):
    """Train one seed of an entry, resuming from its checkpoint folder `checkpoints` if that
    holds one; returns ({part: network} to save, the manifest record)."""
    spec = zoo.entry(name)
    if spec["kind"] == "toy":
        return train_toy(name, seed, steps, sizes)
    model = zoo.build(name, seed)
    checkpoints.mkdir(parents=True, exist_ok=True)
    history = train.StepHistory() if isinstance(model, train.GAN) else None
    probe = data.to_unit_range(images) if "subset" in spec else None
    curve = Curve(history, sizes["curve_samples"], probe, averaged="ema" in spec,
                  path=checkpoints / "curve.json")
    checkpointer = train.Checkpointer(model, checkpoints)
    callbacks = ([history] if history else []) + [curve, checkpointer]
    if spec.get("decay"):  # both learning rates fall linearly to 0 over the run
        # the entry's initial rates: read before resume() restores the decayed ones
        rates = [float(o.learning_rate.numpy()) for o in train.optimizers_of(model)]
        callbacks.insert(0, train.LinearDecay(rates, steps))
    epochs = zoo.CURVE_POINTS if steps % zoo.CURVE_POINTS == 0 else 1
    epoch = resume(name, seed, checkpointer, curve, steps, epochs)
    train.train_for(model, images, steps=steps, seed=seed, callbacks=callbacks, epochs=epochs,
                    labels=labels if spec.get("conditional") else None, initial_epoch=epoch)
    networks = zoo.networks(model)
    if "ema" in spec:
        networks["averaged_generator"] = zoo.averaged_generator(model)
    for network in networks.values():
        zoo.round_weights(network)  # the figures below are those of the shipped float16 weights
    record = {
        "train_seconds": curve.train_seconds,
        "final": zoo.evaluate(model, sizes["final_samples"]),
        "check": zoo.evaluate(model, sizes["check_samples"]),
        "curve": curve.points,
        # the suggested convergence rule: FD moves by < 10 % over the last fifth of training
        "fd_change_last_fifth": change_last_fifth(curve.points, "frechet_distance"),
    }
    if "ema" in spec:
        averaged = networks["averaged_generator"]
        record["averaged"] = {
            "final": evaluate_averaged(model, averaged, sizes["final_samples"]),
            "check": evaluate_averaged(model, averaged, sizes["check_samples"]),
            "fd_change_last_fifth": change_last_fifth(curve.points, "frechet_distance_averaged"),
        }
    return networks, record


def summary(figures):
    final = figures["final"]
    if "modes_captured" in final:
        return (f"{final['modes_captured']} modes, {final['high_quality_share']:.1%} high "
                "quality; its change over the last fifth "
                f"{figures['quality_change_last_fifth']:.0%}")
    text = (f"FD {final['frechet_distance']:.1f}, score {final['classifier_score']:.2f}; FD "
            f"change over the last fifth {figures['fd_change_last_fifth'] or 0:.0%}")
    if "averaged" in figures:
        averaged = figures["averaged"]
        text += (f"; averaged weights: FD {averaged['final']['frechet_distance']:.1f}, its "
                 f"change {averaged['fd_change_last_fifth'] or 0:.0%}")
    return text


def save(networks, name, seed, out):
    paths = {part: out / path.name for part, path in zoo.weight_files(name, seed).items()}
    for part, path in paths.items():
        zoo.save_weights(networks[part], path)
    return list(paths.values())


def update_sums(sums_path, files, prefix):
    lines = sums_path.read_text().splitlines() if sums_path.exists() else []
    names = {f"{prefix}{f.name}": _sha256(f) for f in files}
    kept = [l for l in lines if not (l.split() and l.split()[-1] in names)]
    sums_path.write_text("\n".join(kept + [f"{d}  {n}" for n, d in names.items()]) + "\n")


def read_manifest(out):
    path = out / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else {
        "written_by": "scripts/train_zoo.py", "entries": {}}


def write_record(out, name, about, seed, figures):
    """Add one seed's record to out/manifest.json, read afresh (another run may have written
    other entries since); a record of another step budget is replaced."""
    manifest = read_manifest(out)
    record = manifest["entries"].get(name, {"seeds": {}})
    if record.get("steps") != about["steps"]:
        record = {"seeds": {}}
    record.update(about)
    record["seeds"][str(seed)] = figures
    manifest["entries"][name] = record
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(zoo.ENTRIES), metavar="NAME",
                        help=f"entries to train (default: all of {sorted(zoo.ENTRIES)})")
    parser.add_argument("--seeds", nargs="+", type=int, default=list(zoo.SEEDS))
    parser.add_argument("--out", type=Path, default=zoo.ZOO_DIR)
    parser.add_argument("--fast", action="store_true", help="the CI-sized run (use with --out)")
    args = parser.parse_args()
    if args.fast and args.out.resolve() == zoo.ZOO_DIR.resolve():
        parser.error("--fast would overwrite the shipped zoo; give --out DIR.")
    sizes = FAST if args.fast else dict(curve_samples=zoo.CURVE_SAMPLES,
                                        final_samples=zoo.FINAL_SAMPLES,
                                        check_samples=zoo.CHECK_SAMPLES)
    args.out.mkdir(parents=True, exist_ok=True)
    (images, labels), _ = data.load_mnist()
    if args.fast:
        images, labels = images[:FAST["images"]], labels[:FAST["images"]]
    for name in args.only or zoo.ENTRIES:
        spec = zoo.entry(name)
        steps = FAST["steps"] if args.fast else spec["steps"]
        about = dict(lesson=spec["lesson"], steps=steps,
                     batch_size=toy.BATCH if spec["kind"] == "toy" else 64,
                     settings={k: v for k, v in spec.items() if k not in ("lesson", "steps")})
        n = spec.get("subset", len(images))
        for seed in args.seeds:
            files = [args.out / p.name for p in zoo.weight_files(name, seed).values()]
            done = read_manifest(args.out)["entries"].get(name, {})
            if done.get("steps") == steps and str(seed) in done["seeds"] and all(
                    f.exists() for f in files):
                print(f"{name} seed {seed}: in the manifest already, skipped")
                continue
            checkpoints = args.out / "checkpoints" / f"{name}_seed{seed}"
            networks, figures = train_seed(name, seed, images[:n], labels[:n], steps, sizes,
                                           checkpoints)
            files = save(networks, name, seed, args.out)
            figures.update(machine=machine(), gan_course=__version__,
                           **({} if spec["kind"] == "toy" else {"images": n}))
            write_record(args.out, name, about, seed, figures)
            if args.out.resolve() == zoo.ZOO_DIR.resolve():
                update_sums(SHIPPED_DIR / "SHA256SUMS", files, "zoo/")
            else:
                update_sums(args.out / "SHA256SUMS", files, "")
            shutil.rmtree(checkpoints, ignore_errors=True)
            print(f"{name} seed {seed}: {steps} steps in {figures['train_seconds']:.0f} s; "
                  f"{summary(figures)} (N = {sizes['final_samples']:,})", flush=True)


if __name__ == "__main__":
    main()
