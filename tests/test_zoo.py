"""The shipped model zoo: every model reproduces its manifest figures, the files are what the
checksums say and fit the size cap, and the training script runs end to end (fast mode)."""

import json
import subprocess
import sys
import time

import numpy as np
import pytest

from gan_course import zoo
from gan_course.data import SHIPPED_DIR, _known_checksums

ROOT = SHIPPED_DIR.parent
MANIFEST = zoo.manifest()
SHIPPED = [(name, seed) for name, record in MANIFEST.items() for seed in record["seeds"]
           if zoo.weight_files(name, seed)]  # entries with ship_seeds ship some seeds' weights
KEYS = ("classifier_score", "frechet_distance", "sharpness")
TOY_KEYS = ("modes_captured", "high_quality_share")  # the 2-D entries of notebook 04


def keys(name):
    spec = zoo.entry(name)
    if spec["kind"] == "toy":
        return TOY_KEYS
    return KEYS + ("label_accuracy",) if spec.get("conditional") else KEYS


def fast_command(out, names, seed):
    return [sys.executable, "scripts/train_zoo.py", "--fast", "--out", str(out),
            "--only", *names, "--seeds", str(seed)]


def train_fast(out, names, seed):
    """Run scripts/train_zoo.py --fast on entries and one seed, in one process; returns
    (stdout, the manifest's records)."""
    done = subprocess.run(fast_command(out, names, seed), cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, json.loads((out / "manifest.json").read_text())["entries"]


@pytest.fixture(scope="module")
def fast_zoo(tmp_path_factory):
    """One fast run of the script (seed 0) over an entry of each kind: the DCGAN of notebook
    07 (no `decay`), a 2-D entry, a conditional one with `ema`, and the VAE (`decay`, one
    optimiser), killed once the DCGAN has saved its second checkpoint and run again to the
    end; returns (its folder, the second run's stdout, records)."""
    out = tmp_path_factory.mktemp("fast_zoo")
    names = ["07-dcgan", "04-grid-r1", "06-cgan", "08-vae"]
    killed = subprocess.Popen(fast_command(out, names, 0), cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    second = out / "checkpoints" / "07-dcgan_seed0" / "ckpt-2.index"
    deadline = time.monotonic() + 300
    while not second.exists() and killed.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    killed.kill()
    killed.wait()
    assert second.exists(), "the first run saved no second checkpoint"
    return out, *train_fast(out, names, 0)


@pytest.fixture(scope="module")
def fast_subset_run(tmp_path_factory):
    """A fast run of a notebook 03 entry (a `subset`, `decay`) with seed 1, whose weights
    do not ship; returns (its folder, its record)."""
    out = tmp_path_factory.mktemp("fast_subset")
    return out, train_fast(out, ["03-one-sided"], 1)[1]["03-one-sided"]


def test_every_entry_ships_three_seeds_within_30_mb_with_checksums():
    assert set(MANIFEST) == set(zoo.ENTRIES), "train the missing entries: scripts/train_zoo.py"
    sums = _known_checksums()
    files = sorted(zoo.ZOO_DIR.glob("*.npz"))
    for name, record in MANIFEST.items():
        assert sorted(record["seeds"]) == list(zoo.SEEDS), name
        assert record["steps"] == zoo.entry(name)["steps"], f"{name}: retrain at the new budget"
        for seed in record["seeds"]:
            for path in zoo.weight_files(name, seed).values():
                assert path in files and f"zoo/{path.name}" in sums, path.name
    assert len(files) == sum(len(zoo.weight_files(n, s)) for n, s in SHIPPED), "stray files"
    assert sum(p.stat().st_size for p in zoo.ZOO_DIR.iterdir()) < 30e6


@pytest.mark.parametrize("name, seed", SHIPPED, ids=[f"{n}-seed{s}" for n, s in SHIPPED])
def test_shipped_model_reproduces_its_manifest_figures(name, seed):
    """2,000 fresh samples of the shipped weights score what the manifest says they scored
    when trained, within the spread of that figure over the entry's seeds; so do the averaged
    weights of an entry that keeps them (an entry with `ship_last=False` ships those only)."""
    record, spec = MANIFEST[name]["seeds"], zoo.entry(name)
    variants = [(False, lambda s: record[s]["check"])] if spec.get("ship_last", True) else []
    if "ema" in spec:
        variants.append((True, lambda s: record[s]["averaged"]["check"]))
    for averaged, recorded in variants:
        figures = zoo.evaluate(zoo.load(name, seed, averaged=averaged), zoo.CHECK_SAMPLES)
        for key in keys(name):
            over_seeds = np.array([recorded(s)[key] for s in record])
            assert figures[key] == pytest.approx(recorded(seed)[key],
                                                 abs=max(over_seeds.std(ddof=1), 1e-3)), key


def test_load_refuses_unknown_names_missing_seeds_and_corrupt_files(tmp_path, monkeypatch):
    with pytest.raises(zoo.ZooError, match="no zoo entry 'wgan'; the entries are"):
        zoo.load("wgan")
    with pytest.raises(zoo.ZooError, match="ships no seed 7 of '08-gan'"):
        zoo.load("08-gan", 7)
    with pytest.raises(zoo.ZooError, match=r"weights of '03-baseline' for seeds \(0,\) only"):
        zoo.load("03-baseline", 1)
    with pytest.raises(zoo.ZooError, match="'08-gan' keeps no averaged weights"):
        zoo.load("08-gan", 0, averaged=True)
    with pytest.raises(zoo.ZooError, match=r"averaged weights only: zoo.load\('11-style', 1, "):
        zoo.load("11-style", 1)
    for path in zoo.weight_files("08-gan", 0).values():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "manifest.json").write_text((zoo.ZOO_DIR / "manifest.json").read_text())
    monkeypatch.setattr(zoo, "ZOO_DIR", tmp_path)
    zoo.load("08-gan", 0)  # a faithful copy loads
    generator = tmp_path / "08-gan_seed0_generator.npz"
    generator.write_bytes(generator.read_bytes()[:-1] + b"x")
    with pytest.raises(zoo.ZooError, match="does not match its SHA-256 in data/SHA256SUMS"):
        zoo.load("08-gan", 0)
    generator.unlink()
    with pytest.raises(zoo.ZooError, match="08-gan_seed0_generator.npz is missing"):
        zoo.load("08-gan", 0)


def test_weights_of_another_architecture_are_refused_in_one_line(tmp_path):
    path = tmp_path / "other.npz"
    zoo.save_weights(zoo.build("08-vae").encoder, path)
    with pytest.raises(zoo.ZooError, match="saved from another architecture") as err:
        zoo.load_weights(zoo.build("08-gan").generator, path)
    assert "\n" not in str(err.value)


def test_float16_round_trip_is_what_load_gives(tmp_path):
    model = zoo.build("08-gan")
    path = tmp_path / "g.npz"
    zoo.save_weights(model.generator, path)
    zoo.round_weights(model.generator)
    other = zoo.build("08-gan", seed=1)
    zoo.load_weights(other.generator, path)
    for a, b in zip(model.generator.get_weights(), other.generator.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_training_script_end_to_end_in_fast_mode(fast_zoo):
    """scripts/train_zoo.py --fast trains an entry, resumes it at its last checkpoint when
    killed, writes weights that load, a manifest with the whole curve and figures, and
    checksums; a rerun skips what is done."""
    out, stdout, records = fast_zoo
    assert "07-dcgan seed 0: resumed at step " in stdout  # the fixture killed the first run
    assert "07-dcgan seed 0: 40 steps in" in stdout
    record = records["07-dcgan"]
    seed0 = record["seeds"]["0"]
    assert record["steps"] == 40
    assert [point["step"] for point in seed0["curve"]] == list(range(4, 41, 4))
    assert "critic_gap" in seed0["curve"][-1]
    assert not (out / "checkpoints" / "07-dcgan_seed0").exists()  # deleted once in the manifest
    assert len({point["learning_rate"] for point in seed0["curve"]}) == 1  # no `decay`: constant
    assert set(KEYS) <= set(seed0["final"]) and seed0["train_seconds"] > 0
    sums = dict(reversed(l.split()) for l in (out / "SHA256SUMS").read_text().splitlines())
    model = zoo.build("07-dcgan")
    shipped = zoo.weight_files("07-dcgan", 0)  # its averaged generator and its critic
    assert all(path.name in sums for path in shipped.values())
    zoo.load_weights(model.generator, out / shipped["averaged_generator"].name)
    zoo.load_weights(model.discriminator, out / shipped["critic"].name)
    assert zoo.evaluate(model, 500)["frechet_distance"] == pytest.approx(
        seed0["averaged"]["final"]["frechet_distance"], rel=1e-3)
    assert "in the manifest already, skipped" in train_fast(out, ["07-dcgan"], 0)[0]


def test_training_script_trains_a_2d_entry_scored_by_its_modes(fast_zoo):
    """A notebook 04 entry trains with gan_course.toy and its options, and is scored with
    metrics.mode_coverage, on the curve and at the end."""
    out, _, records = fast_zoo
    record = records["04-grid-r1"]
    seed0 = record["seeds"]["0"]
    assert record["settings"]["options"] == {"r1_weight": 0.01} and record["batch_size"] == 128
    assert len(seed0["curve"]) == zoo.CURVE_POINTS and set(TOY_KEYS) <= set(seed0["curve"][-1])
    assert seed0["quality_change_last_fifth"] is not None
    model = zoo.build("04-grid-r1")
    zoo.load_weights(model.generator, out / "04-grid-r1_seed0_generator.npz")
    assert zoo.evaluate(model, 500) == seed0["final"]


def test_training_script_trains_a_conditional_entry_and_its_averaged_generator(fast_zoo):
    """A conditional entry trains on (image, label) pairs and is scored on n / 10 samples of
    each digit; with `ema`, the averaged generator is scored on the curve and at the end, and
    with `ship_last=False` it is the only generator written."""
    out, _, records = fast_zoo
    record = records["06-cgan"]
    seed0 = record["seeds"]["0"]
    assert "label_accuracy" in seed0["final"] and seed0["images"] == 2_048
    assert all("frechet_distance_averaged" in point for point in seed0["curve"])
    assert not (out / "06-cgan_seed0_generator.npz").exists()
    model = zoo.build("06-cgan")
    zoo.load_weights(model.generator, out / "06-cgan_seed0_averaged_generator.npz")
    assert zoo.evaluate(model, 500) == pytest.approx(seed0["averaged"]["final"], rel=1e-3)
    assert seed0["averaged"]["final"] != seed0["final"]  # the average is not the last weights


def test_an_entry_with_decay_lowers_its_learning_rates_to_zero(fast_zoo, fast_subset_run):
    """`decay` entries (a GAN's two optimisers, a VAE's one) train with train.LinearDecay
    over their steps; the curve records G's rate (an entry without `decay` keeps its rate:
    the end-to-end test above)."""
    for name, record in (("03-one-sided", fast_subset_run[1]), ("08-vae", fast_zoo[2]["08-vae"])):
        (figures,) = record["seeds"].values()
        rates = [point["learning_rate"] for point in figures["curve"]]
        assert rates[0] == pytest.approx(zoo.entry(name)["optimizer"][1]["learning_rate"]), name
        assert rates[-1] == 0.0 and rates == sorted(rates, reverse=True), name


def test_averaging_entries_ship_their_averaged_generators_only():
    """`ship_last=False`: an `ema` entry's averaged generator ships without its last weights
    (the manifest keeps both figures), for the seeds it ships, with seed 0's critic where
    the lesson uses it (07's)."""
    assert list(zoo.weight_files("11-style", 2)) == ["averaged_generator"]
    for name in ("11-dcgan", "06-cgan"):
        assert list(zoo.weight_files(name, 0)) == ["averaged_generator"], name
        assert zoo.weight_files(name, 1) == {}, name
    sevens = [name for name in zoo.ENTRIES if name.startswith("07-")]
    for name in sevens:
        assert list(zoo.weight_files(name, 0)) == ["averaged_generator", "critic"], name
        assert list(zoo.weight_files(name, 2)) == ["averaged_generator"], name
    for name in ("11-style", "06-cgan", *sevens):
        for seed, figures in MANIFEST[name]["seeds"].items():
            assert "final" in figures and "final" in figures["averaged"], (name, seed)


def test_label_smoothing_entries_are_notebook_03s_setting():
    """03's entries: notebook 01's MLP players (no dropout in D), D 10 times faster than G,
    each its own D targets; only seed 0's generator ships."""
    model = zoo.build("03-two-sided")
    assert (model.generator.name, model.discriminator.name) == ("mlp_generator",
                                                                "mlp_discriminator")
    assert not any("dropout" in layer.name for layer in model.discriminator.layers)
    d_rate, g_rate = (float(o.learning_rate) for o in (model.d_optimizer, model.g_optimizer))
    assert d_rate == pytest.approx(10 * g_rate)
    assert model.step_options == dict(real_target=0.9, fake_target=0.1)
    assert list(zoo.weight_files("03-two-sided", 0)) == ["generator"]
    assert zoo.weight_files("03-two-sided", 1) == {}


def test_training_script_uses_an_entrys_subset_and_records_d_on_it(fast_subset_run):
    """An entry with a `subset` trains on those images and records D's mean logit on them;
    a seed whose weights do not ship writes figures only."""
    out, record = fast_subset_run
    seed1 = record["seeds"]["1"]
    assert seed1["images"] == 256 and all(np.isfinite(p["real_logit"]) for p in seed1["curve"])
    assert not list(out.glob("*.npz"))


def test_fast_run_refuses_to_overwrite_the_shipped_zoo():
    done = subprocess.run([sys.executable, "scripts/train_zoo.py", "--fast"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "would overwrite the shipped zoo" in done.stderr
