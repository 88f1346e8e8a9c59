"""Pictures of a GAN: image grids, loss and D-output curves, a training GIF, 2-D scatters."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from gan_course.data import RANGE_SLACK


def grid_image(images, cols=None):
    """Tile images in [-1, 1], grey (N, H, W[, 1]) or RGB (N, H, W, 3), into one uint8
    picture (H', W') or (H', W', 3), `cols` per row."""
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4) or images.ndim == 4 and images.shape[-1] != 3:
        raise ValueError(f"expected images (N, H, W), (N, H, W, 1) or RGB (N, H, W, 3), got "
                         f"shape {images.shape}.")
    if not np.isfinite(images).all():
        raise ValueError("the images contain NaN or Inf values: the model has diverged, or "
                         "the data is broken.")
    if np.abs(images).max() > 1.0 + RANGE_SLACK:
        raise ValueError(f"expected images in [-1, 1], got [{images.min():.3g}, "
                         f"{images.max():.3g}]; scale them with (x - 127.5) / 127.5.")
    n, h, w = images.shape[:3]
    cols = cols or int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    grid = np.full((rows * (h + 2) + 2, cols * (w + 2) + 2, *images.shape[3:]), -1.0, np.float32)
    for i, image in enumerate(images):
        r, c = divmod(i, cols)
        grid[2 + r * (h + 2):2 + r * (h + 2) + h, 2 + c * (w + 2):2 + c * (w + 2) + w] = image
    return ((grid + 1.0) * 127.5).clip(0, 255).astype(np.uint8)


def show_grid(images, cols=None, title=None, ax=None):
    """Draw an image grid on `ax` (a new figure when None); returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
    ax.imshow(grid_image(images, cols), cmap="gray", vmin=0, vmax=255)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


# What the step's d_real / d_fake mean for each loss (gan_train_step): panel label, y range,
# and reference lines with their labels
D_OUTPUTS = {
    "bce": ("mean sigmoid(D): P(real)", (0, 1), {0.5: "undecided"}),
    "least_squares": ("mean D output", None, {1.0: "real target", 0.0: "fake target"}),
    "critic": ("mean critic score (real - fake: D's distance estimate)", None, {}),
}
D_OUTPUT_KIND = {"minimax": "bce", "non_saturating": "bce", "least_squares": "least_squares",
                 "hinge": "critic", "wasserstein": "critic"}


def plot_history(history, smooth=20, path=None, loss="non_saturating"):
    """Two panels per step (moving average): D and G losses, and D's mean output on real and
    fake batches, shown as what it means for `loss`: a probability for the BCE losses, the raw
    output for least squares (targets 1 and 0), the critic's score for Wasserstein and hinge.

    history: dict of lists with keys d_loss, g_loss, d_real, d_fake (StepHistory.history).
    """
    if loss not in D_OUTPUT_KIND:
        raise ValueError(f"loss must be one of {sorted(D_OUTPUT_KIND)}, got {loss!r}.")
    ylabel, ylim, lines = D_OUTPUTS[D_OUTPUT_KIND[loss]]

    def ma(values):
        values = np.asarray(values, np.float64)
        k = max(1, min(smooth, len(values)))
        return np.convolve(values, np.ones(k) / k, mode="valid")

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
    for key in ("d_loss", "g_loss"):
        left.plot(ma(history[key]), label=key)
    left.set(xlabel="step", ylabel="loss", title=f"Losses ({loss})")
    for key, label in (("d_real", "D(x)"), ("d_fake", "D(G(z))")):
        right.plot(ma(history[key]), label=label)
    for y, label in lines.items():
        right.axhline(y, color="gray", lw=0.8, ls="--", label=label)
    right.set(xlabel="step", ylabel=ylabel, title="Discriminator outputs")
    if ylim:
        right.set_ylim(*ylim)
    for ax in (left, right):
        ax.legend()
    fig.tight_layout()
    if path:
        fig.savefig(path, dpi=80)
        plt.close(fig)
    return fig


def save_gif(frames, path, seconds_per_frame=0.5):
    """Write uint8 frames (e.g. ImageGrid.frames) as a looping GIF with imageio."""
    import imageio.v2 as imageio
    if not frames:
        raise ValueError("no frames to write; train for at least one epoch first.")
    # imageio >= 2.28 (the course needs >= 2.31) takes GIF frame durations in milliseconds
    imageio.mimsave(Path(path), list(frames), duration=1000 * seconds_per_frame, loop=0)


def scatter_2d(samples, real=None, centres=None, title=None, ax=None, lim=None):
    """Generated 2-D samples over the real ones and the mixture's centres."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    if real is not None:
        ax.scatter(real[:, 0], real[:, 1], s=2, c="lightgray", label="real")
    ax.scatter(samples[:, 0], samples[:, 1], s=2, c="tab:blue", alpha=0.5, label="generated")
    if centres is not None:
        ax.scatter(centres[:, 0], centres[:, 1], marker="x", c="red", s=30, label="centres")
    if lim:
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim))
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax
