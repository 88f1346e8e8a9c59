"""`python -m gan_course train dcgan|vanilla|cgan|wgan-gp`: train on MNIST, write a run folder.

The run folder holds samples.npz (10,000 samples in [-1, 1], 2,000 in fast mode; for cgan
also `labels`, the requested digit of each sample, a tenth of each), metrics.json, one image grid
per epoch, progress.gif, losses.png, generator.keras and checkpoints (ckpt/). Running the
same command again with the same --out resumes from the last checkpoint.
"""

import argparse
import json
import math
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from gan_course.notebook import FAST_ENV, fast_mode

# Each recipe: its builders in gan_course.models (`models`; a generator with num_classes makes
# the run conditional) and their arguments, Adam's settings, batch size, epochs (full mode), and
# optionally `seconds` (the default run's wall-time limit, when neither --epochs nor --seconds
# is given) and `decay` (the learning rate falls linearly to 0 over the planned run).
# The DCGAN recipe is tuned for quality per wall-clock second on a CPU (README, "Speed",
# benchmarks/time_to_quality.py): G width 128, a narrow D (width 32, no dropout) that sees
# the minibatch standard deviation (it keeps the digits' balance), Adam 5e-4 with betas
# (0, 0.99) (as in StyleGAN2 and Huang et al. 2024: better than (0.5, 0.999) at 300 s over
# three seeds), decaying to 0.
# With a constant rate, longer runs got no better (G width 64: score 7.7 at 12,000 steps,
# 7.6 at 42,000, with the class balance worsening).
RECIPES = {
    "dcgan": dict(models=("dcgan_generator", "dcgan_discriminator"), generator=dict(width=128),
                  discriminator=dict(width=32, dropout=0.0, minibatch_stddev=True), lr=5e-4,
                  beta_1=0.0, beta_2=0.99, batch_size=64, decay=True, seconds=600, epochs=50),
    "vanilla": dict(models=("mlp_generator", "mlp_discriminator"), generator={},
                    discriminator=dict(dropout=0.3), lr=2e-4, beta_1=0.5, batch_size=128,
                    epochs=50),
    # Conditional: the DCGAN recipe with the label embedding joined to z in G and a
    # projection discriminator with spectral norm and the hinge loss, as in Miyato & Koyama
    # 2018 (notebook 06; without them one seed in three collapsed within each class).
    "cgan": dict(models=("dcgan_generator", "projection_discriminator"),
                 generator=dict(width=64, num_classes=10),
                 discriminator=dict(width=32, spectral_norm=True), lr=5e-4, beta_1=0.5,
                 batch_size=64, epochs=20, step=dict(loss="hinge")),
    # WGAN-GP (Gulrajani et al. 2017): the DCGAN recipe's networks, a critic with no
    # normalisation, lambda 10, 5 critic updates per G update (on the same real batch), and
    # the paper's Adam(1e-4, beta_1 0.5, beta_2 0.9).
    "wgan-gp": dict(models=("dcgan_generator", "dcgan_discriminator"), generator=dict(width=64),
                    discriminator=dict(width=32, dropout=0.0),
                    lr=1e-4, beta_1=0.5, beta_2=0.9, batch_size=64, epochs=20,
                    step=dict(loss="wasserstein", gp_weight=10.0, d_steps=5)),
}
FAST = dict(subset=6144, epochs=2, batch_size=64, samples=2000)
N_SAMPLES = 10_000  # written and scored at the end of a run (FAST["samples"] in fast mode)
EPOCH_SAMPLES = 2_000  # scored after every epoch, for TensorBoard and metrics.json
EPOCH_KEYS = ("classifier_score", "frechet_distance", "class_kl_to_uniform")


class UsageError(ValueError):
    """A bad option or run folder: `main` prints it on one line and exits with status 2."""


def check_numbers(epochs=None, seconds=None, batch_size=None, seed=0):
    """Refuse numbers a run cannot use, before anything is written."""
    wholes = {"epochs": (epochs, 1), "batch_size": (batch_size, 1), "seed": (seed, 0)}
    for name, (value, least) in wholes.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < least):
            raise UsageError(f"--{name.replace('_', '-')} must be a whole number of at least "
                             f"{least}, got {value!r}.")
    if seconds is not None and not (isinstance(seconds, (int, float)) and 0 < seconds < math.inf):
        raise UsageError(f"--seconds must be a positive, finite number of seconds, got "
                         f"{seconds!r}.")


def build_models(model):
    """The generator and discriminator of a recipe."""
    from gan_course import models
    recipe = RECIPES[model]
    generator, discriminator = (getattr(models, name) for name in recipe["models"])
    return generator(**recipe["generator"]), discriminator(**recipe["discriminator"])


def build_optimizer(model, name=None):
    """An Adam optimizer with a recipe's learning rate and betas (one per player)."""
    import keras
    recipe = RECIPES[model]
    return keras.optimizers.Adam(recipe["lr"], beta_1=recipe["beta_1"],
                                 beta_2=recipe.get("beta_2", 0.999), name=name)


STRATEGIES = ("auto", "mirrored", "multi-worker", "none")


def make_strategy(name="auto"):
    """tf.distribute strategy: 'mirrored' (every local GPU, or the CPU when there is none),
    'multi-worker' (MultiWorkerMirroredStrategy over the workers that TF_CONFIG lists),
    'none' (the default strategy, one device), or 'auto': mirrored when more than one GPU is
    visible, else none."""
    import tensorflow as tf
    if name not in STRATEGIES:
        raise UsageError(f"strategy must be one of {STRATEGIES}, got {name!r}.")
    if name == "multi-worker":
        if "TF_CONFIG" not in os.environ:
            raise UsageError("--strategy multi-worker reads the cluster from TF_CONFIG; set it on "
                             "every worker (README, \"Several GPUs and machines\").")
        return tf.distribute.MultiWorkerMirroredStrategy()
    if name == "auto":
        name = "mirrored" if len(tf.config.list_physical_devices("GPU")) > 1 else "none"
    return tf.distribute.MirroredStrategy() if name == "mirrored" else tf.distribute.get_strategy()


def train(model, out, epochs=None, seconds=None, seed=0, fast=False, batch_size=None,
          mixed_precision=False, strategy="auto", samples=None):
    """Train `model` (a key of RECIPES) and write the run folder `out`; returns metrics.
    mixed_precision: compute in bfloat16 (float32 weights and outputs), for GPUs that have it.
    strategy: see make_strategy; the batch size is the global one, split over the replicas.
    samples: how many to write and score at the end (default N_SAMPLES, or FAST's)."""
    import keras

    check_numbers(epochs, seconds, batch_size, seed)
    if samples is not None and not (isinstance(samples, int) and samples >= 2):
        raise ValueError(f"samples must be a whole number of at least 2, got {samples!r}.")
    if strategy == "multi-worker" and seconds is not None:
        raise UsageError("--seconds would stop each worker at its own step; with --strategy "
                         "multi-worker, pass --epochs.")
    policy = keras.mixed_precision.global_policy()
    if mixed_precision:
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        return _train(model, out, epochs, seconds, seed, fast, batch_size, mixed_precision,
                      make_strategy(strategy), samples)
    finally:
        keras.mixed_precision.set_global_policy(policy)


def _train(model, out, epochs, seconds, seed, fast, batch_size, mixed_precision, strategy,
           samples):
    import keras
    import tensorflow as tf

    from gan_course import data, metrics, train as T, viz

    recipe = RECIPES[model]
    step_options = recipe.get("step", {})
    if batch_size is None:
        batch_size = FAST["batch_size"] if fast else recipe["batch_size"]
    if samples is None:
        samples = FAST["samples"] if fast else N_SAMPLES
    multi_worker = isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
    chief = not multi_worker or _is_chief(strategy.cluster_resolver)  # writes the run folder
    # the recipe's own run: its seconds (if it has them; not across workers), then its epochs
    timed_default = (epochs is None and seconds is None and not fast and "seconds" in recipe
                     and not multi_worker)
    if timed_default:
        seconds = recipe["seconds"]
    if epochs is None:
        epochs = FAST["epochs"] if fast else recipe["epochs"]
    out = _run_folder(out) if chief else Path(out)
    replicas = strategy.num_replicas_in_sync
    default = type(strategy) is type(tf.distribute.get_strategy())  # one device, no tf.distribute
    strategy_name = ("none" if default else "MultiWorkerMirroredStrategy" if multi_worker
                     else type(strategy).__name__)
    on = "" if default else f" under {strategy_name} ({replicas} replicas)"
    print(f"Training {model} on {T.describe_device()}{on}; writing to {out}/", flush=True)

    T.set_seed(seed)
    (x_train, y_train), _ = data.load_mnist()
    metrics.load_classifier()  # the scorer must load before, not after, a long run
    if fast:
        x_train, y_train = x_train[:FAST["subset"]], y_train[:FAST["subset"]]
    conditional = "num_classes" in recipe["generator"]
    dataset = data.make_dataset(x_train, y_train if conditional else None,
                                batch_size=batch_size, seed=seed)

    # the recipe as run.json records it: `model` names the builders; --epochs may change
    settings = {"model": model, "recipe": {k: v for k, v in recipe.items()
                                           if k not in ("epochs", "models")},
                "batch_size": batch_size, "fast": fast, "seed": seed,
                "precision": "mixed_bfloat16" if mixed_precision else "float32"}

    with strategy.scope():
        generator, discriminator = build_models(model)
        gan = T.GAN(generator, discriminator, seed=seed)
        gan.compile(d_optimizer=build_optimizer(model, "d_adam"),
                    g_optimizer=build_optimizer(model, "g_adam"), **step_options)
    steps_per_epoch = -(-len(x_train) // batch_size)
    start_epoch, checkpointer = _restore(gan, out, settings, write=chief)
    if not chief:  # TensorFlow's multi-worker rule: all save, the others to a temporary folder
        scratch = tempfile.mkdtemp(prefix="gan_course_worker_")
        checkpointer = T.Checkpointer(gan, scratch)
    history_file = out / "history.json"
    history = T.StepHistory(checkpointer)
    start_steps = int(gan.g_optimizer.iterations.numpy())
    if (out / "metrics.json").exists():
        if start_epoch >= epochs or timed_default:
            print(f"{out}/ already holds a finished run of {start_steps} steps; its figures are "
                  f"in {out / 'metrics.json'}. Pass --seconds or a larger --epochs to train on.")
            return json.loads((out / "metrics.json").read_text())
        settings.pop(TRAINED, None)  # its outputs were written: train on
    # a training that ended before an interruption in the evaluation goes straight to it
    trained = bool(start_steps) and settings.get(TRAINED) == start_steps
    if trained:
        print(f"Training ended at step {start_steps}; writing its outputs (run again afterwards "
              "with --seconds or a larger --epochs to train on).")
    elif start_steps:
        print(f"Resuming from epoch {start_epoch} (step {start_steps}) of {checkpointer.latest}")
    if start_steps:
        history.history = _saved_history(history_file, start_steps)

    noise = T.draw_z(64, gan.latent_dim, seed)
    grid_labels = None
    if conditional:  # a 10 x 10 grid: row = digit, column = z
        noise, grid_labels = np.tile(noise[:10], (10, 1)), np.repeat(np.arange(10), 10)
    sample_labels = np.arange(samples) % 10 if conditional else None
    clock = T.WallClock(seconds)
    # The history is written before the checkpoint, so that a kill between the two leaves
    # a history at least as long as the checkpoint's step count.
    save_history = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: _write_json(history_file, history.history))
    grid = T.ImageGrid(noise, grid_labels, out_dir=out)
    logs = out / "logs"  # TensorBoard: tensorboard --logdir runs/
    board = keras.callbacks.TensorBoard(logs)  # epoch means and learning rates
    epoch_figures = []  # this session's epochs: for the time to reach a score

    def score():
        labels = sample_labels[:EPOCH_SAMPLES] if conditional else None
        images = gan.generate(EPOCH_SAMPLES, labels, seed=seed + 2)
        figures = (metrics.evaluate_conditional(images, labels) if conditional
                   else metrics.evaluate_images(images))
        epoch_figures.append({"epoch": start_epoch + len(epoch_figures) + 1,
                              "train_seconds": round(clock.train_seconds, 1),
                              **{key: figures[key] for key in EPOCH_KEYS}})
        return figures
    extras = T.EpochSummaries(logs / "steps_and_samples", history, grid, score)
    callbacks = ([history, clock, grid, board, extras, save_history, checkpointer] if chief
                 else [history, clock, checkpointer])
    if recipe.get("decay"):  # cool down over the planned run: all epochs, or --seconds
        callbacks.insert(0, T.LinearDecay(recipe["lr"], epochs * steps_per_epoch, seconds))
    if start_epoch < epochs and not trained and multi_worker:
        T.fit_by_hand(gan, dataset, strategy, epochs, start_epoch, callbacks)
    elif start_epoch < epochs and not trained:
        gan.fit(dataset, epochs=epochs, initial_epoch=start_epoch, callbacks=callbacks,
                shuffle=False, verbose=2 if fast else "auto")  # make_dataset shuffles
    steps = int(gan.g_optimizer.iterations.numpy())
    if not chief:
        shutil.rmtree(scratch)
        return {"worker": strategy.cluster_resolver.task_id, "steps": steps}
    _write_json(history_file, history.history)
    _write_json(out / "run.json", {**settings, TRAINED: steps})

    t0 = time.perf_counter()
    images = gan.generate(samples, sample_labels, seed=seed + 1)
    extra = {} if sample_labels is None else {"labels": sample_labels.astype(np.int64)}
    np.savez_compressed(out / "samples.npz", samples=images.astype(np.float32), **extra)
    generator.save(out / "generator.keras")
    frames = sorted(out.glob("epoch_*.png"))
    if frames:
        import imageio.v2 as imageio
        viz.save_gif([imageio.imread(f) for f in frames], out / "progress.gif")
    if history.history["d_loss"]:
        viz.plot_history(history.history, path=out / "losses.png",
                         loss=step_options.get("loss", "non_saturating"))

    result = (metrics.evaluate_conditional(images, sample_labels) if conditional
              else metrics.evaluate_images(images, by_class=True))
    result.update({
        "model": model, "device": T.describe_device(), "strategy": strategy_name,
        "replicas": replicas, "fast": fast, "seed": seed,
        "precision": "mixed_bfloat16" if mixed_precision else "float32",
        "batch_size": batch_size, "steps": steps,
        "epochs_done": int(checkpointer.epoch.numpy()),  # whole epochs; --seconds may cut one
        "resumed_from_epoch": start_epoch, "train_seconds": round(clock.train_seconds, 2),
        "seconds_per_epoch": [round(s, 2) for s in clock.epoch_seconds],
        # images trained on over training wall time (tracing and callbacks included)
        "images_per_second": round(sum(min(n * batch_size, len(x_train))
                                       for n in clock.epoch_steps) / clock.train_seconds, 1)
        if clock.train_seconds else None,
        "evaluation_seconds": round(time.perf_counter() - t0, 2),
        "epochs": epoch_figures,  # 2,000 samples after each epoch
    })
    (out / "metrics.json").write_text(json.dumps(result, indent=2))
    return result


TRAINED = "training_ended_at_step"  # in run.json: training ended, the outputs may be missing


def _run_folder(out):
    """The run folder, created; one that cannot be written is refused."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; pass a folder (new or a run folder).")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"cannot create --out {out} ({err.strerror}); pass a folder you can "
                         "write to.") from err
    if not os.access(out, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write to --out {out}; pass a folder you can write to.")
    return out


def _is_chief(resolver):
    """Whether this process is the chief of a TF_CONFIG cluster: the 'chief' task, or worker 0
    when there is none."""
    return resolver.task_type in (None, "chief") or (
        resolver.task_type == "worker" and resolver.task_id == 0
        and "chief" not in resolver.cluster_spec().as_dict())


def _restore(gan, out, settings, write=True):
    """Restore the run folder's checkpoint, checked against run.json's settings, then record
    the settings (with what they say of a finished training) if `write`; returns (epoch,
    Checkpointer). Nothing is written unless the restore succeeds."""
    from gan_course.train import Checkpointer
    path, ckpt = out / "run.json", out / "ckpt"
    fresh = f"delete {ckpt}/ to start afresh, or pass a new --out"
    checkpointer = Checkpointer(gan, ckpt)
    latest = checkpointer.latest
    if not latest and ckpt.is_dir() and any(ckpt.iterdir()):  # TensorFlow ignores a bad one
        raise UsageError(f"{ckpt}/ holds files but no readable checkpoint (is {ckpt / 'checkpoint'}"
                         f" damaged?); {fresh}.")
    if latest and not path.exists():
        raise UsageError(f"{out}/ holds checkpoints but no run.json, so they cannot be checked "
                         f"against these options; {fresh}.")
    try:
        saved = json.loads(path.read_text()) if latest else {}
    except json.JSONDecodeError as err:
        raise UsageError(f"{path} is not readable JSON ({err.msg}); {fresh}.") from err
    changed = {k: (saved.get(k), v) for k, v in settings.items() if saved.get(k) != v}
    if latest and changed:
        diffs = "; ".join(f"{k}: {old!r} there, {new!r} now" for k, (old, new) in changed.items())
        raise UsageError(f"{out}/ holds a run with other settings ({diffs}). Resume it with the "
                         "same options, or pass a new --out.")
    try:
        epoch = checkpointer.restore()
    except Exception as err:  # tf.errors.OpError, or a mismatch (ValueError, AssertionError)
        raise UsageError(f"{latest} cannot be restored ({type(err).__name__}: "
                         f"{str(err).splitlines()[0][:200]}); {fresh}.") from err
    if TRAINED in saved:
        settings[TRAINED] = saved[TRAINED]
    if write:
        _write_json(path, settings)
    return epoch, checkpointer


def _write_json(path, value):
    """Write JSON atomically: a kill leaves the old file or the new one, never half of one."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(value))
    os.replace(temporary, path)


def _saved_history(path, steps):
    """The first `steps` steps of a run folder's history.json, checked against the checkpoint."""
    from gan_course.train import STEP_KEYS
    saved = json.loads(path.read_text()) if path.exists() else {}
    short = [key for key in STEP_KEYS if len(saved.get(key, [])) < steps]
    if short:
        raise UsageError(f"{path} records fewer steps than the checkpoint ({steps}): the run "
                           "folder is inconsistent. Delete it to start again, or pass a new --out.")
    return {key: saved[key][:steps] for key in STEP_KEYS}


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error on one line (exit status 2)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def main(argv=None):
    parser = _Parser(prog="python -m gan_course", description=__doc__,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = sub.add_parser("train", help="train a GAN on MNIST and write a run folder")
    run.add_argument("model", choices=sorted(RECIPES), help="dcgan (convolutional), vanilla (MLP), cgan "
                     "(conditional DCGAN: you choose the digit) or wgan-gp (Wasserstein "
                     "critic with a gradient penalty)")
    run.add_argument("--out", default=None, help="run folder (default: runs/MODEL)")
    run.add_argument("--epochs", type=int, default=None,
                     help="train this many epochs (default: the recipe's; for dcgan, "
                          f"{RECIPES['dcgan']['seconds']:g} s or "
                          f"{RECIPES['dcgan']['epochs']} epochs, whichever ends first)")
    run.add_argument("--seconds", type=float, default=None,
                     help="stop training after this much wall time (or the epochs, if they "
                          "end first), then write the outputs; dcgan's learning rate decays "
                          "to 0 over it")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--batch-size", type=int, default=None)
    run.add_argument("--fast", action="store_true",
                     help=f"the CI-sized run: {FAST['subset']} images, {FAST['epochs']} epochs, "
                          f"{FAST['samples']} samples scored (also on with {FAST_ENV}=1)")
    run.add_argument("--mixed-precision", action="store_true",
                     help="compute in bfloat16: for GPUs such as A100/H100 and CPUs "
                          "with AVX-512 BF16; slow elsewhere")
    run.add_argument("--strategy", choices=STRATEGIES, default="auto",
                     help="tf.distribute: mirrored trains on every local GPU (batch split "
                          "over them); multi-worker on the processes TF_CONFIG lists (run the "
                          "same command on each; the chief writes the run folder); auto "
                          "(default) is mirrored when more than one GPU is visible, else none")
    args = parser.parse_args(argv)
    fast = args.fast or fast_mode()
    try:
        result = train(args.model, args.out or f"runs/{args.model}", args.epochs, args.seconds,
                       args.seed, fast, args.batch_size, args.mixed_precision, args.strategy)
    except UsageError as err:
        run.exit(2, f"{run.prog}: error: {err}\n")
    print(json.dumps({k: v for k, v in result.items() if not isinstance(v, list)}, indent=2))
