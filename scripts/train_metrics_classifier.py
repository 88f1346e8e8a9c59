"""Train the small CNN behind gan_course.metrics and save it to data/ with its checksum.

    python scripts/train_metrics_classifier.py                          # MNIST, ~1.5 min on 2 cores
    python scripts/train_metrics_classifier.py --dataset fashion-mnist  # ~2.5 min on 2 cores

Deterministic: fixed seed and TensorFlow's op determinism, so a rerun gives the same
accuracy. It saves only when the test accuracy reaches the course's bar (MNIST 99 %,
Fashion-MNIST 90 %), as weights only (the architecture is gan_course.metrics.build_classifier,
so the file loads on every supported Keras version), and updates the file's line in
data/SHA256SUMS, which metrics.py checks on load.
"""

import argparse
import hashlib

import keras
import numpy as np
import tensorflow as tf

from gan_course.data import SHIPPED_DIR, load_fashion_mnist, load_mnist, to_unit_range
from gan_course.metrics import CLASSIFIER_FILES, build_classifier

DATASETS = {  # loader, epochs, the test accuracy it must reach
    "mnist": (load_mnist, 6, 0.99),
    "fashion-mnist": (load_fashion_mnist, 12, 0.90),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="mnist")
    args = parser.parse_args()
    load, epochs, bar = DATASETS[args.dataset]
    file_name = CLASSIFIER_FILES[args.dataset]

    keras.utils.set_random_seed(0)
    tf.config.experimental.enable_op_determinism()
    (x_train, y_train), (x_test, y_test) = load()
    x_train, x_test = to_unit_range(x_train), to_unit_range(x_test)
    model = build_classifier(args.dataset)
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=128, epochs=epochs, verbose=2)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"{args.dataset} test accuracy: {accuracy:.4f}")
    if accuracy < bar:
        raise SystemExit(f"test accuracy below {bar:.0%}; not saving.")
    path = SHIPPED_DIR / file_name
    model.save_weights(path)  # weights only: the architecture is metrics.build_classifier
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    sums = SHIPPED_DIR / "SHA256SUMS"
    lines = [line for line in sums.read_text().splitlines() if not line.endswith(f"  {file_name}")]
    sums.write_text("\n".join(lines + [f"{digest}  {file_name}"]) + "\n")
    print(f"saved {path} ({path.stat().st_size / 1e6:.2f} MB), sha256 {digest}")
    print("parameters:", model.count_params(), "| test images:", len(x_test),
          "| wrong:", int(np.round((1 - accuracy) * len(x_test))))


if __name__ == "__main__":
    main()
