"""The model zoo: the lessons' comparisons trained long, once, and shipped as weights.

`scripts/train_zoo.py` trains every entry below for its fixed number of steps, with three
seeds, and writes `data/zoo/`: each seed's weights in float16 (`.npz` of get_weights(); the
networks are rebuilt here, in code, so the files load on every supported Keras version; the
figures are measured after the rounding), checksums in `data/SHA256SUMS`, and
`manifest.json` (steps, seconds, machine, each seed's figures on 10,000 samples and a
figure curve over training). Lessons call `load(name, seed)` and evaluate the models live.
"""

import json

import numpy as np

from gan_course.data import SHIPPED_DIR, _known_checksums, _sha256

ZOO_DIR = SHIPPED_DIR / "zoo"
SEEDS = (0, 1, 2)
CURVE_POINTS = 10      # figures measured at every tenth of training (on CURVE_SAMPLES samples)
CURVE_SAMPLES = 2_000
FINAL_SAMPLES = 10_000
CHECK_SAMPLES = 2_000  # what tests/test_zoo.py regenerates; the manifest keeps its figures too
SAMPLE_SEED = 1_000    # the noise seed of every evaluation

_NETWORKS = dict(latent_dim=100, width=64, critic=dict(width=32, dropout=0.0))  # notebook 02's
# notebook 03's setting: 256 images that D can memorise, D learning 10 times faster than G;
# both learning rates decay linearly to 0 (`decay`). An MLP generator is 3 MB, so only
# seed 0's generator ships (the others' figures do).
_LABEL_SMOOTHING = dict(lesson="03", kind="gan", architecture="mlp", latent_dim=100,
                        critic=dict(dropout=0.0), subset=256, steps=10_000,
                        optimizer=("Adam", dict(learning_rate=1e-4, beta_1=0.5)),
                        d_learning_rate=1e-3, ship_seeds=(0,), ship_critic=False, decay=True)
# notebook 07's setting: the same networks and G steps for every arm; G's optimiser keeps a
# moving average of G's weights, and those ship.
_WASSERSTEIN = dict(lesson="07", kind="gan", **_NETWORKS, steps=10_000, ema=0.999,
                    ship_last=False)
ENTRIES = {
    # 03: notebook 01's MLP GAN on 256 images with a fast D, four kinds of D targets.
    "03-baseline": dict(_LABEL_SMOOTHING, step={}),
    "03-one-sided": dict(_LABEL_SMOOTHING, step=dict(real_target=0.9)),
    "03-two-sided": dict(_LABEL_SMOOTHING, step=dict(real_target=0.9, fake_target=0.1)),
    "03-noisy-flipped": dict(_LABEL_SMOOTHING, step=dict(label_noise=0.2, label_flip=0.05)),
    # 07: four ways to train the same networks (critic/discriminator without dropout or batch
    # norm), each with its paper's optimiser, all four for the same number of G steps (the
    # Wasserstein critics take 5 critic steps per G step, SN + hinge and the DCGAN 1).
    "07-wgan": dict(_WASSERSTEIN, clip=0.01, optimizer=("RMSprop", dict(learning_rate=5e-5)),
                    step=dict(loss="wasserstein", d_steps=5)),
    "07-wgan-gp": dict(_WASSERSTEIN, recipe="wgan-gp"),
    "07-sn-hinge": dict(_WASSERSTEIN, spectral_norm=True,
                        optimizer=("Adam", dict(learning_rate=2e-4, beta_1=0.5)),
                        step=dict(loss="hinge")),
    "07-dcgan": dict(_WASSERSTEIN, optimizer=("Adam", dict(learning_rate=5e-4, beta_1=0.5)),
                     step={}),
    # 08: a VAE and a GAN with the same decoder network (z of size 32); every learning rate
    # decays linearly to 0.
    "08-vae": dict(lesson="08", kind="vae", latent_dim=32, width=64, encoder=dict(width=32),
                   sigma=1.0, steps=8_000, optimizer=("Adam", dict(learning_rate=1e-3)),
                   decay=True),
    "08-gan": dict(lesson="08", kind="gan", latent_dim=32, width=64,
                   critic=dict(width=32, dropout=0.0), steps=6_000,
                   optimizer=("Adam", dict(learning_rate=5e-4, beta_1=0.5)), step={}, decay=True),
    # 11: a style-based generator and the DCGAN against the same D (notebook 11's: DCGAN's,
    # with the minibatch std feature, without which the style-based one collapsed), z of 64;
    # both learning rates decay linearly to 0 over the run (`decay`: train.LinearDecay, as in
    # the DCGAN recipe of `python -m gan_course train`). The style-based generator's mapping
    # network learns 100 times more slowly (models.EqualizedDense), as in StyleGAN: without
    # it, its FD was still falling after 10,000 steps and after 20,000 (notebooks/NOTES.md).
    # Both ship G's moving average of weights only (`ema`, `ship_last=False`), the weights
    # StyleGAN's figures use; the last weights' figures stay in the manifest.
    "11-style": dict(lesson="11", kind="gan", architecture="style", latent_dim=64, steps=10_000,
                     critic=dict(width=32, dropout=0.0, minibatch_stddev=True),
                     optimizer=("Adam", dict(learning_rate=5e-4, beta_1=0.5)), step={},
                     decay=True, ema=0.999, ship_last=False, ship_critic=False),
    "11-dcgan": dict(lesson="11", kind="gan", latent_dim=100, width=64, steps=10_000,
                     critic=dict(width=32, dropout=0.0, minibatch_stddev=True),
                     optimizer=("Adam", dict(learning_rate=5e-4, beta_1=0.5)), step={},
                     decay=True, ema=0.999, ship_last=False, ship_seeds=(0,),
                     ship_critic=False),
    # 06: the conditional DCGAN of cli.RECIPES["cgan"] (projection D, spectral norm, hinge)
    # for as many steps as 07-dcgan, its unconditional yardstick (the same widths and Adam),
    # with the same moving average of G's weights (momentum 0.999): those ship, the last
    # weights' figures stay in the manifest.
    "06-cgan": dict(lesson="06", kind="gan", conditional=True, recipe="cgan", steps=10_000,
                    ema=0.999, ship_last=False, ship_seeds=(0,), ship_critic=False),
    # 04: section 1's grid runs (gan_course.toy's setting, the learning rates decaying to 0
    # over the run), 2.5 times the notebook's 12,000 steps; the generators are 0.3 MB each.
    "04-grid-plain": dict(lesson="04", kind="toy", mixture="grid", steps=30_000, options={}),
    "04-grid-pacgan2": dict(lesson="04", kind="toy", mixture="grid", steps=30_000,
                            options=dict(pack=2)),
    "04-grid-r1": dict(lesson="04", kind="toy", mixture="grid", steps=30_000,
                       options=dict(r1_weight=0.01)),
}


class ZooError(RuntimeError):
    """A zoo entry is unknown, or its weights are missing or do not match their checksum."""


def entry(name):
    """The settings of a zoo entry, with a cli.RECIPES recipe's optimiser and step filled in."""
    if name not in ENTRIES:
        raise ZooError(f"no zoo entry {name!r}; the entries are {sorted(ENTRIES)}.")
    spec = dict(ENTRIES[name])
    if "recipe" in spec:
        from gan_course.cli import RECIPES
        recipe = RECIPES[spec["recipe"]]
        spec["optimizer"] = ("Adam", dict(learning_rate=recipe["lr"], beta_1=recipe["beta_1"],
                                          beta_2=recipe.get("beta_2", 0.999)))
        spec["step"] = recipe.get("step", {})
    return spec


def build(name, seed=0):
    """An untrained, compiled train.GAN or train.VAE for entry `name` (a toy.ToyGAN for the
    2-D entries)."""
    import keras

    from gan_course import models, toy, train
    spec = entry(name)
    if spec["kind"] == "toy":
        return toy.build(spec["mixture"], pack=spec["options"].get("pack", 1), seed=seed)
    train.set_seed(seed)
    optimizer_class, options = spec["optimizer"]

    def optimizer(**overrides):
        return getattr(keras.optimizers, optimizer_class)(**{**options, **overrides})

    if spec.get("conditional"):
        from gan_course.cli import build_models
        decoder, critic = build_models(spec["recipe"])
    elif spec.get("architecture") == "mlp":
        decoder = models.mlp_generator(spec["latent_dim"])
    elif spec.get("architecture") == "style":
        decoder = models.style_generator(spec["latent_dim"])
    else:
        decoder = models.dcgan_generator(spec["latent_dim"], width=spec["width"])
    if spec["kind"] == "vae":
        model = train.VAE(models.vae_encoder(spec["latent_dim"], **spec["encoder"]), decoder,
                          sigma=spec["sigma"], seed=seed)
        model.compile(optimizer=optimizer())
        return model
    if spec.get("architecture") == "mlp":
        critic = models.mlp_discriminator(**spec["critic"])
    elif not spec.get("conditional"):  # a conditional entry's is its recipe's, built above
        critic = models.dcgan_discriminator(**spec["critic"],
                                            spectral_norm=spec.get("spectral_norm", False))
    if "clip" in spec:
        critic = models.clip_weights(critic, spec["clip"])
    model = train.GAN(decoder, critic, seed=seed)
    d_rate = {"learning_rate": spec["d_learning_rate"]} if "d_learning_rate" in spec else {}
    ema = dict(use_ema=True, ema_momentum=spec["ema"]) if "ema" in spec else {}
    model.compile(d_optimizer=optimizer(**d_rate), g_optimizer=optimizer(**ema), **spec["step"])
    return model


def averaged_generator(model):
    """A copy of a GAN's generator holding the moving average of its weights that G's
    optimiser keeps (an entry with `ema`); the model itself is left as it is."""
    import keras
    copy = keras.models.clone_model(model.generator)
    copy.set_weights(model.generator.get_weights())
    model.g_optimizer.finalize_variable_values(copy.trainable_variables)
    return copy


def weight_files(name, seed):
    """{part: path} of the weights an entry's seed ships: the generator (a VAE's decoder;
    not with `ship_last=False`), the VAE's encoder, the averaged generator of an entry with
    `ema`, and for seed 0 of a GAN its critic. Entries with `ship_seeds` ship only those seeds
    (the others' figures are in the manifest): {} for the rest."""
    spec = entry(name)
    if seed not in spec.get("ship_seeds", SEEDS):
        return {}
    parts = ["generator"] if spec.get("ship_last", True) else []
    if spec["kind"] == "vae":
        parts.append("encoder")
    if "ema" in spec:
        parts.append("averaged_generator")
    if seed == 0 and spec["kind"] == "gan" and spec.get("ship_critic", True):
        parts.append("critic")
    return {part: ZOO_DIR / f"{name}_seed{seed}_{part}.npz" for part in parts}


def save_weights(network, path):
    """network's weights, rounded to float16, into an .npz (arrays in get_weights order)."""
    np.savez_compressed(path, *[w.astype(np.float16) for w in network.get_weights()])


def round_weights(network):
    """Round network's weights to float16 in place: the model as save_weights ships it."""
    network.set_weights([w.astype(np.float16).astype(w.dtype) for w in network.get_weights()])


def load_weights(network, path):
    """Fill network with the float16 weights of an .npz written by save_weights."""
    with np.load(path) as arrays:
        weights = [arrays[f"arr_{i}"] for i in range(len(arrays.files))]
    current = network.get_weights()
    shapes = [w.shape for w in weights] == [w.shape for w in current]
    if not shapes:
        raise ZooError(f"{path.name} does not fit the network {network.name!r} that the course "
                       "builds: it was saved from another architecture. Retrain it with "
                       "scripts/train_zoo.py.")
    network.set_weights([w.astype(v.dtype) for w, v in zip(weights, current)])


def networks(model):
    """{part: network} of a train.GAN or train.VAE, named as in weight_files."""
    if hasattr(model, "encoder"):
        return {"generator": model.decoder, "encoder": model.encoder}
    return {"generator": model.generator, "critic": model.discriminator}


def load(name, seed=0, averaged=False):
    """The shipped model `name`, trained with `seed`: a train.GAN (its critic trained only for
    seed 0), train.VAE or toy.ToyGAN, rebuilt in code and filled with checksum-verified weights.
    `averaged=True` gives an `ema` entry's generator its averaged weights instead of its last
    (the only ones an entry with `ship_last=False` ships). Draw with `.generate(n, seed=...)`."""
    if averaged and "ema" not in entry(name):
        raise ZooError(f"{name!r} keeps no averaged weights; the entries that do are "
                       f"{sorted(n for n, spec in ENTRIES.items() if 'ema' in spec)}.")
    if not averaged and not entry(name).get("ship_last", True):
        raise ZooError(f"{name!r} ships its generator's averaged weights only: "
                       f"zoo.load({name!r}, {seed}, averaged=True).")
    model = build(name, seed)
    sums = _known_checksums()
    fix = "Restore data/zoo/ with `git checkout data/`, or retrain it: scripts/train_zoo.py."
    if not ZOO_DIR.exists() or seed not in manifest().get(name, {}).get("seeds", {}):
        raise ZooError(f"the zoo ships no seed {seed} of {name!r}. {fix}")
    if not weight_files(name, seed):
        raise ZooError(f"the zoo ships the weights of {name!r} for seeds "
                       f"{entry(name)['ship_seeds']} only; seed {seed}'s figures are in "
                       "zoo.manifest().")
    for part, path in weight_files(name, int(seed)).items():
        if part == ("generator" if averaged else "averaged_generator"):
            continue
        if not path.exists():
            raise ZooError(f"{path.name} is missing. {fix}")
        if _sha256(path) != sums.get(f"zoo/{path.name}"):
            raise ZooError(f"{path.name} does not match its SHA-256 in data/SHA256SUMS. {fix}")
        load_weights(networks(model)[part.replace("averaged_", "")], path)
    return model


def manifest():
    """{name: {steps, seconds, machine, seeds: {seed: figures}}} as scripts/train_zoo.py wrote
    it; seed keys are ints."""
    path = ZOO_DIR / "manifest.json"
    if not path.exists():
        return {}
    entries = json.loads(path.read_text())["entries"]
    for record in entries.values():
        record["seeds"] = {int(k): v for k, v in record["seeds"].items()}
    return entries


def evaluate(model, n, seed=SAMPLE_SEED, dataset="mnist"):
    """Classifier score, Frechet distance, class KL to uniform and sharpness of n samples
    (for a toy.ToyGAN: metrics.mode_coverage of n samples). A conditional GAN draws n / 10
    of each digit, and adds label accuracy, FD per class and within-class std (their means
    over the digits)."""
    from gan_course import metrics, toy
    if isinstance(model, toy.ToyGAN):
        return model.figures(n, seed)
    keys = ["classifier_score", "frechet_distance", "class_kl_to_uniform"]
    if hasattr(model, "generator") and len(model.generator.inputs) == 2:  # a conditional GAN
        request = np.arange(n) % 10
        images = model.generate(n, request, seed=seed)
        figures = metrics.evaluate_conditional(images, request, dataset=dataset)
        keys += ["label_accuracy", "frechet_per_class", "within_class_std"]
    else:
        images = model.generate(n, seed=seed)
        figures = metrics.evaluate_images(images, dataset=dataset)
    return {**{k: float(np.mean(figures[k])) for k in keys},
            "sharpness": metrics.laplacian_variance(images)}
