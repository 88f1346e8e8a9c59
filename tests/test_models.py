import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_course import models


def test_classic_shapes_and_sizes():
    g, d = models.mlp_generator(), models.mlp_discriminator(dropout=0.3)
    assert g.output_shape == (None, 28, 28, 1) and d.output_shape == (None, 1)
    assert [layer.units for layer in g.layers if isinstance(layer, keras.layers.Dense)][:3] == [256, 512, 1024]
    g, d = models.dcgan_generator(), models.dcgan_discriminator()
    assert g.output_shape == (None, 28, 28, 1) and d.output_shape == (None, 1)
    shapes = [layer.output.shape for layer in g.layers if isinstance(layer, keras.layers.Conv2DTranspose)]
    assert shapes == [(None, 7, 7, 128), (None, 14, 14, 64), (None, 28, 28, 1)]
    assert g.count_params() == 2_330_945 and d.count_params() == 212_865


def test_generator_output_is_the_tanh_of_its_last_layer():
    g = models.dcgan_generator()
    last = g.layers[-1]
    before = keras.Model(g.inputs, last.input)  # what the last layer is given
    linear = last.__class__.from_config({**last.get_config(), "activation": "linear"})
    linear.build(last.input.shape)
    linear.set_weights(last.get_weights())
    z = np.random.default_rng(0).normal(size=(4, 100))
    pre = np.asarray(linear(before(z)))
    np.testing.assert_allclose(np.asarray(g(z)), np.tanh(pre), atol=1e-5)


def test_conditional_models_take_labels():
    g = models.dcgan_generator(num_classes=10)
    d = models.dcgan_discriminator(num_classes=10)
    images = np.asarray(g([np.zeros((3, 100), np.float32), np.array([0, 5, 9])]))
    assert images.shape == (3, 28, 28, 1)
    assert d([images, np.array([0, 5, 9])]).shape == (3, 1)
    mlp_d = models.mlp_discriminator(num_classes=10)
    assert mlp_d([images, np.array([1, 2, 3])]).shape == (3, 1)


def test_toy_models_for_2d_data():
    g = models.mlp_generator(2, (64, 64), (2,), batch_norm=False, output_activation=None)
    d = models.mlp_discriminator((64, 64), input_shape=(2,), minibatch_stddev=True)
    assert d(g(np.zeros((5, 2), np.float32))).shape == (5, 1)


def test_minibatch_stddev_sees_a_collapsed_batch():
    layer = models.MinibatchStdDev()
    same = layer(np.ones((8, 4), np.float32))
    varied = layer(np.random.default_rng(0).normal(size=(8, 4)).astype(np.float32))
    assert same.shape == (8, 5)
    assert float(same[0, -1]) < 1e-3 < float(varied[0, -1])


@pytest.mark.parametrize("build, bad", [
    (models.dcgan_generator, np.zeros((2, 64), np.float32)),
    (models.dcgan_discriminator, np.zeros((2, 32, 32, 1), np.float32)),
    (models.mlp_discriminator, np.zeros((2, 28, 28, 3), np.float32)),
])
def test_wrong_input_sizes_raise_a_clear_error(build, bad):
    with pytest.raises(ValueError, match="incompatible|expected"):
        build()(bad)


def test_discriminator_with_all_options_saves_and_loads_in_safe_mode(tmp_path):
    d = models.dcgan_discriminator(spectral_norm=True, minibatch_stddev=True)
    x = np.random.default_rng(0).uniform(-1, 1, (4, 28, 28, 1)).astype(np.float32)
    before = np.asarray(d(x, training=False))
    d.save(tmp_path / "d.keras")
    loaded = keras.models.load_model(tmp_path / "d.keras", safe_mode=True)
    np.testing.assert_allclose(np.asarray(loaded(x, training=False)), before, rtol=1e-5, atol=1e-6)


def test_packed_discriminator_gives_one_logit_per_pack():
    d = models.mlp_discriminator((8,), input_shape=(2,), pack=4)
    x = np.random.default_rng(0).normal(size=(12, 2)).astype(np.float32)
    assert d(x).shape == (3, 1)
    packs = np.asarray(models.Pack(4)(x))
    np.testing.assert_array_equal(packs[1], x[4:8].reshape(-1))  # samples 4-7 form pack 1


def test_packing_a_short_last_batch_fills_its_last_pack():
    import tensorflow as tf

    from gan_course import train
    x = np.arange(10, dtype=np.float32).reshape(5, 2)
    packs = np.asarray(models.Pack(2)(x))  # samples 0-1, 2-3, and 4 with sample 0
    np.testing.assert_array_equal(packs, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 0, 1]])
    assert models.Pack(4)(x[:1]).shape == (1, 8)  # fewer samples than a pack: repeated
    g = models.mlp_generator(2, (8,), (2,), False, None)
    d = models.mlp_discriminator((8,), (2,), pack=4)
    step = train.make_train_step(g, d, keras.optimizers.Adam(), keras.optimizers.Adam())
    for batch in (8, 6):  # an epoch of 14 samples, batch 8: the last batch holds 6
        assert np.isfinite(float(step(tf.ones((batch, 2)))["d_loss"]))


def test_minibatch_discrimination_sees_a_collapsed_batch():
    keras.utils.set_random_seed(0)
    layer = models.MinibatchDiscrimination(kernels=6, kernel_dim=3)
    same = np.asarray(layer(np.ones((8, 4), np.float32)))
    varied = np.asarray(layer(np.random.default_rng(0).normal(size=(8, 4)).astype(np.float32) * 10))
    assert same.shape == (8, 10)
    np.testing.assert_allclose(same[:, 4:], 7.0, rtol=1e-5)  # 7 identical neighbours each
    assert varied[:, 4:].mean() < 1.0 and varied[:, 4:].max() < 3.5  # far from 7
    d = models.mlp_discriminator((8,), input_shape=(2,), minibatch_discrimination=(6, 3))
    assert d(np.zeros((5, 2), np.float32)).shape == (5, 1)


def test_projection_discriminator_adds_the_class_vector_dot_the_features(tmp_path):
    keras.utils.set_random_seed(0)
    d = models.projection_discriminator(num_classes=10, width=8)
    x = np.random.default_rng(0).uniform(-1, 1, (3, 28, 28, 1)).astype(np.float32)
    labels = np.array([0, 5, 9])
    phi = np.asarray(keras.Model(d.inputs[0], d.get_layer("features").output)(x))
    table = np.random.default_rng(1).normal(size=(10, phi.shape[1])).astype(np.float32)
    d.get_layer("label_projection").embeddings.assign(table)
    dense = [layer for layer in d.layers if isinstance(layer, keras.layers.Dense)][0]
    w, b = (np.asarray(v) for v in dense.weights)
    expected = phi @ w + b + (phi * table[labels]).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(np.asarray(d([x, labels])), expected, rtol=1e-4, atol=1e-4)
    other = np.asarray(d([x, np.array([1, 1, 1])]))
    assert not np.allclose(other, expected)  # the label changes the logit
    d.save(tmp_path / "d.keras")
    loaded = keras.models.load_model(tmp_path / "d.keras", safe_mode=True)
    np.testing.assert_allclose(np.asarray(loaded([x, labels])), expected, rtol=1e-4, atol=1e-4)


def test_weight_clipping_holds_every_critic_weight_in_minus_c_c_after_an_update():
    keras.utils.set_random_seed(0)
    critic = models.clip_weights(models.dcgan_discriminator(width=8, dropout=0.0), c=0.01)
    optimizer = keras.optimizers.RMSprop(0.1)  # large steps, so clipping has work to do
    x = np.random.default_rng(0).uniform(-1, 1, (4, 28, 28, 1)).astype(np.float32)
    import tensorflow as tf
    with tf.GradientTape() as tape:
        loss = -tf.reduce_mean(critic(x))
    optimizer.apply(tape.gradient(loss, critic.trainable_variables), critic.trainable_variables)
    weights = np.concatenate([np.ravel(v) for v in critic.get_weights()])
    assert np.abs(weights).max() <= 0.01 + 1e-7
    assert np.mean(np.isclose(np.abs(weights), 0.01)) > 0.5  # most were pushed to the bound
    with pytest.raises(ValueError, match="positive"):
        models.WeightClip(0.0)
    assert models.WeightClip(0.05).get_config() == {"c": 0.05}


def test_unet_maps_images_to_images_and_its_skips_carry_the_input(tmp_path):
    g = models.unet_generator(width=8)
    assert g.input_shape == (None, 28, 28, 1) and g.output_shape == (None, 28, 28, 1)
    x = np.random.default_rng(0).uniform(-1, 1, (2, 28, 28, 1)).astype(np.float32)
    out = np.asarray(g(x))
    assert out.shape == (2, 28, 28, 1) and np.abs(out).max() <= 1.0
    g.save(tmp_path / "unet.keras")
    again = keras.models.load_model(tmp_path / "unet.keras", safe_mode=True)
    np.testing.assert_allclose(np.asarray(again(x)), out, atol=1e-6)
    # the skip from the input: with every layer before the output convolution zeroed, the
    # output still follows the input, pixel by pixel
    last = g.layers[-1]
    for layer in g.layers[:-1]:
        layer.set_weights([np.zeros_like(w) for w in layer.get_weights()])
    moved = x.copy()
    moved[0, 10, 10, 0] *= -1
    diff = np.abs(np.asarray(g(moved)) - np.asarray(g(x)))[0, ..., 0]
    assert isinstance(last, keras.layers.Conv2D) and diff[9:12, 9:12].max() > 0
    diff[9:12, 9:12] = 0
    assert diff.max() == 0  # and only within the 3x3 kernel's reach
    with pytest.raises(ValueError, match="multiples of 4"):
        models.unet_generator(input_shape=(30, 30, 1))


def test_patchgan_gives_one_logit_per_patch_and_judges_pairs():
    d = models.patchgan_discriminator(width=8)
    assert d.output_shape == (None, 7, 7, 1)
    pair = models.patchgan_discriminator(condition_shape=(28, 28, 1), width=8)
    assert [tuple(i.shape) for i in pair.inputs] == [(None, 28, 28, 1)] * 2
    x = np.zeros((3, 28, 28, 1), np.float32)
    assert pair([x, x]).shape == (3, 7, 7, 1)
    # a patch logit sees only its neighbourhood: a change in one corner leaves the far corner alone
    y = x.copy()
    y[:, :4, :4] = 1.0
    a, b = np.asarray(d(x)), np.asarray(d(y))
    assert not np.allclose(a[:, 0, 0], b[:, 0, 0]) and np.allclose(a[:, -1, -1], b[:, -1, -1])
    with pytest.raises(ValueError, match="same height and width"):
        models.patchgan_discriminator(condition_shape=(16, 16, 1))


def test_style_generator_maps_z_through_w_and_saves_in_safe_mode(tmp_path):
    g = models.style_generator(latent_dim=16, w_dim=16, width=16, mapping_depth=2)
    assert g.input_shape == (None, 16) and g.output_shape == (None, 28, 28, 1)
    mapping, synthesis = g.get_layer("mapping"), g.get_layer("synthesis")
    assert mapping.output_shape == (None, 16) and synthesis.input_shape == (None, models.STYLES, 16)
    rates = [l.lr_multiplier for l in mapping.layers if isinstance(l, models.EqualizedDense)]
    assert rates == [0.01, 0.01]  # StyleGAN's slower mapping network, one per layer
    z = np.random.default_rng(0).normal(size=(3, 16)).astype(np.float32)
    out = np.asarray(g(z))
    assert out.shape == (3, 28, 28, 1) and np.abs(out).max() <= 1.0
    # the same w in every style row is what the generator computes from z
    ws = np.repeat(np.asarray(mapping(z))[:, None], models.STYLES, axis=1)
    np.testing.assert_allclose(np.asarray(synthesis(ws)), out, atol=1e-5)
    # the noise scales start at 0, so a round trip through a file gives the same images
    g.save(tmp_path / "style.keras")
    again = keras.models.load_model(tmp_path / "style.keras", safe_mode=True)
    np.testing.assert_allclose(np.asarray(again(z)), out, atol=1e-5)
    with pytest.raises(ValueError, match="at least one layer"):
        models.mapping_network(depth=0)


def test_equalized_dense_moves_its_effective_weights_lr_multiplier_times_as_fast():
    """Adam's first step moves every stored weight by the learning rate, so the effective
    weights (stored times lr_multiplier * sqrt(2 / fan_in)) move lr_multiplier times as far."""
    x = np.random.default_rng(0).normal(size=(8, 16)).astype(np.float32)
    moved = {}
    for multiplier in (1.0, 0.01):
        layer = models.EqualizedDense(4, lr_multiplier=multiplier)
        layer.build((None, 16))
        before = np.asarray(layer.kernel) * layer.scale
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(layer(x))
        grads = tape.gradient(loss, layer.trainable_variables)
        keras.optimizers.Adam(0.1).apply_gradients(zip(grads, layer.trainable_variables))
        moved[multiplier] = np.abs(np.asarray(layer.kernel) * layer.scale - before).max()
    assert moved[1.0] == pytest.approx(0.1 * np.sqrt(2 / 16), rel=1e-3)
    assert moved[0.01] == pytest.approx(0.01 * moved[1.0], rel=1e-3)
    with pytest.raises(ValueError, match="lr_multiplier must be positive"):
        models.EqualizedDense(4, lr_multiplier=0)


def test_adain_sets_each_channel_mean_and_std_from_the_style():
    layer = models.AdaIN(index=1)
    x = np.random.default_rng(1).normal(3.0, 2.0, size=(2, 5, 5, 4)).astype(np.float32)
    ws = np.random.default_rng(2).normal(size=(2, 3, 8)).astype(np.float32)
    out = np.asarray(layer([x, ws]))
    kernel, bias = layer.affine.get_weights()
    style = ws[:, 1] @ kernel + bias                       # style row 1 only
    scale, shift = style[:, :4], style[:, 4:]
    np.testing.assert_allclose(out.mean(axis=(1, 2)), shift, atol=1e-4)
    np.testing.assert_allclose(out.std(axis=(1, 2)), np.abs(1 + scale), rtol=1e-3)
    with pytest.raises(ValueError, match="style index"):
        models.AdaIN(index=3)([x, ws])


def test_noise_input_adds_fresh_noise_once_its_scale_is_learned():
    layer = models.NoiseInput(seed=0)
    x = np.zeros((2, 7, 7, 3), np.float32)
    assert np.all(np.asarray(layer(x)) == 0)               # scale starts at 0
    layer.scale.assign([1.0, 2.0, 0.0])
    a, b = np.asarray(layer(x)), np.asarray(layer(x))
    assert not np.allclose(a, b)                            # fresh noise at every call
    np.testing.assert_allclose(a[..., 1], 2 * a[..., 0], atol=1e-6)  # one noise map, scaled per channel
    assert np.all(a[..., 2] == 0)
    with pytest.raises(ValueError, match="feature maps"):
        models.NoiseInput()(np.zeros((2, 3), np.float32))
