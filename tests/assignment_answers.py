"""Answers to every assignment question that the checks must tell apart: wrong ones (each must
lose points) and right ones written differently from the master's solution (each must score full
marks). Each answer is code run after the master's solutions, redefining the question's
functions; tests/test_assignments.py grades them in-process against the master's checks."""

A1 = {
    "q1_d_loss": {
        "wrong": {
            "signs swapped": "def d_loss(r, f):\n    return tf.reduce_mean(tf.nn.softplus(r)) + tf.reduce_mean(tf.nn.softplus(-f))",
            "real term only": "def d_loss(r, f):\n    return tf.reduce_mean(tf.nn.softplus(-r))",
            "log of sigmoid (overflows)": "def d_loss(r, f):\n    return -tf.reduce_mean(tf.math.log(tf.sigmoid(r))) - tf.reduce_mean(tf.math.log(1 - tf.sigmoid(f)))",
            "sums instead of means": "def d_loss(r, f):\n    return tf.reduce_sum(tf.nn.softplus(-r)) + tf.reduce_sum(tf.nn.softplus(f))",
            "one mean over both batches": "def d_loss(r, f):\n    return tf.reduce_mean(tf.concat([tf.nn.softplus(-r), tf.nn.softplus(f)], 0))",
            "the course's function": "from gan_course import losses\nd_loss = lambda r, f: losses.bce_discriminator_loss(r, f)",
        },
        "right": {
            "keras BinaryCrossentropy": "import keras\nbce = keras.losses.BinaryCrossentropy(from_logits=True)\n"
                "def d_loss(r, f):\n    return bce(tf.ones_like(r), r) + bce(tf.zeros_like(f), f)",
            "sigmoid_cross_entropy_with_logits": "def d_loss(r, f):\n    ce = tf.nn.sigmoid_cross_entropy_with_logits\n"
                "    return tf.reduce_mean(ce(labels=tf.ones_like(r), logits=r)) + tf.reduce_mean(ce(labels=tf.zeros_like(f), logits=f))",
            "a lambda": "d_loss = lambda r, f: tf.reduce_mean(tf.nn.softplus(-r)) + tf.reduce_mean(tf.nn.softplus(f))",
        },
    },
    "q2_g_losses": {
        "wrong": {
            "minimax as log sigmoid(f)": "def g_loss_minimax(f):\n    return -tf.reduce_mean(tf.nn.softplus(-f))",
            "minimax sign flipped": "def g_loss_minimax(f):\n    return tf.reduce_mean(tf.nn.softplus(f))",
            "non-saturating sign flipped": "def g_loss_non_saturating(f):\n    return -tf.reduce_mean(tf.nn.softplus(-f))",
            "the two swapped": "g_loss_minimax, g_loss_non_saturating = g_loss_non_saturating, g_loss_minimax",
            "the course's functions": "from gan_course.losses import minimax_generator_loss as g_loss_minimax\n"
                "from gan_course.losses import non_saturating_generator_loss as g_loss_non_saturating",
        },
        "right": {
            "lambdas": "g_loss_minimax = lambda f: -tf.reduce_mean(tf.nn.softplus(f))\n"
                "g_loss_non_saturating = lambda f: tf.reduce_mean(tf.nn.softplus(-f))",
            "keras BinaryCrossentropy": "import keras\nbce = keras.losses.BinaryCrossentropy(from_logits=True)\n"
                "def g_loss_minimax(f):\n    return -bce(tf.zeros_like(f), f)\n"
                "def g_loss_non_saturating(f):\n    return bce(tf.ones_like(f), f)",
        },
    },
    "q3_optimal_d": {
        "wrong": {
            "p_data and p_g swapped": "def optimal_d(p_data, p_g):\n    total = p_data + p_g\n"
                "    return np.divide(p_g, total, out=np.full_like(total, 0.5), where=total > 0)",
            "constant 1/2": "def optimal_d(p_data, p_g):\n    return np.full_like(p_data, 0.5)",
            "logs swapped in the value": "def value_at_optimum(p_data, p_g, dx):\n"
                "    with np.errstate(divide='ignore', invalid='ignore'):\n"
                "        t = p_data * (np.log(p_g) - np.log(p_data + p_g)) + p_g * (np.log(p_data) - np.log(p_data + p_g))\n"
                "    return float(np.where(np.isfinite(t), t, 0.0).sum() * dx)",
            "no grid step": "_v = value_at_optimum\ndef value_at_optimum(p_data, p_g, dx):\n    return _v(p_data, p_g, dx) / dx",
            "log(1 - D*) that rounds to log 0": "def value_at_optimum(p_data, p_g, dx):\n    d = optimal_d(p_data, p_g)\n"
                "    with np.errstate(divide='ignore', invalid='ignore'):\n"
                "        return float(np.nansum(p_data * np.log(d) + p_g * np.log(1 - d)) * dx)",
        },
        "right": {
            "np.where with errstate": "def optimal_d(p_data, p_g):\n    with np.errstate(invalid='ignore'):\n"
                "        return np.where(p_data + p_g > 0, p_data / (p_data + p_g), 0.5)",
            "value from logs of densities": "def value_at_optimum(p_data, p_g, dx):\n    total = p_data + p_g\n"
                "    with np.errstate(divide='ignore', invalid='ignore'):\n"
                "        terms = [np.where(p > 0, p * (np.log(p) - np.log(total)), 0.0) for p in (p_data, p_g)]\n"
                "    return float(np.sum(terms) * dx)",
        },
    },
}

_MLP_G = """def mlp_generator(latent_dim=64):
    z = keras.Input(shape=(latent_dim,))
    x = layers.Dense(256)(z)
    x = {hidden}(x)
    x = layers.Dense(784, activation={out})(x)
    return keras.Model(z, layers.Reshape((28, 28, 1))(x))"""
_MLP_D = """def mlp_discriminator():
    image = keras.Input(shape=(28, 28, 1))
    x = {hidden}(layers.Dense(256)(layers.Flatten()(image)))
    return keras.Model(image, layers.Dense(1, activation={out})(x))"""
_DCGAN_G = """def dcgan_generator(latent_dim=64):
    z = keras.Input(shape=(latent_dim,))
    x = layers.Dense(7 * 7 * 64, use_bias=False)(z)
    x = {hidden}(layers.BatchNormalization()(x))
    x = layers.Reshape((7, 7, 64))(x)
    x = layers.Conv2DTranspose(32, 5, strides=2, padding="same", use_bias=False)(x)
    x = {hidden}(layers.BatchNormalization()(x))
    x = layers.Conv2DTranspose(1, 5, strides=2, padding="same", activation={out})(x)
    return keras.Model(z, x)"""
_DCGAN_D = """def dcgan_discriminator():
    image = keras.Input(shape=(28, 28, 1))
    x = {hidden}(layers.Conv2D(32, 5, strides=2, padding="same")(image))
    x = {hidden}(layers.Conv2D(64, 5, strides=2, padding="same")(x))
    return keras.Model(image, layers.Dense(1, activation={out})(layers.Flatten()(x)))"""
_LEAKY, _IDENTITY = "layers.LeakyReLU(0.2)", "(lambda x: x)"


def _variants(template, out):
    """The common activation mistakes in one of A2's model templates."""
    return {
        "sigmoid output": template.format(hidden=_LEAKY, out='"sigmoid"'),
        "ReLU hidden": template.format(hidden="layers.ReLU()", out=out),
        "LeakyReLU's default slope 0.3": template.format(hidden="layers.LeakyReLU()", out=out),
        "no hidden activation": template.format(hidden=_IDENTITY, out=out),
    }


A2 = {
    "q1_mlp_generator": {
        "wrong": {**_variants(_MLP_G, '"tanh"'),
                  "no output activation": _MLP_G.format(hidden=_LEAKY, out="None"),
                  "the course's model": "from gan_course import models\n"
                      "mlp_generator = lambda latent_dim=64: models.mlp_generator(latent_dim, (256,), batch_norm=False)"},
        "right": {
            "Sequential, activation arguments": "def mlp_generator(latent_dim=64):\n    return keras.Sequential([\n"
                "        keras.Input((latent_dim,)),\n"
                "        layers.Dense(256, activation=lambda x: keras.ops.leaky_relu(x, 0.2)),\n"
                "        layers.Dense(784), layers.Activation('tanh'), layers.Reshape((28, 28, 1))])",
        },
    },
    "q2_mlp_discriminator": {
        "wrong": _variants(_MLP_D, "None"),
        "right": {
            "a trailing Activation('linear')": "def mlp_discriminator():\n    return keras.Sequential([\n"
                "        keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(256),\n"
                "        layers.LeakyReLU(negative_slope=0.2), layers.Dense(1), layers.Activation('linear')])",
        },
    },
    "q3_dcgan_generator": {
        "wrong": {**_variants(_DCGAN_G, '"tanh"'),
                  "activation before batch norm": _DCGAN_G.format(hidden=_LEAKY, out='"tanh"').replace(
                      "LeakyReLU(0.2)(layers.BatchNormalization()(x))", "BatchNormalization()(layers.LeakyReLU(0.2)(x))")},
        "right": {
            "Sequential": "def dcgan_generator(latent_dim=64):\n    return keras.Sequential([\n"
                "        keras.Input((latent_dim,)), layers.Dense(3136, use_bias=False),\n"
                "        layers.BatchNormalization(), layers.LeakyReLU(negative_slope=0.2), layers.Reshape((7, 7, 64)),\n"
                "        layers.Conv2DTranspose(32, 5, strides=2, padding='same', use_bias=False),\n"
                "        layers.BatchNormalization(), layers.LeakyReLU(negative_slope=0.2),\n"
                "        layers.Conv2DTranspose(1, 5, strides=2, padding='same'), layers.Activation('tanh')])",
        },
    },
    "q4_dcgan_discriminator": {
        "wrong": {**_variants(_DCGAN_D, "None"),
                  "the course's model": "from gan_course import models\n"
                      "dcgan_discriminator = lambda: models.dcgan_discriminator(width=32)"},
        "right": {
            "Sequential, a trailing Activation('linear')": "def dcgan_discriminator():\n    return keras.Sequential([\n"
                "        keras.Input((28, 28, 1)),\n"
                "        layers.Conv2D(32, 5, strides=2, padding='same', activation=lambda x: keras.ops.leaky_relu(x, 0.2)),\n"
                "        layers.Conv2D(64, 5, strides=2, padding='same'), layers.LeakyReLU(negative_slope=0.2),\n"
                "        layers.Flatten(), layers.Dense(1), layers.Activation('linear')])",
        },
    },
}

A3 = {
    "q1_d_step": {
        "wrong": {
            "gradient for G and D, applied with d_opt": "def d_step(G, D, d_opt, real, z):\n"
                "    with tf.GradientTape() as tape:\n"
                "        loss = bce_discriminator_loss(D(real, training=True), D(G(z, training=True), training=True))\n"
                "    variables = G.trainable_variables + D.trainable_variables\n"
                "    d_opt.apply_gradients(zip(tape.gradient(loss, variables), variables))\n    return loss",
            "real and fake swapped": "def d_step(G, D, d_opt, real, z):\n"
                "    with tf.GradientTape() as tape:\n"
                "        loss = bce_discriminator_loss(D(G(z, training=True), training=True), D(real, training=True))\n"
                "    d_opt.apply_gradients(zip(tape.gradient(loss, D.trainable_variables), D.trainable_variables))\n    return loss",
            "loss after the update": "_step = d_step\ndef d_step(G, D, d_opt, real, z):\n    _step(G, D, d_opt, real, z)\n"
                "    return bce_discriminator_loss(D(real, training=True), D(G(z, training=True), training=True))",
        },
        "right": {
            "tf.function, optimizer.apply": "@tf.function\ndef d_step(G, D, d_opt, real, z):\n"
                "    with tf.GradientTape() as tape:\n"
                "        fake = G(z, training=True)\n"
                "        loss = bce_discriminator_loss(D(real, training=True), D(fake, training=True))\n"
                "    d_opt.apply(tape.gradient(loss, D.trainable_variables), D.trainable_variables)\n    return loss",
        },
    },
    "q2_g_step": {
        "wrong": {
            "G(z) outside the tape": "def g_step(G, D, g_opt, z):\n    fake = G(z, training=True)\n"
                "    with tf.GradientTape() as tape:\n"
                "        loss = non_saturating_generator_loss(D(fake, training=True))\n"
                "    grads = tape.gradient(loss, G.trainable_variables)\n"
                "    g_opt.apply_gradients((g, v) for g, v in zip(grads, G.trainable_variables) if g is not None)\n    return loss",
            "the minimax loss": "def g_step(G, D, g_opt, z):\n    with tf.GradientTape() as tape:\n"
                "        loss = -tf.reduce_mean(tf.nn.softplus(D(G(z, training=True), training=True)))\n"
                "    g_opt.apply_gradients(zip(tape.gradient(loss, G.trainable_variables), G.trainable_variables))\n    return loss",
            "D updated too": "def g_step(G, D, g_opt, z):\n    with tf.GradientTape() as tape:\n"
                "        loss = non_saturating_generator_loss(D(G(z, training=True), training=True))\n"
                "    variables = G.trainable_variables + D.trainable_variables\n"
                "    g_opt.apply_gradients(zip(tape.gradient(loss, variables), variables))\n    return loss",
        },
        "right": {
            "tf.function": "@tf.function\ndef g_step(G, D, g_opt, z):\n    with tf.GradientTape() as tape:\n"
                "        loss = non_saturating_generator_loss(D(G(z, training=True), training=True))\n"
                "    g_opt.apply_gradients(zip(tape.gradient(loss, G.trainable_variables), G.trainable_variables))\n    return loss",
        },
    },
    "q3_train_step": {
        "wrong": {
            "optimizers swapped": "def train_step(G, D, g_opt, d_opt, real, z):\n"
                "    return d_step(G, D, g_opt, real, z), g_step(G, D, d_opt, z)",
            "G first": "def train_step(G, D, g_opt, d_opt, real, z):\n"
                "    g_loss = g_step(G, D, g_opt, z)\n    return d_step(G, D, d_opt, real, z), g_loss",
            "simultaneous (G's loss from the old D)": "def train_step(G, D, g_opt, d_opt, real, z):\n"
                "    with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:\n"
                "        fake = G(z, training=True)\n        fake_logits = D(fake, training=True)\n"
                "        d_loss = bce_discriminator_loss(D(real, training=True), fake_logits)\n"
                "        g_loss = non_saturating_generator_loss(fake_logits)\n"
                "    d_opt.apply_gradients(zip(d_tape.gradient(d_loss, D.trainable_variables), D.trainable_variables))\n"
                "    g_opt.apply_gradients(zip(g_tape.gradient(g_loss, G.trainable_variables), G.trainable_variables))\n"
                "    return d_loss, g_loss",
            "new noise for G": "def train_step(G, D, g_opt, d_opt, real, z):\n"
                "    return d_step(G, D, d_opt, real, z), g_step(G, D, g_opt, tf.random.normal(tf.shape(z)))",
            "the course's step": "from gan_course import train\ndef train_step(G, D, g_opt, d_opt, real, z):\n"
                "    out = train.gan_train_step(G, D, g_opt, d_opt, real, grad_norms=False)\n"
                "    return out['d_loss'], out['g_loss']",
        },
        "right": {
            "tf.function (the TensorFlow tutorial's way)": "@tf.function\ndef train_step(G, D, g_opt, d_opt, real, z):\n"
                "    return d_step(G, D, d_opt, real, z), g_step(G, D, g_opt, z)",
            "written out in one function": "def train_step(G, D, g_opt, d_opt, real, z):\n"
                "    with tf.GradientTape() as tape:\n"
                "        d_loss = bce_discriminator_loss(D(real, training=True), D(G(z, training=True), training=True))\n"
                "    d_opt.apply_gradients(zip(tape.gradient(d_loss, D.trainable_variables), D.trainable_variables))\n"
                "    with tf.GradientTape() as tape:\n"
                "        g_loss = non_saturating_generator_loss(D(G(z, training=True), training=True))\n"
                "    g_opt.apply_gradients(zip(tape.gradient(g_loss, G.trainable_variables), G.trainable_variables))\n"
                "    return d_loss, g_loss",
        },
    },
}

A4 = {
    "q1_smoothing": {
        "wrong": {
            "two-sided smoothing (fake targets 0.1)": "def smoothed_d_loss(r, f, real_target=0.9):\n"
                "    ce = tf.nn.sigmoid_cross_entropy_with_logits\n"
                "    return tf.reduce_mean(ce(labels=tf.fill(tf.shape(r), real_target), logits=r)) + "
                "tf.reduce_mean(ce(labels=tf.fill(tf.shape(f), 1 - real_target), logits=f))",
            "keras label_smoothing on both terms": "bce = keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.2)\n"
                "def smoothed_d_loss(r, f, real_target=0.9):\n    return bce(tf.ones_like(r), r) + bce(tf.zeros_like(f), f)",
            "the target ignored (always 0.9)": "_loss = smoothed_d_loss\n"
                "def smoothed_d_loss(r, f, real_target=0.9):\n    return _loss(r, f, 0.9)",
            "targets swapped (fakes 0.9)": "def smoothed_d_loss(r, f, real_target=0.9):\n"
                "    ce = tf.nn.sigmoid_cross_entropy_with_logits\n"
                "    return tf.reduce_mean(ce(labels=tf.zeros_like(r), logits=r)) + "
                "tf.reduce_mean(ce(labels=tf.fill(tf.shape(f), real_target), logits=f))",
            "the course's loss": "from gan_course import losses\n"
                "def smoothed_d_loss(r, f, real_target=0.9):\n    return losses.bce_discriminator_loss(r, f, real_target=real_target)",
        },
        "right": {
            "softplus by hand": "def smoothed_d_loss(r, f, real_target=0.9):\n"
                "    t = real_target\n"
                "    return tf.reduce_mean(t * tf.nn.softplus(-r) + (1 - t) * tf.nn.softplus(r)) + tf.reduce_mean(tf.nn.softplus(f))",
            "keras label_smoothing on the real term only": "def smoothed_d_loss(r, f, real_target=0.9):\n"
                "    smooth = keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=2 * (1 - real_target))\n"
                "    plain = keras.losses.BinaryCrossentropy(from_logits=True)\n"
                "    return smooth(tf.ones_like(r), r) + plain(tf.zeros_like(f), f)",
        },
    },
    "q2_instance_noise": {
        "wrong": {
            "no floor at 0": "def noise_std(step, initial=0.1, decay_steps=1000):\n    return initial * (1 - step / decay_steps)",
            "exponential decay": "def noise_std(step, initial=0.1, decay_steps=1000):\n    return initial * 0.5 ** (step / (decay_steps / 2))",
            "one noise value per image": "def add_instance_noise(images, std, seed):\n"
                "    shape = tf.concat([tf.shape(images)[:1], tf.ones_like(tf.shape(images)[1:])], 0)\n"
                "    return images + std * keras.random.normal(shape, seed=seed)",
            "std used as the variance": "def add_instance_noise(images, std, seed):\n"
                "    return images + np.sqrt(std) * keras.random.normal(tf.shape(images), seed=seed)",
            "NumPy noise, the seed ignored": "def add_instance_noise(images, std, seed):\n"
                "    return images + std * np.random.normal(size=images.shape).astype('float32')",
        },
        "right": {
            "np.clip and stddev=": "def noise_std(step, initial=0.1, decay_steps=1000):\n"
                "    return float(initial * np.clip(1 - step / decay_steps, 0, 1))\n"
                "def add_instance_noise(images, std, seed):\n"
                "    return images + keras.random.normal(keras.ops.shape(images), stddev=std, seed=seed)",
        },
    },
    "q3_gradient_penalty": {
        "wrong": {
            "the penalty at the real points": "def gradient_penalty(critic, real, fake, alpha):\n"
                "    x = tf.convert_to_tensor(real)\n    with tf.GradientTape() as tape:\n        tape.watch(x)\n"
                "        s = critic(x)\n    g = tf.reshape(tape.gradient(s, x), (tf.shape(x)[0], -1))\n"
                "    return tf.reduce_mean((tf.norm(g, axis=1) - 1) ** 2)",
            "one-sided (only norms above 1)": "def gradient_penalty(critic, real, fake, alpha):\n"
                "    x = alpha * real + (1 - alpha) * fake\n    with tf.GradientTape() as tape:\n        tape.watch(x)\n"
                "        s = critic(x)\n    g = tf.reshape(tape.gradient(s, x), (tf.shape(x)[0], -1))\n"
                "    return tf.reduce_mean(tf.nn.relu(tf.norm(g, axis=1) - 1) ** 2)",
            "alpha on the wrong side": "def gradient_penalty(critic, real, fake, alpha):\n"
                "    x = (1 - alpha) * real + alpha * fake\n    with tf.GradientTape() as tape:\n        tape.watch(x)\n"
                "        s = critic(x)\n    g = tf.reshape(tape.gradient(s, x), (tf.shape(x)[0], -1))\n"
                "    return tf.reduce_mean((tf.norm(g, axis=1) - 1) ** 2)",
            "one norm over the batch": "def gradient_penalty(critic, real, fake, alpha):\n"
                "    x = alpha * real + (1 - alpha) * fake\n    with tf.GradientTape() as tape:\n        tape.watch(x)\n"
                "        s = critic(x)\n    return (tf.norm(tape.gradient(s, x)) - 1) ** 2",
            "the course's penalty": "from gan_course import losses\n"
                "def gradient_penalty(critic, real, fake, alpha):\n    return losses.gradient_penalty(critic, real, fake)",
        },
        "right": {
            "tf.norm on the flattened gradient": "def gradient_penalty(critic, real, fake, alpha):\n"
                "    x = fake + alpha * (real - fake)\n    with tf.GradientTape() as tape:\n        tape.watch(x)\n"
                "        s = tf.reduce_sum(critic(x))\n    g = tf.reshape(tape.gradient(s, x), (tf.shape(x)[0], -1))\n"
                "    return tf.reduce_mean(tf.square(tf.norm(g, axis=1) - 1))",
        },
    },
}

A5 = {
    "q1_frechet": {
        "wrong": {
            "elementwise sqrt of S_a S_b": "def frechet_distance(a, b):\n"
                "    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)\n"
                "    return float(((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(ca + cb - 2 * np.sqrt(np.abs(ca @ cb))))",
            "sqrt of the trace": "def frechet_distance(a, b):\n"
                "    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)\n"
                "    return float(((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(ca + cb) - 2 * np.sqrt(np.trace(ca @ cb)))",
            "distance of the means not squared": "def frechet_distance(a, b):\n"
                "    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)\n"
                "    l = np.linalg.eigvals(ca @ cb).real.clip(0)\n"
                "    return float(np.linalg.norm(a.mean(0) - b.mean(0)) + np.trace(ca + cb) - 2 * np.sqrt(l).sum())",
            "the course's function": "from gan_course import metrics\nfrechet_distance = metrics.frechet_distance",
        },
        "right": {
            "scipy.linalg.sqrtm": "import scipy.linalg\ndef frechet_distance(a, b):\n"
                "    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)\n"
                "    root = scipy.linalg.sqrtm(ca @ cb).real\n"
                "    return float(((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(ca + cb - 2 * root))",
            "eigenvalues of S_a S_b": "def frechet_distance(a, b):\n"
                "    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)\n"
                "    l = np.linalg.eigvals(ca @ cb).real.clip(0)\n"
                "    return float(((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(ca + cb) - 2 * np.sqrt(l).sum())",
            "the biased covariance (divide by N)": "def frechet_distance(a, b):\n"
                "    ca, cb = np.cov(a, rowvar=False, bias=True), np.cov(b, rowvar=False, bias=True)\n"
                "    l = np.linalg.eigvals(ca @ cb).real.clip(0)\n"
                "    return float(((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(ca + cb) - 2 * np.sqrt(l).sum())",
        },
    },
    "q2_classifier_score": {
        "wrong": {
            "KL to the uniform distribution": "def classifier_score(p):\n    p = np.clip(p, 1e-12, 1)\n"
                "    return float(np.exp((p * (np.log(p) - np.log(0.1))).sum(1).mean()))",
            "KL reversed": "def classifier_score(p):\n    p = np.clip(p, 1e-12, 1)\n    m = p.mean(0)\n"
                "    return float(np.exp((m * (np.log(m) - np.log(p))).sum(1).mean()))",
            "mean of the exponentials": "def classifier_score(p):\n    p = np.clip(p, 1e-12, 1)\n    m = p.mean(0)\n"
                "    return float(np.exp((p * (np.log(p) - np.log(m))).sum(1)).mean())",
            "no exponential": "def classifier_score(p):\n    p = np.clip(p, 1e-12, 1)\n    m = p.mean(0)\n"
                "    return float((p * (np.log(p) - np.log(m))).sum(1).mean())",
            "the course's function": "from gan_course import metrics\nclassifier_score = lambda p: metrics.classifier_score(p)",
        },
        "right": {
            "entropy of the mean minus mean entropy": "def classifier_score(p):\n    p = np.clip(p, 1e-12, 1)\n    m = p.mean(0)\n"
                "    return float(np.exp(-(m * np.log(m)).sum() + (p * np.log(p)).sum(1).mean()))",
        },
    },
    "q3_modes": {
        "wrong": {
            "share of the high-quality points as the denominator": "def count_modes(samples, centres, std, min_share=0.01):\n"
                "    d = np.linalg.norm(samples[:, None] - centres[None], axis=2)\n    near = d.argmin(1)\n"
                "    good = d.min(1) < 3 * std\n    counts = np.bincount(near[good], minlength=len(centres))\n"
                "    return int((counts >= min_share * max(good.sum(), 1)).sum()), float(good.mean())",
            "within 1 std": "def count_modes(samples, centres, std, min_share=0.01):\n"
                "    d = np.linalg.norm(samples[:, None] - centres[None], axis=2)\n    near = d.argmin(1)\n"
                "    good = d.min(1) < std\n    counts = np.bincount(near[good], minlength=len(centres))\n"
                "    return int((counts >= min_share * len(samples)).sum()), float(good.mean())",
            "strictly more than min_share": "def count_modes(samples, centres, std, min_share=0.01):\n"
                "    d = np.linalg.norm(samples[:, None] - centres[None], axis=2)\n    near = d.argmin(1)\n"
                "    good = d.min(1) < 3 * std\n    counts = np.bincount(near[good], minlength=len(centres))\n"
                "    return int((counts > min_share * len(samples)).sum()), float(good.mean())",
            "the course's function": "from gan_course import metrics\ndef count_modes(samples, centres, std, min_share=0.01):\n"
                "    r = metrics.mode_coverage(samples, centres, std, min_share=min_share)\n"
                "    return r['modes_captured'], r['high_quality_share']",
        },
        "right": {
            "a loop over the centres, squared distances": "def count_modes(samples, centres, std, min_share=0.01):\n"
                "    d2 = np.stack([((samples - c) ** 2).sum(1) for c in centres], 1)\n"
                "    near, good = d2.argmin(1), d2.min(1) < (3 * std) ** 2\n"
                "    captured = sum(int(np.sum(good & (near == k)) >= min_share * len(samples)) for k in range(len(centres)))\n"
                "    return captured, float(np.mean(good))",
        },
    },
}

A6 = {
    "q1_conditional_input": {
        "wrong": {
            "labels first": "def conditional_input(z, labels, num_classes=10):\n"
                "    return tf.concat([tf.one_hot(labels, num_classes), tf.cast(z, tf.float32)], 1)",
            "the label as one number": "def conditional_input(z, labels, num_classes=10):\n"
                "    return tf.concat([tf.cast(z, tf.float32), tf.cast(tf.reshape(labels, (-1, 1)), tf.float32)], 1)",
            "10 classes always": "def conditional_input(z, labels, num_classes=10):\n"
                "    return tf.concat([tf.cast(z, tf.float32), tf.one_hot(labels, 10)], 1)",
            "one-hot off by one": "def conditional_input(z, labels, num_classes=10):\n"
                "    return tf.concat([tf.cast(z, tf.float32), tf.one_hot(tf.constant(labels) - 1, num_classes)], 1)",
        },
        "right": {
            "NumPy": "def conditional_input(z, labels, num_classes=10):\n"
                "    return np.concatenate([np.asarray(z, 'float32'), np.eye(num_classes, dtype='float32')[np.asarray(labels)]], 1)",
            "keras.ops": "import keras\ndef conditional_input(z, labels, num_classes=10):\n"
                "    return keras.ops.concatenate([z, keras.ops.one_hot(labels, num_classes)], axis=-1)",
        },
    },
    "q2_projection": {
        "wrong": {
            "no projection term": "def projection_logit(features, w, b, class_embeddings, labels):\n"
                "    return tf.linalg.matvec(tf.cast(features, tf.float32), tf.cast(w, tf.float32)) + b",
            "the first image's label for all": "def projection_logit(features, w, b, class_embeddings, labels):\n"
                "    f = tf.cast(features, tf.float32)\n"
                "    e = tf.cast(class_embeddings, tf.float32)[int(labels[0])]\n"
                "    return tf.linalg.matvec(f, tf.cast(w, tf.float32)) + b + tf.linalg.matvec(f, e)",
            "the embedding summed, not projected": "def projection_logit(features, w, b, class_embeddings, labels):\n"
                "    f = tf.cast(features, tf.float32)\n"
                "    return tf.linalg.matvec(f, tf.cast(w, tf.float32)) + b + tf.reduce_sum(tf.gather(tf.cast(class_embeddings, tf.float32), labels), 1)",
            "no bias": "def projection_logit(features, w, b, class_embeddings, labels):\n"
                "    f = tf.cast(features, tf.float32)\n"
                "    return tf.linalg.matvec(f, tf.cast(w, tf.float32)) + tf.reduce_sum(tf.gather(tf.cast(class_embeddings, tf.float32), labels) * f, 1)",
        },
        "right": {
            "einsum in NumPy": "def projection_logit(features, w, b, class_embeddings, labels):\n"
                "    e = np.asarray(class_embeddings)[np.asarray(labels)]\n"
                "    return (np.asarray(features) @ np.asarray(w) + b + np.einsum('nf,nf->n', np.asarray(features), e)).astype('float32')",
            "one vector per image, w added": "def projection_logit(features, w, b, class_embeddings, labels):\n"
                "    v = tf.gather(tf.cast(class_embeddings, tf.float32), labels) + tf.cast(w, tf.float32)\n"
                "    return tf.reduce_sum(v * tf.cast(features, tf.float32), axis=-1) + b",
        },
    },
    "q3_label_accuracy": {
        "wrong": {
            "argmax over the batch axis": "def label_accuracy(probs, requested):\n"
                "    p = np.asarray(probs)\n    return float(np.mean(np.argmax(p, axis=0)[:len(requested)] == requested))",
            "confident samples only": "def label_accuracy(probs, requested):\n"
                "    p = np.asarray(probs)\n    return float(np.mean((p.argmax(1) == requested) & (p.max(1) > 0.65)))",
            "the count, not the share": "def label_accuracy(probs, requested):\n"
                "    return float(np.sum(np.argmax(probs, 1) == requested))",
        },
        "right": {
            "a loop": "def label_accuracy(probs, requested):\n"
                "    hits = [int(np.argmax(row)) == int(y) for row, y in zip(probs, requested)]\n"
                "    return sum(hits) / len(hits)",
        },
    },
}

A7 = {
    "q1_losses": {
        "wrong": {
            "signs swapped": "def critic_loss(r, f):\n    return tf.reduce_mean(r) - tf.reduce_mean(f)",
            "one mean over both batches": "def critic_loss(r, f):\n    return tf.reduce_mean(tf.concat([f, -r], 0))",
            "BCE on the scores": "def critic_loss(r, f):\n"
                "    return tf.reduce_mean(tf.nn.softplus(-r)) + tf.reduce_mean(tf.nn.softplus(f))",
            "generator loss without the minus": "def generator_loss(f):\n    return tf.reduce_mean(f)",
            "the course's losses": "from gan_course import losses\n"
                "critic_loss = losses.wasserstein_discriminator_loss\ngenerator_loss = losses.adversarial_generator_loss",
        },
        "right": {
            "keras.ops": "import keras\ncritic_loss = lambda r, f: keras.ops.mean(f) - keras.ops.mean(r)\n"
                "generator_loss = lambda f: -keras.ops.mean(f)",
        },
    },
    "q2_clip": {
        "wrong": {
            "kernels only": "def clip_critic(critic, c=0.01):\n    for v in critic.trainable_variables:\n"
                "        if len(v.shape) > 1:\n            v.assign(tf.clip_by_value(v, -c, c))",
            "clipped to [0, c]": "def clip_critic(critic, c=0.01):\n    for v in critic.trainable_variables:\n"
                "        v.assign(tf.clip_by_value(v, 0.0, c))",
            "every variable, moving statistics too": "def clip_critic(critic, c=0.01):\n    for v in critic.variables:\n"
                "        v.assign(tf.clip_by_value(v, -c, c))",
            "clipped copies, never assigned": "def clip_critic(critic, c=0.01):\n"
                "    return [tf.clip_by_value(v, -c, c) for v in critic.trainable_variables]",
        },
        "right": {
            "set_weights of the trainable ones": "def clip_critic(critic, c=0.01):\n"
                "    for layer in critic.layers:\n"
                "        trainable = {id(v) for v in layer.trainable_weights}\n"
                "        layer.set_weights([np.clip(np.asarray(v), -c, c) if id(v) in trainable else np.asarray(v) for v in layer.weights])",
            "keras.ops.clip": "import keras\ndef clip_critic(critic, c=0.01):\n"
                "    for v in critic.trainable_variables:\n        v.assign(keras.ops.clip(v, -c, c))",
        },
    },
    "q3_critic_steps": {
        "wrong": {
            "clip before the update": "def critic_steps(critic, generator, c_opt, real_batches, z_batches, c=0.01):\n"
                "    out = []\n    for real, z in zip(real_batches, z_batches):\n        clip_critic(critic, c)\n"
                "        with tf.GradientTape() as tape:\n            loss = critic_loss(critic(real), critic(generator(z)))\n"
                "        c_opt.apply_gradients(zip(tape.gradient(loss, critic.trainable_variables), critic.trainable_variables))\n"
                "        out.append(loss)\n    return out",
            "no clipping": "def critic_steps(critic, generator, c_opt, real_batches, z_batches, c=0.01):\n"
                "    out = []\n    for real, z in zip(real_batches, z_batches):\n"
                "        with tf.GradientTape() as tape:\n            loss = critic_loss(critic(real), critic(generator(z)))\n"
                "        c_opt.apply_gradients(zip(tape.gradient(loss, critic.trainable_variables), critic.trainable_variables))\n"
                "        out.append(loss)\n    return out",
            "the first batch every step": "def critic_steps(critic, generator, c_opt, real_batches, z_batches, c=0.01):\n"
                "    out = []\n    for _ in real_batches:\n"
                "        with tf.GradientTape() as tape:\n            loss = critic_loss(critic(real_batches[0]), critic(generator(z_batches[0])))\n"
                "        c_opt.apply_gradients(zip(tape.gradient(loss, critic.trainable_variables), critic.trainable_variables))\n"
                "        clip_critic(critic, c)\n        out.append(loss)\n    return out",
            "gradient ascent": "def critic_steps(critic, generator, c_opt, real_batches, z_batches, c=0.01):\n"
                "    out = []\n    for real, z in zip(real_batches, z_batches):\n"
                "        with tf.GradientTape() as tape:\n            loss = critic_loss(critic(real), critic(generator(z)))\n"
                "        c_opt.apply_gradients(zip([-g for g in tape.gradient(loss, critic.trainable_variables)], critic.trainable_variables))\n"
                "        clip_critic(critic, c)\n        out.append(loss)\n    return out",
            "the generator updated too": "def critic_steps(critic, generator, c_opt, real_batches, z_batches, c=0.01):\n"
                "    out = []\n    for real, z in zip(real_batches, z_batches):\n"
                "        with tf.GradientTape() as tape:\n            loss = critic_loss(critic(real), critic(generator(z)))\n"
                "        v = critic.trainable_variables + generator.trainable_variables\n"
                "        c_opt.apply_gradients(zip(tape.gradient(loss, v), v))\n"
                "        clip_critic(critic, c)\n        out.append(loss)\n    return out",
        },
        "right": {
            "tf.function step, losses as floats": "@tf.function\ndef _critic_step(critic, generator, c_opt, real, z):\n"
                "    with tf.GradientTape() as tape:\n"
                "        loss = tf.reduce_mean(critic(generator(z, training=True), training=True)) - tf.reduce_mean(critic(real, training=True))\n"
                "    c_opt.apply(tape.gradient(loss, critic.trainable_variables), critic.trainable_variables)\n    return loss\n"
                "def critic_steps(critic, generator, c_opt, real_batches, z_batches, c=0.01):\n"
                "    losses = []\n    for real, z in zip(real_batches, z_batches):\n"
                "        losses.append(float(_critic_step.python_function(critic, generator, c_opt, real, z)))\n"
                "        clip_critic(critic, c)\n    return losses",
        },
    },
}

A8 = {
    "q1_reparameterize": {
        "wrong": {
            "the variance instead of the std": "def reparameterize(m, lv, eps):\n    return m + tf.exp(lv) * eps",
            "log_var as the std": "def reparameterize(m, lv, eps):\n    return m + lv * eps",
            "NumPy (no gradient)": "def reparameterize(m, lv, eps):\n"
                "    return tf.constant(np.asarray(m) + np.exp(np.asarray(lv) / 2) * np.asarray(eps))",
            "eps ignored, a fresh draw": "def reparameterize(m, lv, eps):\n"
                "    return m + tf.exp(lv / 2) * tf.random.normal(tf.shape(m))",
        },
        "right": {
            "sqrt of exp": "def reparameterize(m, lv, eps):\n    return tf.sqrt(tf.exp(lv)) * eps + m",
            "keras.ops": "import keras\ndef reparameterize(m, lv, eps):\n    return m + keras.ops.exp(lv * 0.5) * eps",
        },
    },
    "q2_kl": {
        "wrong": {
            "mean over the latents": "def kl_to_prior(m, lv):\n"
                "    return tf.reduce_mean(-0.5 * (1.0 + lv - tf.square(m) - tf.exp(lv)))",
            "no 1/2": "def kl_to_prior(m, lv):\n"
                "    return tf.reduce_mean(-tf.reduce_sum(1.0 + lv - tf.square(m) - tf.exp(lv), 1))",
            "the std for the variance": "def kl_to_prior(m, lv):\n"
                "    return tf.reduce_mean(-0.5 * tf.reduce_sum(1.0 + lv - tf.square(m) - tf.exp(lv / 2), 1))",
            "sum over the batch too": "def kl_to_prior(m, lv):\n"
                "    return -0.5 * tf.reduce_sum(1.0 + lv - tf.square(m) - tf.exp(lv))",
            "the course's loss": "from gan_course import losses\ndef kl_to_prior(m, lv):\n"
                "    return losses.negative_elbo(tf.zeros((1, 1)), tf.zeros((1, 1)), m, lv)[1]",
        },
        "right": {
            "in terms of sigma": "def kl_to_prior(m, lv):\n    sigma = tf.exp(lv / 2)\n"
                "    return tf.reduce_mean(tf.reduce_sum(-tf.math.log(sigma) + (sigma ** 2 + m ** 2) / 2 - 0.5, axis=-1))",
        },
    },
    "q3_negative_elbo": {
        "wrong": {
            "a mean over the pixels": "def negative_elbo(x, xm, m, lv, sigma=0.1):\n"
                "    return tf.reduce_mean(tf.square(x - xm)) / (2 * sigma ** 2) + kl_to_prior(m, lv)",
            "no 1 / (2 sigma²)": "def negative_elbo(x, xm, m, lv, sigma=0.1):\n"
                "    return tf.reduce_mean(tf.reduce_sum(tf.square(x - xm), axis=[1, 2, 3])) + kl_to_prior(m, lv)",
            "no KL": "def negative_elbo(x, xm, m, lv, sigma=0.1):\n"
                "    return tf.reduce_mean(tf.reduce_sum(tf.square(x - xm), axis=[1, 2, 3])) / (2 * sigma ** 2)",
            "sigma fixed at 0.1": "def negative_elbo(x, xm, m, lv, sigma=0.1):\n"
                "    return tf.reduce_mean(tf.reduce_sum(tf.square(x - xm), axis=[1, 2, 3])) / 0.02 + kl_to_prior(m, lv)",
            "the course's loss": "from gan_course import losses\ndef negative_elbo(x, xm, m, lv, sigma=0.1):\n"
                "    return tf.add_n(losses.negative_elbo(x, xm, m, lv, sigma))",
        },
        "right": {
            "flattened images": "def negative_elbo(x, xm, m, lv, sigma=0.1):\n"
                "    d = tf.reshape(x - xm, (tf.shape(x)[0], -1))\n"
                "    return tf.reduce_mean(tf.reduce_sum(d * d, axis=1) / (2 * sigma * sigma)) + kl_to_prior(m, lv)",
        },
    },
}

_ONE_STEP = """def train_step(G, D, g_opt, d_opt, real, z):
    with tf.GradientTape() as tape:
        d_loss = bce_discriminator_loss(D(real, training=True), D(G(z, training=True), training=True))
    {d_opt}.apply_gradients(zip(tape.gradient(d_loss, D.trainable_variables), D.trainable_variables))
    with tf.GradientTape() as tape:
        g_loss = non_saturating_generator_loss(D(G({g_z}, training=True), training=True))
    {g_opt}.apply_gradients(zip(tape.gradient(g_loss, G.trainable_variables), G.trainable_variables))
    return d_loss, g_loss"""

A9 = {
    "q1_train_step": {
        "wrong": {
            "optimizers swapped": _ONE_STEP.format(d_opt="g_opt", g_opt="d_opt", g_z="z"),
            "new noise for G": _ONE_STEP.format(d_opt="d_opt", g_opt="g_opt", g_z="tf.random.normal(tf.shape(z))"),
            "simultaneous (G's loss from the old D)": A3["q3_train_step"]["wrong"]["simultaneous (G's loss from the old D)"],
        },
        "right": {"tf.function (the TensorFlow tutorial's way)": "@tf.function\n" + A3["q3_train_step"]["right"]["written out in one function"]},
    },
    "q2_train": {
        "wrong": {
            "no training": "def train_gan(G, D, images, steps, batch_size=64, seed=0):\n    return []",
            "the same batch and noise at every step": "def train_gan(G, D, images, steps, batch_size=64, seed=0):\n"
                "    g_opt, d_opt = keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5)\n"
                "    step, rng = tf.function(train_step), np.random.default_rng(seed)\n"
                "    real = images[rng.integers(0, len(images), batch_size)]\n"
                "    z = rng.normal(size=(batch_size, G.inputs[0].shape[-1])).astype('float32')\n"
                "    return [tuple(float(v) for v in step(G, D, g_opt, d_opt, real, z)) for _ in range(steps)]",
        },
        "right": {
            "a while loop": "def train_gan(G, D, images, steps, batch_size=64, seed=0):\n"
                "    opts = [keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5) for _ in range(2)]\n"
                "    step, rng, history = tf.function(train_step), np.random.default_rng(seed), []\n"
                "    while len(history) < steps:\n"
                "        real = images[rng.integers(0, len(images), batch_size)]\n"
                "        z = np.float32(rng.normal(size=(batch_size, G.inputs[0].shape[-1])))\n"
                "        history.append(tuple(map(float, step(G, D, opts[0], opts[1], real, z))))\n"
                "    return history",
        },
    },
}

ANSWERS = {"A1_objective": A1, "A2_models": A2, "A3_train_step": A3, "A4_stabilising": A4, "A5_measuring": A5,
           "A6_conditional": A6, "A7_wasserstein": A7, "A8_vae": A8, "A9_train_a_gan": A9}
