"""Keras 3 builders for the course's generators and discriminators.

Discriminators return one logit per sample (no sigmoid); the losses use `from_logits`.
Pass `num_classes` to get a conditional model that takes `[inputs, labels]`. Image-to-image
models (U-Net, PatchGAN) take images instead of noise. The style-based generator's layers
(LearnedConstant, NoiseInput, AdaIN) are registered, so its models save and load in safe mode.
Under a mixed-precision policy (`keras.mixed_precision.set_global_policy("mixed_bfloat16")`)
the layers compute in half precision while the output layers stay float32, so that losses
and samples keep full precision.
"""

import math

import keras
from keras import layers, ops

IMAGE_SHAPE = (28, 28, 1)


@keras.saving.register_keras_serializable(package="gan_course")
class MinibatchStdDev(layers.Layer):
    """Appends one feature: the batch's mean standard deviation (the minibatch standard
    deviation of Karras et al. 2018, ProGAN; not Salimans et al.'s minibatch discrimination).

    A collapsed generator makes a batch with little variety; this lets D see that.
    """

    mixes_batch = True  # a sample's output depends on the rest of its batch

    def call(self, x):
        std = ops.sqrt(ops.var(x, axis=0) + 1e-8)
        mean_std = ops.mean(std)
        extra = ops.ones_like(x[..., :1]) * mean_std
        return ops.concatenate([x, extra], axis=-1)


@keras.saving.register_keras_serializable(package="gan_course")
class Pack(layers.Layer):
    """PacGAN (Lin et al. 2018): reshapes a batch (N, d) into N / m packs of m samples,
    (N / m, m * d), so that D gives one logit per pack. When N is not a multiple of m (an
    epoch's short last batch), the last pack is filled up with the batch's first samples."""

    mixes_batch = True  # a sample's output depends on the rest of its batch

    def __init__(self, m, **kwargs):
        super().__init__(**kwargs)
        self.m = m

    def call(self, x):
        n = ops.shape(x)[0]
        x = ops.take(x, ops.arange(-(-n // self.m) * self.m) % n, axis=0)
        return ops.reshape(x, (-1, self.m * x.shape[-1]))

    def compute_output_shape(self, input_shape):
        return (None, self.m * input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "m": self.m}


@keras.saving.register_keras_serializable(package="gan_course")
class MinibatchDiscrimination(layers.Layer):
    """Minibatch discrimination (Salimans et al. 2016): each sample gets `kernels` features
    saying how close it is to the other samples of its batch, sum_j exp(-||M_i - M_j||_1)
    with M = x T reshaped to (kernels, kernel_dim). Costs O(N^2) in the batch size N."""

    mixes_batch = True  # a sample's output depends on the rest of its batch

    def __init__(self, kernels=50, kernel_dim=5, **kwargs):
        super().__init__(**kwargs)
        self.kernels, self.kernel_dim = kernels, kernel_dim

    def build(self, input_shape):
        self.t = self.add_weight(shape=(input_shape[-1], self.kernels * self.kernel_dim),
                                 initializer=keras.initializers.RandomNormal(stddev=0.1),
                                 name="t")

    def call(self, x):
        m = ops.reshape(ops.matmul(x, self.t), (-1, self.kernels, self.kernel_dim))
        l1 = ops.sum(ops.abs(ops.expand_dims(m, 0) - ops.expand_dims(m, 1)), axis=-1)
        closeness = ops.sum(ops.exp(-l1), axis=1) - 1.0  # leave out the sample itself
        return ops.concatenate([x, ops.cast(closeness, x.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] + self.kernels)

    def get_config(self):
        return {**super().get_config(), "kernels": self.kernels, "kernel_dim": self.kernel_dim}


def _label_input(num_classes, size, name):
    """An int label input and its learned embedding of `size` values."""
    label = keras.Input(shape=(), dtype="int32", name="label")
    embedded = layers.Flatten()(layers.Embedding(num_classes, size, name=name)(label))
    return label, embedded


def _dense(units, spectral_norm, dtype=None):
    dense = layers.Dense(units, dtype=dtype)
    return layers.SpectralNormalization(dense, dtype=dtype) if spectral_norm else dense


def _conv(filters, spectral_norm):
    conv = layers.Conv2D(filters, 5, strides=2, padding="same")
    return layers.SpectralNormalization(conv) if spectral_norm else conv


def mlp_generator(latent_dim=100, hidden=(256, 512, 1024), output_shape=IMAGE_SHAPE,
                  batch_norm=True, output_activation="tanh", num_classes=None):
    """Classic MLP generator: Dense 256 -> 512 -> 1024, LeakyReLU(0.2), BatchNorm, tanh.

    For 2-D toy data use e.g. `mlp_generator(2, (128, 128), (2,), False, None)`.
    """
    z = keras.Input(shape=(latent_dim,), name="z")
    inputs, x = z, z
    if num_classes:
        label, embedded = _label_input(num_classes, 50, "label_embedding")
        inputs, x = [z, label], layers.Concatenate()([z, embedded])
    for units in hidden:
        x = layers.Dense(units)(x)
        x = layers.LeakyReLU(0.2)(x)
        if batch_norm:
            x = layers.BatchNormalization(momentum=0.8)(x)
    x = layers.Dense(math.prod(output_shape), activation=output_activation, dtype="float32")(x)
    x = layers.Reshape(output_shape, dtype="float32")(x)
    return keras.Model(inputs, x, name="mlp_generator")


def mlp_discriminator(hidden=(512, 256), input_shape=IMAGE_SHAPE, dropout=0.0,
                      spectral_norm=False, minibatch_stddev=False, num_classes=None, pack=1,
                      minibatch_discrimination=None):
    """Classic MLP discriminator: Dense 512 -> 256, LeakyReLU(0.2), one logit.

    pack=m (PacGAN): one logit per pack of m samples (see Pack).
    minibatch_discrimination: None, or (kernels, kernel_dim) for Salimans et al.'s layer
    before the logit.
    """
    image = keras.Input(shape=input_shape, name="image")
    x = layers.Flatten()(image)
    inputs = image
    if num_classes:
        label, embedded = _label_input(num_classes, 50, "label_embedding")
        inputs, x = [image, label], layers.Concatenate()([x, embedded])
    if pack > 1:
        x = Pack(pack)(x)
    for units in hidden:
        x = _dense(units, spectral_norm)(x)
        x = layers.LeakyReLU(0.2)(x)
        if dropout:
            x = layers.Dropout(dropout)(x)
    if minibatch_stddev:
        x = MinibatchStdDev()(x)
    if minibatch_discrimination:
        x = MinibatchDiscrimination(*minibatch_discrimination)(x)
    logit = _dense(1, spectral_norm, dtype="float32")(x)
    return keras.Model(inputs, logit, name="mlp_discriminator")


def dcgan_generator(latent_dim=100, width=256, num_classes=None):
    """DCGAN generator: Dense 7*7*width -> ConvT width/2 (stride 1) -> width/4 -> 1, tanh."""
    z = keras.Input(shape=(latent_dim,), name="z")
    inputs, x = z, z
    if num_classes:
        label, embedded = _label_input(num_classes, 50, "label_embedding")
        inputs, x = [z, label], layers.Concatenate()([z, embedded])
    x = layers.Dense(7 * 7 * width, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Reshape((7, 7, width))(x)
    for filters, stride in ((width // 2, 1), (width // 4, 2)):
        x = layers.Conv2DTranspose(filters, 5, strides=stride, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2DTranspose(1, 5, strides=2, padding="same", activation="tanh",
                               dtype="float32")(x)
    return keras.Model(inputs, x, name="dcgan_generator")


def dcgan_discriminator(width=64, dropout=0.3, spectral_norm=False, minibatch_stddev=False,
                        num_classes=None):
    """DCGAN discriminator: Conv 64 -> 128 (5x5, stride 2), LeakyReLU, dropout, one logit."""
    image = keras.Input(shape=IMAGE_SHAPE, name="image")
    inputs, x = image, image
    if num_classes:
        label, embedded = _label_input(num_classes, 28 * 28, "label_embedding")
        label_map = layers.Reshape(IMAGE_SHAPE)(embedded)
        inputs, x = [image, label], layers.Concatenate()([image, label_map])
    for filters in (width, width * 2):
        x = _conv(filters, spectral_norm)(x)
        x = layers.LeakyReLU(0.2)(x)
        if dropout:
            x = layers.Dropout(dropout)(x)
    if minibatch_stddev:
        x = MinibatchStdDev()(x)
    x = layers.Flatten()(x)
    logit = _dense(1, spectral_norm, dtype="float32")(x)
    return keras.Model(inputs, logit, name="dcgan_discriminator")


def projection_discriminator(num_classes=10, width=32, spectral_norm=False, dropout=0.0):
    """Conditional DCGAN discriminator with a projection (Miyato & Koyama 2018, "cGANs with
    Projection Discriminator"): logit = w . phi(x) + embed(y) . phi(x), where phi(x) are the
    DCGAN discriminator's convolutional features and embed(y) a learned vector per class.
    The label enters at the end, as an inner product, instead of as an input channel."""
    image = keras.Input(shape=IMAGE_SHAPE, name="image")
    label = keras.Input(shape=(), dtype="int32", name="label")
    x = image
    for filters in (width, width * 2):
        x = _conv(filters, spectral_norm)(x)
        x = layers.LeakyReLU(0.2)(x)
        if dropout:
            x = layers.Dropout(dropout)(x)
    features = layers.Flatten(name="features")(x)
    unconditional = _dense(1, spectral_norm, dtype="float32")(features)
    class_vector = layers.Embedding(num_classes, features.shape[-1], name="label_projection")(label)
    projection = layers.Dot(axes=1, dtype="float32")([features, class_vector])
    logit = layers.Add(dtype="float32")([unconditional, projection])
    return keras.Model([image, label], logit, name="projection_discriminator")


def vae_encoder(latent_dim=16, width=32):
    """VAE encoder q(z | x): the DCGAN discriminator's two strided convolutions, then the
    mean and log variance of a diagonal Gaussian over z."""
    image = keras.Input(shape=IMAGE_SHAPE, name="image")
    x = image
    for filters in (width, width * 2):
        x = layers.Conv2D(filters, 5, strides=2, padding="same")(x)
        x = layers.LeakyReLU(0.2)(x)
    x = layers.Flatten()(x)
    z_mean = layers.Dense(latent_dim, name="z_mean", dtype="float32")(x)
    z_log_var = layers.Dense(latent_dim, name="z_log_var", dtype="float32")(x)
    return keras.Model(image, [z_mean, z_log_var], name="vae_encoder")


def _image_input(shape, name):
    if len(shape) != 3 or shape[0] % 4 or shape[1] % 4:
        raise ValueError(f"{name} must be (height, width, channels) with height and width "
                         f"multiples of 4 (two stride-2 halvings), got {shape}.")
    return keras.Input(shape=shape, name=name)


def unet_generator(input_shape=IMAGE_SHAPE, output_channels=1, width=32):
    """U-Net (Ronneberger et al. 2015), as Pix2Pix's generator (Isola et al. 2017), sized for
    28x28: two stride-2 convolutions down (28 -> 14 -> 7), a bottleneck, two transposed
    convolutions up, each joined to the encoder's features of the same size (the skips), and
    a tanh output in [-1, 1]. Image in, image out; no noise input (Pix2Pix's noise is dropout,
    left out here)."""
    image = _image_input(tuple(input_shape), "input_image")
    skips, x = [], image
    for filters in (width, width * 2):
        x = layers.Conv2D(filters, 4, strides=2, padding="same")(x)
        x = layers.LeakyReLU(0.2)(x)
        skips.append(x)
    x = layers.Conv2D(width * 4, 3, padding="same", activation="relu")(x)  # the bottleneck
    for filters, skip in zip((width * 2, width), reversed(skips)):
        x = layers.Concatenate()([x, skip])
        x = layers.Conv2DTranspose(filters, 4, strides=2, padding="same", activation="relu")(x)
    x = layers.Concatenate()([x, image])
    x = layers.Conv2D(output_channels, 3, padding="same", activation="tanh", dtype="float32")(x)
    return keras.Model(image, x, name="unet_generator")


def patchgan_discriminator(input_shape=IMAGE_SHAPE, condition_shape=None, width=32):
    """PatchGAN discriminator (Isola et al. 2017): one logit per overlapping 18x18 patch,
    (N, H/4, W/4, 1), so it judges local texture and sharpness. With `condition_shape` (Pix2Pix) it
    takes [condition, image] and judges the pair; without it (CycleGAN) the image alone."""
    image = _image_input(tuple(input_shape), "image")
    inputs, x = image, image
    if condition_shape is not None:
        condition = _image_input(tuple(condition_shape), "condition")
        if tuple(condition_shape[:2]) != tuple(input_shape[:2]):
            raise ValueError(f"the condition and the image must have the same height and "
                             f"width, got {condition_shape} and {input_shape}.")
        inputs, x = [condition, image], layers.Concatenate()([condition, image])
    for filters in (width, width * 2):
        x = layers.Conv2D(filters, 4, strides=2, padding="same")(x)
        x = layers.LeakyReLU(0.2)(x)
    logits = layers.Conv2D(1, 3, padding="same", dtype="float32")(x)
    return keras.Model(inputs, logits, name="patchgan_discriminator")


@keras.saving.register_keras_serializable(package="gan_course")
class LearnedConstant(layers.Layer):
    """StyleGAN's learned input: one trainable (H, W, C) tensor, the same for every sample;
    the input only gives the batch size."""

    def __init__(self, shape, **kwargs):
        super().__init__(**kwargs)
        self.constant_shape = tuple(shape)

    def build(self, input_shape):
        self.constant = self.add_weight(shape=self.constant_shape, initializer="random_normal",
                                        name="constant")

    def call(self, like):
        return ops.broadcast_to(self.constant[None], (ops.shape(like)[0], *self.constant_shape))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *self.constant_shape)

    def get_config(self):
        return {**super().get_config(), "shape": self.constant_shape}


@keras.saving.register_keras_serializable(package="gan_course")
class NoiseInput(layers.Layer):
    """StyleGAN's per-pixel noise: adds fresh N(0, 1) noise, one value per pixel shared by the
    channels, scaled per channel by learned weights that start at 0."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(f"NoiseInput expects feature maps (N, H, W, C), got {input_shape}.")
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="zeros", name="scale")

    def call(self, x):
        shape = (ops.shape(x)[0], x.shape[1], x.shape[2], 1)
        return x + self.scale * keras.random.normal(shape, seed=self.seed_generator, dtype=x.dtype)

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


@keras.saving.register_keras_serializable(package="gan_course")
class AdaIN(layers.Layer):
    """Adaptive instance normalisation (Huang & Belongie 2017), as in StyleGAN: each channel of
    x is normalised over its pixels, then scaled and shifted by a style that a learned affine
    map computes from w: (1 + s(w)) * (x - mean) / std + b(w). Takes [x, ws], with ws of shape
    (N, styles, w_dim), and uses the style row `index`."""

    def __init__(self, index, **kwargs):
        super().__init__(**kwargs)
        self.index = index

    def build(self, input_shape):
        x_shape, ws_shape = input_shape
        if len(x_shape) != 4 or len(ws_shape) != 3 or not 0 <= self.index < ws_shape[1]:
            raise ValueError(f"AdaIN expects [feature maps (N, H, W, C), styles (N, S, w_dim)] "
                             f"and a style index below S; got {x_shape}, {ws_shape}, index "
                             f"{self.index}.")
        self.affine = layers.Dense(2 * x_shape[-1], name="affine")
        self.affine.build((ws_shape[0], ws_shape[2]))

    def call(self, inputs):
        x, ws = inputs
        mean = ops.mean(x, axis=(1, 2), keepdims=True)
        normalised = (x - mean) * ops.rsqrt(ops.var(x, axis=(1, 2), keepdims=True) + 1e-8)
        scale, bias = ops.split(self.affine(ws[:, self.index]), 2, axis=-1)
        return normalised * (1.0 + scale[:, None, None, :]) + bias[:, None, None, :]

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "index": self.index}


@keras.saving.register_keras_serializable(package="gan_course")
class EqualizedDense(layers.Layer):
    """A Dense layer with StyleGAN's equalised learning rate and learning-rate multiplier
    (Karras et al. 2018, 2019): the weights are stored as N(0, 1 / lr_multiplier) and scaled
    at run time by lr_multiplier * sqrt(2 / fan_in), so that Adam, whose steps do not depend
    on a weight's scale, moves the layer's effective weights lr_multiplier times as fast.
    StyleGAN's mapping network uses lr_multiplier = 0.01."""

    def __init__(self, units, lr_multiplier=1.0, **kwargs):
        super().__init__(**kwargs)
        if not lr_multiplier > 0:
            raise ValueError(f"lr_multiplier must be positive, got {lr_multiplier}.")
        self.units, self.lr_multiplier = units, lr_multiplier

    def build(self, input_shape):
        fan_in = input_shape[-1]
        self.scale = math.sqrt(2.0 / fan_in) * self.lr_multiplier
        stored = keras.initializers.RandomNormal(stddev=1.0 / self.lr_multiplier)
        self.kernel = self.add_weight(shape=(fan_in, self.units), initializer=stored)
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, x):
        return ops.matmul(x, self.kernel * self.scale) + self.bias * self.lr_multiplier

    def get_config(self):
        return {**super().get_config(), "units": self.units, "lr_multiplier": self.lr_multiplier}


STYLES = 6  # AdaIN layers of style_generator: two at 7x7 (coarse), 14x14 (middle), 28x28 (fine)


def mapping_network(latent_dim=64, w_dim=64, depth=4, lr_multiplier=0.01):
    """StyleGAN's mapping network z -> w: z normalised to a mean square of 1 (pixel norm),
    then `depth` EqualizedDense layers with LeakyReLU, learning `lr_multiplier` times as fast
    as the synthesis network (StyleGAN's 0.01; 1.0 gives the plain rate). w lives in a
    learned space that need not be Gaussian."""
    if depth < 1:
        raise ValueError(f"the mapping network needs at least one layer, got depth={depth}.")
    z = keras.Input(shape=(latent_dim,), name="z")
    w = layers.Rescaling(math.sqrt(latent_dim))(layers.UnitNormalization()(z))
    for _ in range(depth):
        w = layers.LeakyReLU(0.2)(EqualizedDense(w_dim, lr_multiplier)(w))
    return keras.Model(z, w, name="mapping")


def style_synthesis(w_dim=64, width=64):
    """StyleGAN's synthesis network for 28x28: a learned 7x7 constant, then at 7x7, 14x14
    and 28x28 two steps of (convolution, noise, LeakyReLU, AdaIN), bilinear upsampling in
    between, and a 1x1 convolution to a tanh image. Input: one w per AdaIN, (N, STYLES, w_dim)."""
    ws = keras.Input(shape=(STYLES, w_dim), name="ws")
    x = LearnedConstant((7, 7, width))(ws)
    index = 0
    for level, filters in enumerate((width, width // 2, width // 4)):
        if level:
            x = layers.UpSampling2D(interpolation="bilinear")(x)
        for step in range(2):
            if level or step:  # the constant itself gets noise and a style, no convolution
                x = layers.Conv2D(filters, 3, padding="same")(x)
            x = layers.LeakyReLU(0.2)(NoiseInput()(x))
            x = AdaIN(index)([x, ws])
            index += 1
    image = layers.Conv2D(1, 1, activation="tanh", dtype="float32")(x)
    return keras.Model(ws, image, name="synthesis")


def style_generator(latent_dim=64, w_dim=64, width=64, mapping_depth=4,
                    mapping_lr_multiplier=0.01):
    """A small style-based generator (Karras et al. 2019, StyleGAN), z -> image: the mapping
    network gives w, every AdaIN of the synthesis network gets the same w. The two parts are
    the layers "mapping" and "synthesis", for style mixing and truncation in w. The mapping
    network learns `mapping_lr_multiplier` times as fast as the rest, as in StyleGAN."""
    z = keras.Input(shape=(latent_dim,), name="z")
    w = mapping_network(latent_dim, w_dim, mapping_depth, mapping_lr_multiplier)(z)
    image = style_synthesis(w_dim, width)(layers.RepeatVector(STYLES)(w))
    return keras.Model(z, image, name="style_generator")


@keras.saving.register_keras_serializable(package="gan_course")
class WeightClip(keras.constraints.Constraint):
    """WGAN's weight clipping (Arjovsky et al. 2017): after every update, each weight is
    clipped to [-c, c], a crude way to keep the critic Lipschitz."""

    def __init__(self, c=0.01):
        if not c > 0:
            raise ValueError(f"the clip value c must be positive, got {c}.")
        self.c = c

    def __call__(self, w):
        return ops.clip(w, -self.c, self.c)

    def get_config(self):
        return {"c": self.c}


def clip_weights(model, c=0.01):
    """Give every trainable weight of `model` (e.g. a critic) the WeightClip(c) constraint,
    which Keras' optimizers apply after each update; returns the model."""
    for variable in model.trainable_variables:
        variable.constraint = WeightClip(c)
    return model
