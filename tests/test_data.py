import gzip
import os
import shutil
import subprocess
import sys
import zlib

import numpy as np
import pytest

from gan_course import data

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture(scope="module")
def mnist():
    return data.load_mnist()


def test_load_mnist_matches_keras_format(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert x_test.shape == (10000, 28, 28) and x_test.dtype == np.uint8
    assert y_train.shape == (60000,) and y_train.dtype == np.uint8
    assert np.bincount(y_train).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test).tolist() == TEST_COUNTS
    assert x_train.max() == 255 and x_train.min() == 0


def test_bundled_files_match_their_checksums():
    sums = data._known_checksums()
    for dataset in ("mnist", "fashion-mnist"):
        for name in data.IDX_FILES:
            path = data.SHIPPED_DIR / dataset / name
            assert data._sha256(path) == sums[f"{dataset}/{name}"]


def test_fashion_mnist_loads_offline_from_the_course(monkeypatch, tmp_path):
    monkeypatch.setattr(data, "KERAS_CACHE", tmp_path / "no-cache")
    monkeypatch.setattr(data, "DEBIAN_FASHION", tmp_path / "no-debian")
    (x_train, y_train), (x_test, y_test) = data.load_fashion_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert np.bincount(y_train).tolist() == [6000] * 10
    assert np.bincount(y_test).tolist() == [1000] * 10
    mnist_train = data.load_mnist()[0][0]
    assert not np.array_equal(x_train[:100], mnist_train[:100])


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of data/mnist as a GAN_COURSE_DATA folder (no SHA256SUMS of its own: it is
    checked against the course's), and an empty Keras cache."""
    shutil.copytree(data.SHIPPED_DIR / "mnist", tmp_path / "mnist")
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    monkeypatch.setattr(data, "KERAS_CACHE", tmp_path / "keras-cache")
    return tmp_path


def test_truncated_file_is_named(data_copy):
    path = data_copy / "mnist" / "t10k-labels-idx1-ubyte.gz"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(data.DataError, match="t10k-labels-idx1-ubyte.gz.*checksum"):
        data.load_mnist()


@pytest.mark.parametrize("name, content, message", [
    ("train-images-idx3-ubyte.gz", b"", "not an IDX file of images"),
    ("train-images-idx3-ubyte.gz", b"abc", "not an IDX file of images"),
    ("train-labels-idx1-ubyte.gz", bytes([0, 0, 8, 3]) + bytes(12), "not an IDX file of labels"),
    ("t10k-images-idx3-ubyte.gz", bytes([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28]),
     "holds no images")])
def test_idx_files_with_a_wrong_header_or_no_images_are_refused(data_copy, name, content, message):
    (data_copy / "mnist" / name).write_bytes(gzip.compress(content))
    with pytest.raises(data.DataError, match=message):
        data.load_mnist(verify=False)  # past the checksums: the parser's own checks


def test_sha256sums_may_hold_comments(tmp_path, monkeypatch):
    (tmp_path / "SHA256SUMS").write_text("# made by sha256sum\n\nab12  mnist/x.gz\ncd34 *y.gz\n")
    monkeypatch.setattr(data, "SHIPPED_DIR", tmp_path)
    assert data._known_checksums() == {"mnist/x.gz": "ab12", "y.gz": "cd34"}


def test_a_gan_course_data_folder_missing_a_file_is_named(data_copy):
    (data_copy / "mnist" / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.warns(UserWarning, match="lacks t10k-labels-idx1-ubyte.gz"):
        (x_train, _), _ = data.load_mnist()  # the course's own copy
    assert x_train.shape == (60000, 28, 28)


def test_corrupt_byte_is_detected(data_copy):
    path = data_copy / "mnist" / "train-labels-idx1-ubyte.gz"
    raw = bytearray(path.read_bytes())
    raw[500] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(data.DataError, match="train-labels-idx1-ubyte.gz"):
        data.load_mnist()


def test_no_data_and_no_network_gives_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    monkeypatch.setattr(data, "SHIPPED_DIR", tmp_path / "no-clone")
    monkeypatch.setattr(data, "KERAS_CACHE", tmp_path / "cache")

    def offline():
        raise OSError("no network")

    with pytest.raises(data.DataError, match="GAN_COURSE_DATA"):
        data._load("mnist", offline)


def test_keras_cache_file_with_wrong_checksum_is_rejected(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "DATA_DIR", tmp_path / "empty")
    monkeypatch.setattr(data, "SHIPPED_DIR", tmp_path / "no-clone")
    monkeypatch.setattr(data, "KERAS_CACHE", tmp_path)
    np.savez(tmp_path / "mnist.npz", x_train=np.zeros((1, 28, 28), np.uint8))
    with pytest.raises(data.DataError, match="mnist.npz.*checksum"):
        data.load_mnist()


def test_headerless_deflate_files_are_read_and_shape_checked(data_copy, monkeypatch):
    """Debian's dataset-fashion-mnist ships raw deflate streams: read them, check shapes."""
    debian = data_copy / "debian"
    debian.mkdir()
    for name in data.IDX_FILES:
        raw = gzip.decompress((data_copy / "mnist" / name).read_bytes())
        packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        (debian / name).write_bytes(packer.compress(raw) + packer.flush())
    monkeypatch.setattr(data, "DEBIAN_FASHION", debian)
    monkeypatch.setattr(data, "SHIPPED_DIR", data_copy)  # hide the course's Fashion-MNIST
    (x_train, y_train), (x_test, _) = data.load_fashion_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert np.bincount(y_train).tolist() == TRAIN_COUNTS  # (MNIST bytes stood in here)


def test_make_dataset_scales_to_unit_range_and_keeps_the_short_batch(mnist):
    (x_train, y_train), _ = mnist
    batches = list(data.make_dataset(x_train[:300], batch_size=128, seed=1))
    assert [b.shape[0] for b in batches] == [128, 128, 44]
    first = batches[0].numpy()
    assert first.shape == (128, 28, 28, 1) and first.dtype == np.float32
    assert first.min() == -1.0 and first.max() == 1.0
    images, labels = next(iter(data.make_dataset(x_train[:300], y_train[:300], batch_size=16)))
    assert images.shape == (16, 28, 28, 1) and labels.shape == (16,)


@pytest.mark.parametrize("bad, message", [
    (np.zeros((4, 32, 32), np.uint8), "shape"),
    (np.zeros((4, 28, 28, 3), np.uint8), "shape"),
    (np.full((4, 28, 28), 255.0, np.float32), r"\[-1, 1\]"),
    (np.zeros((4, 28, 28), np.int64), "dtype"),
    (np.full((4, 28, 28), np.nan, np.float32), "NaN"),
    (np.linspace(0, 1, 4 * 784, dtype=np.float32).reshape(4, 28, 28), r"\[0, 1\]"),
])
def test_make_dataset_rejects_bad_images_with_a_clear_message(bad, message):
    with pytest.raises(ValueError, match=message):
        data.make_dataset(bad)


def test_toy_mixtures_have_the_promised_centres():
    samples, centres = data.ring_of_gaussians(1000, seed=0)
    assert samples.shape == (1000, 2) and centres.shape == (8, 2)
    np.testing.assert_allclose(np.linalg.norm(centres, axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(centres[2], [0.0, 1.0], atol=1e-6)
    nearest = np.linalg.norm(samples[:, None] - centres[None], axis=2).min(axis=1)
    assert nearest.max() < 0.06  # std 0.01
    _, grid = data.grid_of_gaussians(10)
    assert grid.shape == (25, 2) and sorted(set(grid[:, 0])) == [-4, -2, 0, 2, 4]


def test_a_file_without_a_checksum_is_refused_unless_asked(data_copy, tmp_path, monkeypatch):
    sums = tmp_path / "shipped"
    sums.mkdir()
    lines = (data.SHIPPED_DIR / "SHA256SUMS").read_text().splitlines()
    (sums / "SHA256SUMS").write_text("\n".join(l for l in lines if "train-labels" not in l))
    monkeypatch.setattr(data, "SHIPPED_DIR", sums)
    with pytest.raises(data.DataError, match="no checksum for mnist/train-labels.*verify=False"):
        data.load_mnist()
    (x_train, y_train), _ = data.load_mnist(verify=False)
    assert np.bincount(y_train).tolist() == TRAIN_COUNTS


def test_gan_course_data_does_not_move_the_shipped_classifier(data_copy):
    """With GAN_COURSE_DATA set, MNIST comes from there and the scorer from the course."""
    env = {**os.environ, "GAN_COURSE_DATA": str(data_copy), "TF_CPP_MIN_LOG_LEVEL": "3"}
    code = ("from gan_course import data, metrics; metrics.load_classifier(); "
            "print(data.DATA_DIR == data.SHIPPED_DIR, len(data.load_mnist()[0][0]))")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["False", "60000"]
