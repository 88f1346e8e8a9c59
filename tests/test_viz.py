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
