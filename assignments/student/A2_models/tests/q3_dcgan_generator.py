from otter.test_files import test_case

OK_FORMAT = False

name = "q3_dcgan_generator"
points = 3

@test_case(points=None, hidden=False)
def check_1(dcgan_generator, layers):
    G = dcgan_generator(64)
    explain = lambda: 'dcgan_generator returned None: build the model and return it.'
    assert G is not None, explain()
    from gan_course.grading import course_functions_used
    used = course_functions_used(dcgan_generator, 'gan_course.models')
    explain = lambda: f"dcgan_generator calls the course's {used[0]}: build the model yourself."
    assert not used, explain()
    shapes = [tuple(layer.output.shape[1:]) for layer in G.layers if isinstance(layer, (layers.Reshape, layers.Conv2DTranspose))]
    explain = lambda: f"The feature maps should go (7, 7, 64) -> (14, 14, 32) -> (28, 28, 1); yours go {shapes}. Strides 2 with padding 'same' double the size."
    assert shapes == [(7, 7, 64), (14, 14, 32), (28, 28, 1)], explain()

@test_case(points=None, hidden=False)
def check_2(dcgan_generator):
    G = dcgan_generator(64)
    expected = 64 * 3136 + 4 * 3136 + 5 * 5 * 64 * 32 + 4 * 32 + (5 * 5 * 32 + 1)
    explain = lambda: f'G should have {expected:,} parameters; yours has {G.count_params():,}.' + (' Drop the biases of the layers followed by batch norm (use_bias=False).' if G.count_params() in (expected + 3136, expected + 32, expected + 3168) else '')
    assert G.count_params() == expected, explain()

@test_case(points=None, hidden=False)
def check_3(dcgan_generator, np):
    G = dcgan_generator(64)
    shapes = [tuple(w.shape) for w in G.get_weights()]
    spec = [(64, 3136)] + [(3136,)] * 4 + [(5, 5, 32, 64)] + [(32,)] * 4 + [(5, 5, 1, 32), (1,)]
    explain = lambda: f"G's weights should have the shapes {spec} (Dense, batch norm, ...); yours: {shapes}."
    assert shapes == spec, explain()
    up1, up2 = (np.zeros((5, 5, 32, 64)), np.zeros((5, 5, 1, 32)))
    up1[2, 2], up2[2, 2] = (1 / 64, 1 / 32)
    bn = lambda gamma, beta, n: [np.full(n, gamma), np.full(n, beta), np.zeros(n), np.ones(n)]
    for bias, expected, why in [(0.0, np.tanh(-0.04), "a LeakyReLU with slope 0.2 after each batch norm (Keras' default slope is 0.3; ReLU gives 0)"), (-3.0, np.tanh(-3.04), 'tanh on the last layer')]:
        G.set_weights([np.zeros((64, 3136)), *bn(0, -1, 3136), up1, *bn(1, 0, 32), up2, np.array([bias])])
        low = float(np.asarray(G(np.zeros((1, 64), 'float32'), training=False)).min())
        explain = lambda: f"With block 1's units at -1 before their activation and the output bias at {bias:g}, G's lowest pixel should be tanh(0.2 * 0.2 * -1 + {bias:g}) = {expected:.4f}; yours is {low:.4f}. Check {why}."
        assert abs(low - expected) < 0.0001, explain()

