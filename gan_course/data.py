"""Offline-first datasets: MNIST / Fashion-MNIST, the tf.data pipeline, 2-D toy mixtures."""

import gzip
import hashlib
import os
import warnings
import zlib
from pathlib import Path

import numpy as np

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "data"  # the course's own files and sums
DATA_DIR = Path(os.environ.get("GAN_COURSE_DATA", SHIPPED_DIR))  # looked in first for datasets
KERAS_CACHE = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "datasets"
DEBIAN_FASHION = Path("/usr/share/datasets/fashion-mnist")
IDX_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
             "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
# SHA-256 of keras' mnist.npz (keras/src/datasets/mnist.py).
KERAS_MNIST_NPZ_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


RANGE_SLACK = 1e-3  # how far past [-1, 1] images may stray (rounding), in every range check


class DataError(RuntimeError):
    """A dataset file is missing, corrupt or of the wrong shape."""


def _known_checksums():
    """{'mnist/train-images-idx3-ubyte.gz': sha256, ...} from the course's data/SHA256SUMS
    (never from GAN_COURSE_DATA: a user's folder is checked against the course's sums)."""
    sums = {}
    path = SHIPPED_DIR / "SHA256SUMS"
    if path.exists():
        for line in path.read_text().splitlines():
            if line.strip() and not line.lstrip().startswith("#"):  # blank lines, comments
                digest, name = line.split()
                sums[name.lstrip("*")] = digest  # sha256sum's binary mark
    return sums


def _sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _decompress(path):
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        return gzip.decompress(raw)
    return zlib.decompressobj(-zlib.MAX_WBITS).decompress(raw)  # Debian: headerless deflate


def _read_idx(path, offset, shape):
    """Parse one IDX file; `shape` is the expected shape after the count."""
    try:
        data = _decompress(path)
    except (OSError, EOFError, zlib.error) as err:
        raise DataError(f"{path} is not a readable gzip file ({err}). Delete it and copy it "
                        "again from the course repository (data/).") from err
    magic = bytes([0, 0, 8, 1 + len(shape)])  # unsigned bytes, 1 + len(shape) dimensions
    if len(data) < offset or data[:4] != magic:
        raise DataError(f"{path} is not an IDX file of {'images' if shape else 'labels'} (its "
                        f"header is {data[:4].hex() or 'empty'}, expected {magic.hex()}); it is "
                        "corrupt or a different file. Copy it again.")
    array = np.frombuffer(data, np.uint8, offset=offset)
    count = int.from_bytes(data[4:8], "big")
    if not count:
        raise DataError(f"{path} holds no {'images' if shape else 'labels'}; copy it again.")
    if array.size != count * int(np.prod(shape)):
        raise DataError(f"{path} holds {array.size} bytes of data, expected {count} x {shape}; "
                        "the file is truncated or corrupt. Copy it again.")
    return array.reshape((count, *shape))


def _load_idx_folder(folder, prefix, verify):
    """Read the four IDX files of `folder`; `verify` checks them against data/SHA256SUMS."""
    sums = _known_checksums()
    paths = [Path(folder) / name for name in IDX_FILES]
    for path in paths:
        expected = sums.get(f"{prefix}/{path.name}")
        if verify and expected is None:
            raise DataError(f"{SHIPPED_DIR / 'SHA256SUMS'} has no checksum for {prefix}/"
                            f"{path.name}, so {path} cannot be verified. Restore it with `git "
                            "checkout data/`, or pass verify=False to load the files without "
                            "checking their SHA-256 (shapes are still checked).")
        if verify and _sha256(path) != expected:
            raise DataError(f"{path} has the wrong SHA-256 checksum (corrupt or truncated "
                            f"download?). Delete it and copy {prefix}/{path.name} again from the "
                            "course repository, or run `git checkout data/`.")
    x_train = _read_idx(paths[0], 16, (28, 28))
    y_train = _read_idx(paths[1], 8, ())
    x_test = _read_idx(paths[2], 16, (28, 28))
    y_test = _read_idx(paths[3], 8, ())
    return (x_train, y_train), (x_test, y_test)


def _candidates(name):
    """Places that may hold the dataset, in lookup order: (folder or file, verify?)."""
    yield DATA_DIR / name, True
    if DATA_DIR != SHIPPED_DIR:
        yield SHIPPED_DIR / name, True
    if name == "mnist":
        yield KERAS_CACHE / "mnist.npz", True
    else:
        yield KERAS_CACHE / "fashion-mnist", True
        yield DEBIAN_FASHION, False  # Debian strips the gzip header: checked by shape only


def _load(name, keras_loader, verify=True):
    for place, checked in _candidates(name):
        verify_here = verify and checked
        if place.suffix == ".npz" and place.is_file():
            if verify_here and _sha256(place) != KERAS_MNIST_NPZ_SHA256:
                raise DataError(f"{place} has the wrong SHA-256 checksum; delete it and retry.")
            with np.load(place, allow_pickle=False) as f:
                return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
        if place.is_dir():
            missing = [n for n in IDX_FILES if not (place / n).exists()]
            if not missing:
                return _load_idx_folder(place, name, verify_here)
            if len(missing) < len(IDX_FILES):
                warnings.warn(f"{place} lacks {', '.join(missing)}, so {name} is not read from "
                              "there but from the next place that holds all four files.",
                              stacklevel=3)
    try:
        return keras_loader()
    except Exception as err:  # no network, or a broken download
        raise DataError(
            f"{name} was not found in {DATA_DIR / name} or the Keras cache ({KERAS_CACHE}), and "
            f"downloading it failed ({type(err).__name__}: {err}). Run from a clone of the course "
            "repository (its data/ folder holds MNIST), set GAN_COURSE_DATA to a folder holding "
            f"{name}/ with the four IDX .gz files, or connect to the internet once.") from err


def load_mnist(verify=True):
    """MNIST as `keras.datasets.mnist.load_data()` returns it, offline and checksum-verified.
    verify=False skips the SHA-256 checks of the local files (their shapes are still checked)."""
    import keras
    return _load("mnist", keras.datasets.mnist.load_data, verify)


def load_fashion_mnist(verify=True):
    """Fashion-MNIST like `keras.datasets.fashion_mnist.load_data()`, offline first;
    verify as in load_mnist."""
    import keras
    return _load("fashion-mnist", keras.datasets.fashion_mnist.load_data, verify)


def to_unit_range(images):
    """Check MNIST-like images and return float32 (N, 28, 28, 1) in [-1, 1]."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[1:] != (28, 28, 1):
        raise ValueError(f"expected images of shape (N, 28, 28) or (N, 28, 28, 1), got "
                         f"{images.shape}; reshape them, e.g. x.reshape(-1, 28, 28, 1).")
    if images.dtype == np.uint8:
        return (images.astype(np.float32) - 127.5) / 127.5
    if not np.issubdtype(images.dtype, np.floating):
        raise ValueError(f"expected uint8 images in [0, 255] or floats in [-1, 1], got dtype "
                         f"{images.dtype}; convert with x.astype('uint8').")
    images = images.astype(np.float32)
    if not np.isfinite(images).all():
        raise ValueError("images contain NaN or Inf values.")
    if images.min() < -1.0 - RANGE_SLACK or images.max() > 1.0 + RANGE_SLACK:
        raise ValueError(f"float images must lie in [-1, 1], got [{images.min():.3g}, "
                         f"{images.max():.3g}]; pass uint8 images, or scale with "
                         "(x - 127.5) / 127.5.")
    if images.size and images.min() >= 0:
        raise ValueError("float images have no pixel below 0, as if scaled to [0, 1]; images "
                         "in [-1, 1] are expected: use 2 * x - 1, or pass uint8 images.")
    return images


def make_dataset(images, labels=None, batch_size=128, shuffle=True, seed=0):
    """tf.data pipeline: scale to [-1, 1], cache, shuffle, batch (the last batch may be short),
    prefetch. Yields images, or (images, labels) when labels are given."""
    import tensorflow as tf
    x = to_unit_range(images)
    if labels is not None:
        labels = np.asarray(labels, dtype=np.int32)
        if labels.shape != (len(x),):
            raise ValueError(f"labels must have shape ({len(x)},), got {labels.shape}.")
    ds = tf.data.Dataset.from_tensor_slices(x if labels is None else (x, labels)).cache()
    if shuffle:
        ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def ring_of_gaussians(n, modes=8, radius=1.0, std=0.01, seed=0):
    """n samples of `modes` Gaussians on a circle; returns (samples, centres)."""
    angles = np.linspace(0, 2 * np.pi, modes + 1)[:-1]
    centres = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return _sample_mixture(centres, n, std, seed), centres.astype(np.float32)


def grid_of_gaussians(n, side=5, spacing=2.0, std=0.05, seed=0):
    """n samples of a side x side grid of Gaussians centred on 0; returns (samples, centres)."""
    ticks = (np.arange(side) - (side - 1) / 2) * spacing
    centres = np.array([(a, b) for a in ticks for b in ticks])
    return _sample_mixture(centres, n, std, seed), centres.astype(np.float32)


def _sample_mixture(centres, n, std, seed):
    rng = np.random.default_rng(seed)
    picks = rng.integers(len(centres), size=n)
    return (centres[picks] + std * rng.standard_normal((n, 2))).astype(np.float32)
