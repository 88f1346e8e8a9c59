import numpy as np
import pytest
from PIL import Image

from gan_course import viz


def test_save_gif_frames_last_the_requested_time(tmp_path):
    frames = [np.full((8, 8), value, np.uint8) for value in (0, 128, 255)]
    viz.save_gif(frames, tmp_path / "g.gif", seconds_per_frame=0.4)
    with Image.open(tmp_path / "g.gif") as gif:
        durations = []
        for i in range(gif.n_frames):
            gif.seek(i)
            durations.append(gif.info["duration"])
    assert gif.n_frames == 3 and durations == [400, 400, 400]  # milliseconds


def test_grid_image_refuses_images_outside_minus_one_one():
    assert viz.grid_image(np.zeros((4, 28, 28, 1))).shape == (62, 62)
    with pytest.raises(ValueError, match="scale them"):
        viz.grid_image(np.full((4, 28, 28), 255.0))


def test_grid_image_refuses_nan_and_tiles_rgb_in_colour():
    images = np.zeros((4, 2, 2, 1))
    images[2, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        viz.grid_image(images)
    rgb = np.full((2, 2, 2, 3), -1.0)
    rgb[1, ..., 0] = 1.0  # the second image is red
    grid = viz.grid_image(rgb, cols=2)
    assert grid.shape == (6, 10, 3)
    assert grid[2:4, 6:8].tolist() == [[[255, 0, 0]] * 2] * 2 and grid[2:4, 2:4].max() == 0
    with pytest.raises(ValueError, match="RGB"):
        viz.grid_image(np.zeros((2, 4, 4, 2)))


@pytest.mark.parametrize("loss, ylim, lines", [("non_saturating", (0, 1), [0.5]),
                                               ("least_squares", None, [1.0, 0.0]),
                                               ("wasserstein", None, [])])
def test_plot_history_shows_d_outputs_as_what_each_loss_means(loss, ylim, lines):
    history = {key: list(np.linspace(-3, 3, 50)) for key in ("d_loss", "g_loss", "d_real", "d_fake")}
    right = viz.plot_history(history, loss=loss).axes[1]
    assert right.get_ylabel() == viz.D_OUTPUTS[viz.D_OUTPUT_KIND[loss]][0]
    if ylim:
        assert right.get_ylim() == ylim
    else:  # raw scores are not squeezed into [0, 1]
        assert right.get_ylim()[0] < -2 and right.get_ylim()[1] > 2
    assert [line.get_ydata()[0] for line in right.lines[2:]] == lines
    with pytest.raises(ValueError, match="loss must be"):
        viz.plot_history(history, loss="bce")
