"""MultiWorkerMirroredStrategy: two worker processes on localhost (CPU only) train through
make_train_step's strategy.run loop; Keras' fit fails under this strategy (README, "Several
GPUs and machines")."""
import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest

SCRIPT = r'''
import contextlib, hashlib, json, os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
strategy = tf.distribute.MultiWorkerMirroredStrategy()  # reads TF_CONFIG; before any op
import keras, numpy as np
from gan_course import data, models, train

(x, _), _ = data.load_mnist()
real = data.to_unit_range(x[:640])  # 10 global batches of 64


def run(strategy):
    with strategy.scope() if strategy else contextlib.nullcontext():
        train.set_seed(0)
        g = models.mlp_generator(8, (32,), batch_norm=False)
        first = g.layers[1]  # G's output no longer depends on z: every set-up sees the same fakes
        first.kernel.assign(tf.zeros_like(first.kernel))
        first.bias.assign(tf.random.stateless_normal(first.bias.shape, (1, 2)))
        first.trainable = False
        d = models.mlp_discriminator((32,))
        step = train.make_train_step(g, d, keras.optimizers.SGD(0.05),
                                     keras.optimizers.SGD(0.05), strategy=strategy)
    batches = tf.data.Dataset.from_tensor_slices(real).batch(64)
    if strategy:
        batches = strategy.experimental_distribute_dataset(batches)
    losses = [float(step(batch)["d_loss"]) for batch in batches]
    weights = [np.asarray(v.value) for v in d.trainable_variables + g.trainable_variables]
    return losses, weights


losses, weights = run(strategy)
result = {"replicas": strategy.num_replicas_in_sync, "losses": losses,
          "weights_sha": hashlib.sha256(b"".join(w.tobytes() for w in weights)).hexdigest()}
if strategy.cluster_resolver.task_id == 0:  # the same run in one process, global batch 64
    single_losses, single_weights = run(None)
    result["single_losses"] = single_losses
    result["max_weight_gap"] = max(float(np.abs(a - b).max() / np.abs(b).max())
                                   for a, b in zip(weights, single_weights))
print(json.dumps(result))
'''


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.fixture(scope="module")
def workers():
    cluster = {"worker": [f"localhost:{port}" for port in free_ports(2)]}
    processes = []
    for index in range(2):
        config = {"cluster": cluster, "task": {"type": "worker", "index": index}}
        env = {**os.environ, "TF_CONFIG": json.dumps(config), "CUDA_VISIBLE_DEVICES": "-1"}
        processes.append(subprocess.Popen([sys.executable, "-c", SCRIPT], env=env, text=True,
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    outputs = [process.communicate(timeout=300) for process in processes]
    for process, (_, err) in zip(processes, outputs):
        assert process.returncode == 0, err[-3000:]
    return [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]


def test_two_workers_are_two_replicas_that_agree_on_the_weights(workers):
    assert [w["replicas"] for w in workers] == [2, 2]
    assert workers[0]["weights_sha"] == workers[1]["weights_sha"]  # bit for bit
    assert workers[0]["losses"] == workers[1]["losses"]  # the global figures


def test_two_workers_track_one_process_at_the_same_global_batch(workers):
    chief = workers[0]
    assert len(chief["losses"]) == len(chief["single_losses"]) == 10
    np.testing.assert_allclose(chief["losses"], chief["single_losses"], rtol=1e-4)
    assert chief["max_weight_gap"] < 1e-4  # of the largest weight, after 10 steps
