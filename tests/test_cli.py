"""The newcomer's command, run as a new user would: python -m gan_course train ... --fast."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import keras
import numpy as np
import pytest

from gan_course import cli, metrics

ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"}
N = cli.FAST["samples"]  # written and scored by a fast run


def run_cli(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "gan_course", "train", *args], env=ENV,
                          capture_output=True, text=True, timeout=600, **kwargs)


@pytest.fixture(scope="module")
def dcgan_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "dcgan"
    started = time.perf_counter()
    result = run_cli("dcgan", "--fast", "--out", str(out), "--seed", "3")
    assert result.returncode == 0, result.stderr[-3000:]
    return out, result.stdout, time.perf_counter() - started


def test_fast_run_writes_every_promised_file(dcgan_run):
    out, stdout, seconds = dcgan_run
    for name in ("samples.npz", "metrics.json", "epoch_001.png", "epoch_002.png",
                 "progress.gif", "losses.png", "generator.keras", "ckpt/checkpoint"):
        assert (out / name).is_file(), name
    assert "Training dcgan on CPU" in stdout or "Training dcgan on GPU" in stdout
    print(f"dcgan --fast took {seconds:.0f} s")


def test_samples_have_the_promised_shape_and_range(dcgan_run):
    with np.load(dcgan_run[0] / "samples.npz", allow_pickle=False) as f:
        samples = f["samples"]
    assert samples.shape == (N, 28, 28, 1) and samples.dtype == np.float32
    assert samples.min() >= -1.0 and samples.max() <= 1.0 and samples.std() > 0.1


def test_metrics_json_holds_the_quality_figures(dcgan_run):
    result = json.loads((dcgan_run[0] / "metrics.json").read_text())
    assert result["n"] == N and result["epochs_done"] == 2 and result["steps"] == 192
    with np.load(dcgan_run[0] / "samples.npz", allow_pickle=False) as f:  # the figures are
        probs = metrics.classify(f["samples"])[1]  # those of the samples written
    assert result["classifier_score"] == pytest.approx(metrics.classifier_score(probs), rel=1e-6)
    assert result["class_counts"] == np.bincount(probs.argmax(axis=1), minlength=10).tolist()
    assert result["frechet_distance"] > 0 and sum(result["class_counts"]) == N
    assert result["images_per_second"] > 0
    assert len(result["within_class_std"]) == len(result["frechet_per_class"]) == 10
    assert [e["epoch"] for e in result["epochs"]] == [1, 2]  # 2,000 samples after each epoch
    assert 0 < result["epochs"][0]["train_seconds"] < result["epochs"][1]["train_seconds"]


def test_saved_generator_loads_in_safe_mode(dcgan_run):
    generator = keras.models.load_model(dcgan_run[0] / "generator.keras", safe_mode=True)
    assert generator.output_shape == (None, 28, 28, 1)


def test_run_killed_mid_epoch_resumes_from_its_last_checkpoint(tmp_path):
    out = tmp_path / "vanilla"
    args = [sys.executable, "-m", "gan_course", "train", "vanilla", "--fast", "--epochs", "4",
            "--out", str(out)]
    process = subprocess.Popen(args, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while not (out / "ckpt" / "checkpoint").exists():
        assert process.poll() is None and time.time() < deadline, "no checkpoint was written"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)  # mid-epoch 2 (or 3): no chance to clean up
    process.wait()
    result = run_cli("vanilla", "--fast", "--epochs", "4", "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Resuming from epoch" in result.stdout
    resumed = json.loads((out / "metrics.json").read_text())
    assert resumed["resumed_from_epoch"] >= 1
    assert resumed["epochs_done"] == 4 and resumed["steps"] == 4 * 96
    history = json.loads((out / "history.json").read_text())
    assert len(history["d_loss"]) == 4 * 96


def test_seconds_stops_training_early_and_still_writes_the_outputs(tmp_path):
    out = tmp_path / "timed"
    result = run_cli("vanilla", "--fast", "--epochs", "1000", "--seconds", "3", "--batch-size",
                     "1000", "--out", str(out))  # 7 steps an epoch: 6 x 1,000 images and 144
    assert result.returncode == 0, result.stderr[-3000:]
    run = json.loads((out / "metrics.json").read_text())
    assert run["epochs_done"] == run["steps"] // 7 < 1000  # whole epochs only
    assert 3 <= run["train_seconds"] < 60
    assert (out / "samples.npz").is_file() and (out / "progress.gif").is_file()
    # the images trained on: the short last batch counts 144, not 1,000
    images = run["epochs_done"] * 6144 + (run["steps"] - 7 * run["epochs_done"]) * 1000
    assert run["images_per_second"] * run["train_seconds"] == pytest.approx(images, rel=0.01)


@pytest.fixture(scope="module")
def finished_vanilla(tmp_path_factory):
    """A one-epoch fast vanilla run cut after its first step (--seconds 0.001), then resumed
    to the end; returns (its folder, metrics.json after the cut, metrics.json at the end)."""
    out = tmp_path_factory.mktemp("partial") / "vanilla"
    result = run_cli("vanilla", "--fast", "--epochs", "1", "--seconds", "0.001", "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    cut = json.loads((out / "metrics.json").read_text())
    result = run_cli("vanilla", "--fast", "--epochs", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    return out, cut, json.loads((out / "metrics.json").read_text())


def test_partial_epoch_is_not_counted_and_resume_completes_it(finished_vanilla):
    out, cut, done = finished_vanilla
    assert cut["steps"] == 1 and cut["epochs_done"] == 0  # stopped after its first step
    assert done["epochs_done"] == 1 and done["steps"] == 1 + 96
    assert len(json.loads((out / "history.json").read_text())["d_loss"]) == 97
    assert not list(out.glob("*.tmp"))  # the atomic writes left no temporary file


def test_a_finished_run_is_kept_other_settings_are_refused_and_a_lost_evaluation_redone(
        finished_vanilla, tmp_path, capsys):
    from gan_course import cli
    out = tmp_path / "vanilla"
    shutil.copytree(finished_vanilla[0], out)
    done = finished_vanilla[2]
    cli.main(["train", "vanilla", "--fast", "--epochs", "1", "--out", str(out)])
    assert "already holds a finished run" in capsys.readouterr().out
    assert json.loads((out / "metrics.json").read_text()) == done
    err = usage_error(capsys, "vanilla", "--fast", "--epochs", "2", "--batch-size", "32",
                      "--out", str(out))
    assert "batch_size: 64 there, 32 now" in err

    # killed during the evaluation (no metrics.json): the rerun evaluates, it does not train
    (out / "metrics.json").unlink()
    cli.main(["train", "vanilla", "--fast", "--epochs", "1", "--out", str(out)])
    assert "Training ended at step 97" in capsys.readouterr().out
    evaluated = json.loads((out / "metrics.json").read_text())
    assert evaluated["steps"] == 97 and evaluated["classifier_score"] == done["classifier_score"]


def test_resume_refuses_a_history_shorter_than_the_checkpoint(finished_vanilla, tmp_path, capsys):
    out = tmp_path / "short"
    shutil.copytree(finished_vanilla[0], out)
    history = json.loads((out / "history.json").read_text())
    (out / "history.json").write_text(json.dumps({k: v[:10] for k, v in history.items()}))
    err = usage_error(capsys, "vanilla", "--fast", "--epochs", "2", "--out", str(out))
    assert "records fewer steps than the checkpoint (97)" in err


def usage_error(capsys, *args):
    """Run the CLI in this process; returns its one-line error (exit status 2 asserted)."""
    from gan_course import cli
    with pytest.raises(SystemExit) as exit:
        cli.main(["train", *args])
    err = capsys.readouterr().err
    assert exit.value.code == 2 and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("option, value, allowed", [
    ("--epochs", "-1", "at least 1"), ("--epochs", "0", "at least 1"),
    ("--batch-size", "0", "at least 1"), ("--seconds", "0", "positive"),
    ("--seconds", "-5", "positive"), ("--seconds", "nan", "positive"),
    ("--seed", "-1", "at least 0"), ("--epochs", "two", "invalid int")])
def test_bad_numbers_are_refused_in_one_line_before_anything_is_written(
        tmp_path, capsys, option, value, allowed):
    out = tmp_path / "run"
    assert allowed in usage_error(capsys, "vanilla", "--fast", option, value, "--out", str(out))
    assert not out.exists()


def test_multi_worker_needs_tf_config_and_epochs(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    out = tmp_path / "run"
    assert "TF_CONFIG" in usage_error(capsys, "vanilla", "--strategy", "multi-worker",
                                      "--out", str(out))
    assert "pass --epochs" in usage_error(capsys, "vanilla", "--strategy", "multi-worker",
                                          "--seconds", "5", "--out", str(out))
    assert not out.exists()


def test_an_out_that_is_a_file_or_cannot_be_made_is_refused_in_one_line(tmp_path, capsys):
    file = tmp_path / "file"
    file.write_text("")
    assert "is a file" in usage_error(capsys, "vanilla", "--fast", "--out", str(file))
    assert "cannot create" in usage_error(capsys, "vanilla", "--fast", "--out", str(file / "run"))


def test_checkpoints_without_run_json_or_corrupt_are_refused_and_nothing_is_written(
        dcgan_run, tmp_path, capsys):
    out = tmp_path / "copy"
    shutil.copytree(dcgan_run[0] / "ckpt", out / "ckpt")
    # run.json deleted: the other model's options are refused before any restore or write
    err = usage_error(capsys, "vanilla", "--fast", "--out", str(out))
    assert "no run.json" in err and "delete" in err
    assert not (out / "run.json").exists()
    # a corrupt checkpoint: named, with the way to start afresh; run.json is left as it was
    shutil.copy(dcgan_run[0] / "run.json", out / "run.json")
    before = (out / "run.json").read_text()
    data = next((out / "ckpt").glob("ckpt-2.data-*"))
    data.write_bytes(data.read_bytes()[:100])
    err = usage_error(capsys, "dcgan", "--fast", "--seed", "3", "--out", str(out))
    assert "ckpt-2 cannot be restored" in err and f"delete {out / 'ckpt'}/" in err
    assert (out / "run.json").read_text() == before
    (out / "run.json").write_text('{"model": "dcg')  # cut off mid-write
    assert "run.json is not readable JSON" in usage_error(capsys, "dcgan", "--fast", "--seed", "3",
                                                          "--out", str(out))
    (out / "run.json").write_text(before)
    (out / "ckpt" / "checkpoint").write_text("not a checkpoint state {")
    err = usage_error(capsys, "dcgan", "--fast", "--seed", "3", "--out", str(out))
    assert "no readable checkpoint" in err and (out / "run.json").read_text() == before


def test_tensorboard_logs_hold_losses_scores_and_grids_per_epoch(dcgan_run):
    import tensorflow as tf
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    def read(run):
        logs = EventAccumulator(str(dcgan_run[0] / "logs" / run), size_guidance={"tensors": 0})
        logs.Reload()
        return logs

    def steps(run):  # tag -> the steps it was written at
        logs = read(run)
        return {tag: [event.step for event in logs.Tensors(tag)] for tag in logs.Tags()["tensors"]}

    train, samples = steps("train"), steps("steps_and_samples")  # Keras' callback; the course's
    for key in ("d_loss", "g_loss", "d_real", "d_fake", "d_grad_norm", "g_grad_norm"):
        assert train[f"epoch_{key}"] == [0, 1], key  # one per epoch
        assert samples[f"step_{key}"] == list(range(1, 193)), key  # every one of the 192 steps
    assert train["epoch_learning_rate_d_adam"] == train["epoch_learning_rate_g_adam"] == [0, 1]
    # the recipe's rates fall linearly to 0 over the planned 192 steps (set every 10 steps)
    rates = [float(tf.make_ndarray(event.tensor_proto))
             for event in read("train").Tensors("epoch_learning_rate_g_adam")]
    assert rates == pytest.approx([5e-4 * (1 - 90 / 192), 5e-4 * (1 - 190 / 192)], rel=1e-3)
    for key in ("frechet_distance", "classifier_score", "class_kl_to_uniform"):
        assert samples[f"epoch_{key}"] == [0, 1], key
    assert samples["fixed_noise_grid"] == [0, 1]


def test_run_records_its_tf_distribute_strategy(dcgan_run):
    result = json.loads((dcgan_run[0] / "metrics.json").read_text())
    assert result["strategy"] == "none" and result["replicas"] == 1


def test_strategy_option_picks_the_tf_distribute_strategy():
    import tensorflow as tf

    from gan_course import cli
    assert cli.make_strategy("none") is tf.distribute.get_strategy()
    if len(tf.config.list_physical_devices("GPU")) > 1:
        assert isinstance(cli.make_strategy("auto"), tf.distribute.MirroredStrategy)
    else:  # no GPU, or one
        assert cli.make_strategy("auto") is tf.distribute.get_strategy()
    mirrored = cli.make_strategy("mirrored")
    assert isinstance(mirrored, tf.distribute.MirroredStrategy)
    assert mirrored.num_replicas_in_sync == max(1, len(tf.config.list_physical_devices("GPU")))
    with pytest.raises(ValueError, match="strategy must be one of"):
        cli.make_strategy("tpu")


def test_every_recipe_builds_the_models_its_table_names():
    from gan_course import cli
    for name, recipe in cli.RECIPES.items():
        generator, discriminator = cli.build_models(name)
        assert (generator.name, discriminator.name) == recipe["models"], name
        conditional = "num_classes" in recipe["generator"]
        assert len(generator.inputs) == len(discriminator.inputs) == 1 + conditional, name


def test_cgan_run_draws_the_requested_digits_and_reports_label_figures(tmp_path):
    out = tmp_path / "cgan"
    result = run_cli("cgan", "--fast", "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    with np.load(out / "samples.npz", allow_pickle=False) as f:
        samples, labels = f["samples"], f["labels"]
    assert samples.shape == (N, 28, 28, 1) and np.bincount(labels).tolist() == [N // 10] * 10
    figures = json.loads((out / "metrics.json").read_text())
    assert figures["model"] == "cgan" and figures["steps"] == 192
    read = metrics.classify(samples)[1].argmax(axis=1)  # the accuracy is of the samples written
    assert figures["label_accuracy"] == pytest.approx(np.mean(read == labels), abs=1e-9)
    assert len(figures["frechet_per_class"]) == len(figures["within_class_std"]) == 10
    generator = keras.models.load_model(out / "generator.keras", safe_mode=True)
    assert [tuple(i.shape) for i in generator.inputs] == [(None, 100), (None,)]
    assert (out / "epoch_002.png").is_file()


def test_wgan_gp_run_trains_a_critic_with_the_gradient_penalty(tmp_path):
    out = tmp_path / "wgan-gp"
    result = run_cli("wgan-gp", "--fast", "--epochs", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    settings = json.loads((out / "run.json").read_text())
    assert settings["recipe"]["step"] == {"loss": "wasserstein", "gp_weight": 10.0, "d_steps": 5}
    figures = json.loads((out / "metrics.json").read_text())
    assert figures["model"] == "wgan-gp" and figures["steps"] == 96
    history = json.loads((out / "history.json").read_text())
    gap = np.mean(history["d_real"][-50:]) - np.mean(history["d_fake"][-50:])
    assert gap > 0, "the critic should score real images above fakes"
    assert (out / "losses.png").is_file()
