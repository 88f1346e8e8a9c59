"""Measuring GANs offline: an MNIST classifier in place of Inception, and 2-D mode coverage.

- classifier score (the Inception Score analogue): exp(E_x KL(p(y|x) || p(y))), 1 to 10;
- Frechet distance (the FID analogue) between Gaussians fitted to the classifier's
  128 penultimate features of two image sets;
- class histogram, its KL to uniform, and the share of confidently classified samples;
- for conditional models: label accuracy, and within-class variety (FD per class, pixel std);
- sharpness: the variance of the Laplacian (blurred images score low);
- for 2-D mixtures: modes captured, share of high-quality samples, KL of the mode histogram.
Each takes all N images at once. Both scores depend on N; compare figures at the same N.
The classifiers (test accuracy 99.29 % on MNIST, 90.46 % on Fashion-MNIST) are trained by
scripts/train_metrics_classifier.py and ship in data/ as weights of build_classifier(); pass
dataset="fashion-mnist" to score Fashion-MNIST samples with the Fashion-MNIST one.

Real-data baselines with the shipped classifier:
    classifier score: MNIST test 9.76, train (first 10,000) 9.79 (N = 10,000)
    Frechet distance to MNIST test: train images 1.07 (N = 10,000), 1.56 (5,000), 2.86 (2,000),
    5.45 (1,000), 7.29 (500); random halves of the test set 1.1
    class KL to uniform 0.005, confident share 0.97 (MNIST test)
"""

import functools

import numpy as np

from gan_course.data import SHIPPED_DIR, _known_checksums, _sha256, to_unit_range

CLASSIFIER_FILES = {"mnist": "mnist_classifier.weights.h5",
                    "fashion-mnist": "fashion_mnist_classifier.weights.h5"}


class ClassifierMissingError(RuntimeError):
    """The metrics classifier file is missing, does not match its checksum or its builder."""


def _check_dataset(dataset):
    if dataset not in CLASSIFIER_FILES:
        raise ValueError(f"dataset must be one of {sorted(CLASSIFIER_FILES)}, got {dataset!r}.")
    return dataset


def build_classifier(dataset="mnist"):
    """The metrics CNN, untrained: Conv 32 -> pool -> Conv 64 -> pool -> Dense 128
    ('features') -> 10-way softmax ('probabilities'); 225k parameters, one architecture
    for both datasets. The shipped files hold only its weights, so that they load on every
    supported Keras version."""
    import keras
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(64, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.25),
        keras.layers.Dense(128, activation="relu", name="features"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(10, activation="softmax", name="probabilities"),
    ], name=f"{_check_dataset(dataset).replace('-', '_')}_classifier")


def load_weights(model, path):
    """model.load_weights(path), refusing in one line a file saved from another architecture
    (Keras' own message spans a page)."""
    try:
        model.load_weights(path)
    except ValueError as err:
        raise ClassifierMissingError(
            f"{path} does not fit the model {model.name!r} that the course builds "
            f"({str(err).splitlines()[0]}): it was saved from another architecture. Use the "
            "weights file that came with this version of the course.") from None


@functools.lru_cache(maxsize=2)
def load_classifier(dataset="mnist"):
    """The shipped classifier of `dataset` (checksum-verified weights in build_classifier's
    architecture), answering (features, probabilities)."""
    import keras
    name = CLASSIFIER_FILES[_check_dataset(dataset)]
    path = SHIPPED_DIR / name  # the course's, whatever GAN_COURSE_DATA says
    fix = ("Restore it with `git checkout data/` or rebuild it with `python scripts/"
           f"train_metrics_classifier.py --dataset {dataset}` (2 or 3 minutes on 2 CPU cores).")
    if not path.exists():
        raise ClassifierMissingError(f"{path} is missing. {fix}")
    if _sha256(path) != _known_checksums().get(name):
        raise ClassifierMissingError(f"{path} does not match its SHA-256 in data/SHA256SUMS. {fix}")
    model = build_classifier(dataset)
    load_weights(model, path)
    return keras.Model(model.inputs[0], [model.get_layer("features").output, model.outputs[0]])


def classify(images, batch_size=1000, dataset="mnist"):
    """(features (N, 128), class probabilities (N, 10)) for images in [-1, 1] or uint8."""
    feats, probs = load_classifier(dataset).predict(to_unit_range(images), batch_size=batch_size,
                                                    verbose=0)
    return feats.astype(np.float64), probs.astype(np.float64)


def classifier_score(probs):
    """exp(E_x KL(p(y|x) || p(y))) over all N rows of `probs` at once: 1 (one class, or no
    confidence) to 10 (confident and balanced over the 10 digits)."""
    probs = np.asarray(probs, np.float64)
    if (probs.ndim != 2 or not len(probs) or not np.isfinite(probs).all() or probs.min() < 0
            or not np.allclose(probs.sum(axis=1), 1.0, atol=1e-3)):
        raise ValueError(f"classifier_score takes class probabilities, (N, classes) with rows "
                         f"that sum to 1, got an array of shape {probs.shape}; pass the "
                         "probabilities of metrics.classify(images)[1], not the images.")
    probs = np.clip(probs, 1e-12, 1.0)
    marginal = probs.mean(axis=0)
    kl = (probs * (np.log(probs) - np.log(marginal))).sum(axis=1)
    return float(np.exp(kl.mean()))


def frechet_distance(features_a, features_b):
    """||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)) of Gaussians fitted to features
    (N, D) of two sets, N >= 2 each."""
    features_a = _features(features_a, "features_a")
    features_b = _features(features_b, "features_b")
    if features_a.shape[1] != features_b.shape[1]:
        raise ValueError(f"both feature sets need the same number of features, got "
                         f"{features_a.shape[1]} and {features_b.shape[1]}.")
    mu_a, mu_b = features_a.mean(axis=0), features_b.mean(axis=0)
    cov_a = np.cov(features_a, rowvar=False)
    cov_b = np.cov(features_b, rowvar=False)
    # Tr((S_a S_b)^(1/2)) = sum of sqrt(eigenvalues of S_a^(1/2) S_b S_a^(1/2)), symmetric.
    vals, vecs = np.linalg.eigh(cov_a)
    sqrt_a = (vecs * np.sqrt(np.clip(vals, 0, None))) @ vecs.T
    cross = np.linalg.eigvalsh(sqrt_a @ cov_b @ sqrt_a)
    trace_sqrt = np.sqrt(np.clip(cross, 0, None)).sum()
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_sqrt)


def _features(features, name):
    """Features as a float64 (N, D) array with N >= 2 (a covariance needs two rows)."""
    features = np.asarray(features, np.float64)
    if features.ndim != 2 or len(features) < 2:
        raise ValueError(f"{name} must be (N, features) with N >= 2 to fit a Gaussian, got "
                         f"shape {features.shape}; score more samples (the distance depends on "
                         "N: compare figures at the same N).")
    if not np.isfinite(features).all():
        raise ValueError(f"{name} holds NaN or Inf values.")
    return features


def class_histogram(probs, confident=0.9):
    """Counts of predicted classes, KL(histogram || uniform), share with max p(y|x) > confident."""
    counts = np.bincount(probs.argmax(axis=1), minlength=probs.shape[1])
    return counts, _kl_to_uniform(counts), float((probs.max(axis=1) > confident).mean())


def _kl_to_uniform(counts):
    """KL(histogram || uniform) of a histogram of counts; inf when it is empty."""
    if counts.sum() == 0:
        return float("inf")
    share = counts[counts > 0] / counts.sum()
    return float((share * np.log(share * len(counts))).sum())


@functools.lru_cache(maxsize=2)
def _test_set(dataset):
    """(images, labels) of the test set of `dataset`, read once."""
    from gan_course import data
    load = data.load_mnist if _check_dataset(dataset) == "mnist" else data.load_fashion_mnist
    return load()[1]


@functools.lru_cache(maxsize=2)
def real_test_features(dataset="mnist"):
    """Classifier features of the 10,000 test images (the reference for distances)."""
    return classify(_test_set(dataset)[0], dataset=dataset)[0]


def evaluate_images(images, dataset="mnist", by_class=False):
    """All image figures for generated samples (N >= 2, best 10,000) against the test set of
    `dataset` ("mnist" or "fashion-mnist"), scored by that dataset's classifier.
    by_class=True adds within-class variety for unconditional samples, each sample taken to
    be of the class the classifier reads: frechet_per_class and within_class_std (see
    evaluate_conditional)."""
    feats, probs = classify(images, dataset=dataset)
    result = _figures(feats, probs, dataset)
    if by_class:
        result.update(_class_variety(images, feats, probs.argmax(axis=1), dataset))
    return result


def _figures(feats, probs, dataset):
    counts, kl, confident = class_histogram(probs)
    return {
        "n": int(len(feats)),
        "classifier_score": classifier_score(probs),
        "frechet_distance": frechet_distance(feats, real_test_features(dataset)),
        "class_counts": counts.tolist(),
        "class_kl_to_uniform": kl,
        "confident_share": confident,
    }


def _class_variety(images, feats, labels, dataset):
    """Each class's FD against the test images of that class, and its pixel std."""
    real, real_labels = real_test_features(dataset), _test_set(dataset)[1]
    per_class = [frechet_distance(feats[labels == c], real[real_labels == c])
                 if (labels == c).sum() > 1 else float("nan") for c in range(10)]
    return {"frechet_per_class": per_class,
            "within_class_std": within_class_std(images, labels).tolist()}


def laplacian_variance(images):
    """Sharpness: the variance of each image's 4-neighbour Laplacian (pixels in [-1, 1]),
    averaged over the images. Blur removes high frequencies, so blurred images score low."""
    x = to_unit_range(images)[..., 0].astype(np.float64)
    laplacian = (x[:, :-2, 1:-1] + x[:, 2:, 1:-1] + x[:, 1:-1, :-2] + x[:, 1:-1, 2:]
                 - 4 * x[:, 1:-1, 1:-1])
    return float(laplacian.var(axis=(1, 2)).mean())


def within_class_std(images, labels):
    """Per class: the pixel standard deviation across that class's images, averaged over the
    pixels (images in [-1, 1]). A generator that draws one digit per class scores near 0."""
    x, labels = to_unit_range(images), _check_labels(labels, len(images))
    return np.array([x[labels == c].std(axis=0).mean() if (labels == c).sum() > 1 else np.nan
                     for c in range(10)])


def evaluate_conditional(images, labels, dataset="mnist"):
    """evaluate_images' figures plus, for samples drawn with the requested `labels`:
    label_accuracy (the classifier agrees with the request), frechet_per_class (each class's
    samples against the test images of that class; ~1,000 a class is best) and
    within_class_std (see within_class_std)."""
    labels = _check_labels(labels, len(images))
    feats, probs = classify(images, dataset=dataset)
    result = _figures(feats, probs, dataset)
    result["label_accuracy"] = float((probs.argmax(axis=1) == labels).mean())
    result.update(_class_variety(images, feats, labels, dataset))
    return result


def _check_labels(labels, n):
    labels = np.asarray(labels)
    if labels.shape != (n,) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"expected one integer label per image, shape ({n},), got "
                         f"{labels.dtype} {labels.shape}.")
    if n and (labels.min() < 0 or labels.max() > 9):
        raise ValueError(f"labels must be digits 0-9, got {labels.min()} to {labels.max()}.")
    return labels


def mode_coverage(samples, centres, std, min_share=0.01):
    """2-D mixture figures for generated `samples` (N, 2).

    A sample is high-quality when it lies within 3 std of its nearest centre; a mode is
    captured when at least `min_share` of all samples are high-quality samples near it.
    Returns modes_captured, high_quality_share and the KL of the high-quality samples'
    mode histogram to uniform (0 when every mode gets its fair share).
    """
    samples = np.asarray(samples, np.float64)
    if samples.ndim != 2 or samples.shape[1] != 2:
        raise ValueError(f"expected samples of shape (N, 2), got {samples.shape}.")
    dist = np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=2)
    nearest = dist.argmin(axis=1)
    good = dist[np.arange(len(samples)), nearest] < 3 * std
    counts = np.bincount(nearest[good], minlength=len(centres))
    return {
        "modes_captured": int((counts >= min_share * len(samples)).sum()),
        "modes_total": int(len(centres)),
        "high_quality_share": float(good.mean()),
        "mode_kl_to_uniform": _kl_to_uniform(counts),
    }
