"""gan_course.toy: notebook 04's 2-D GANs, trained with the course's one train step."""

import numpy as np
import pytest

from gan_course import models, toy, train


def test_training_is_reproducible_and_passes_its_options_to_the_step():
    plain = toy.train("ring", 30, seed=0)
    again = toy.train("ring", 30, seed=0)
    np.testing.assert_array_equal(plain.history["g_loss"], again.history["g_loss"])
    penalised = toy.train("ring", 30, seed=0, r1_weight=10.0)
    assert not np.allclose(plain.history["d_loss"][1:], penalised.history["d_loss"][1:])
    packed = toy.train("ring", 30, seed=0, pack=2)
    assert any(isinstance(layer, models.Pack) for layer in packed.discriminator.layers)
    assert not any(isinstance(layer, models.Pack) for layer in plain.discriminator.layers)


def test_samples_are_in_the_mixtures_units():
    gan = toy.build("grid")
    assert gan.scale == pytest.approx(np.sqrt(8), rel=0.02)  # the grid's std: spacing 2, 5 x 5
    assert toy.build("grid", standardise=False).scale == 1.0
    z = train.draw_z(100, 2, seed=3)
    np.testing.assert_allclose(gan.generate(100, seed=3), gan.scale * train.generate(gan.generator, z))
    assert gan.figures(100)["modes_total"] == 25


def test_the_spread_first_layer_is_steep_and_off_the_origin():
    spread = toy.discriminator().layers[1].get_weights()
    default = toy.discriminator(spread_first_layer=False).layers[1].get_weights()
    assert spread[0].std() > 3 and np.abs(spread[1]).max() > 5
    assert default[0].std() < 1 and not default[1].any()


def test_callback_runs_every_n_steps_and_unknown_mixtures_are_refused():
    steps = []
    toy.train("ring", 20, every=5, callback=lambda gan, step: steps.append(step))
    assert steps == [5, 10, 15, 20]
    with pytest.raises(ValueError, match="no mixture 'spiral'; the mixtures are"):
        toy.mixture("spiral")
