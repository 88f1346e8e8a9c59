"""tf.distribute: GAN under MirroredStrategy on 2 logical CPU devices.

Logical devices must be configured before TensorFlow's first op, so the checks run in a fresh
Python process and report back as JSON.
"""
import json
import subprocess
import sys

import numpy as np
import pytest

SCRIPT = r'''
import json, os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import keras, numpy as np
from gan_course import data, models, train

(x, _), _ = data.load_mnist()
real = data.to_unit_range(x[:640])
mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
single = tf.distribute.get_strategy()


def build(strategy, same_fakes):
    with strategy.scope():
        train.set_seed(0)
        g = models.mlp_generator(8, (32, 32), batch_norm=False)
        if same_fakes:  # G's output no longer depends on z: every set-up sees the same fakes
            first = g.layers[1]
            first.kernel.assign(tf.zeros_like(first.kernel))
            first.bias.assign(tf.random.stateless_normal(first.bias.shape, (1, 2)))
            first.trainable = False
        gan = train.GAN(g, models.mlp_discriminator((32,)), seed=0)
        gan.compile(keras.optimizers.SGD(0.05), keras.optimizers.SGD(0.05))
    return gan


def weights(gan):
    return [np.array(v.value) for v in gan.discriminator.trainable_variables
            + gan.generator.trainable_variables]


def run(strategy, same_fakes, steps, batch):
    gan = build(strategy, same_fakes)
    before = weights(gan)
    history, logs = train.StepHistory(), keras.callbacks.History()
    dataset = tf.data.Dataset.from_tensor_slices(real[:steps * batch]).batch(batch)
    gan.fit(dataset, epochs=1, verbose=0, shuffle=False, callbacks=[history, logs])
    steps_done = [(a - b).tolist() for a, b in zip(weights(gan), before)]
    return {"updates": steps_done, "history": history.history,
            "logs": {k: v[-1] for k, v in logs.history.items()}}


def draws(strategy):
    with strategy.scope():
        seed = train.ReplicaSeedGenerator(5)
    @tf.function
    def draw():
        return strategy.run(lambda: keras.random.normal((3,), seed=seed))
    values = strategy.experimental_local_results(draw())
    return [np.asarray(v).tolist() for v in values]


print(json.dumps({
    "replicas": mirrored.num_replicas_in_sync,
    "one_step": {"mirrored": run(mirrored, True, 1, 64), "single": run(single, True, 1, 64)},
    "fifty": {"mirrored": run(mirrored, False, 50, 12), "single": run(single, False, 50, 12)},
    "draws": {"mirrored": draws(mirrored), "single": draws(single),
              "keras": np.asarray(keras.random.normal((3,), seed=keras.random.SeedGenerator(5))).tolist()},
}))
'''


@pytest.fixture(scope="module")
def result():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_two_replicas_apply_the_single_device_gradient_of_the_global_batch(result):
    assert result["replicas"] == 2
    mirrored, single = result["one_step"]["mirrored"], result["one_step"]["single"]
    for a, b in zip(mirrored["updates"], single["updates"]):  # SGD: update = -lr * gradient
        a, b = np.asarray(a), np.asarray(b)
        assert np.abs(b).max() > 0
        # measured: 3.6e-6 of the largest update at most (float32 rounding of w - w0)
        assert np.abs(a - b).max() <= 1e-3 * np.abs(b).max()


def test_history_and_logs_are_global_figures(result):
    mirrored, single = result["one_step"]["mirrored"], result["one_step"]["single"]
    for key in ("d_loss", "g_loss", "d_real", "d_fake", "d_grad_norm", "g_grad_norm"):
        assert mirrored["history"][key] == pytest.approx(single["history"][key], rel=1e-5)
        assert mirrored["logs"][key] == pytest.approx(single["logs"][key], rel=1e-5)


def test_each_replica_draws_its_own_noise(result):
    first, second = result["draws"]["mirrored"]
    assert not np.allclose(first, second)
    assert result["draws"]["single"] == [result["draws"]["keras"]]  # one replica: Keras' draws


def test_a_fifty_step_run_tracks_the_single_device_run(result):
    """Different noise per replica, so not equal step by step: the loss curves agree."""
    curves = {name: np.asarray(run["history"]["d_loss"]) for name, run in result["fifty"].items()}
    assert len(curves["mirrored"]) == len(curves["single"]) == 50
    for part in (slice(0, 10), slice(40, 50)):
        assert abs(curves["mirrored"][part].mean() - curves["single"][part].mean()) < 0.05
