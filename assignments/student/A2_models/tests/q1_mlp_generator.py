from otter.test_files import test_case

OK_FORMAT = False

name = "q1_mlp_generator"
points = 2

@test_case(points=None, hidden=False)
def check_1(mlp_generator, np):
    G = mlp_generator(64)
    explain = lambda: 'mlp_generator returned None: build the model and return it.'
    assert G is not None, explain()
    from gan_course.grading import course_functions_used
    used = course_functions_used(mlp_generator, 'gan_course.models')
    explain = lambda: f"mlp_generator calls the course's {used[0]}: build the model yourself."
    assert not used, explain()
    out = np.asarray(G(np.random.default_rng(0).normal(size=(3, 64)).astype('float32')))
    explain = lambda: f'G should output images of shape (N, 28, 28, 1); yours gives {out.shape}.'
    assert out.shape == (3, 28, 28, 1), explain()

@test_case(points=None, hidden=False)
def check_2(mlp_generator):
    G = mlp_generator(64)
    expected = 64 * 256 + 256 + (256 * 784 + 784)
    explain = lambda: f'G should have {expected:,} parameters (Dense 64->256 and 256->784, with biases); yours has {G.count_params():,}. Check the layer sizes.'
    assert G.count_params() == expected, explain()

@test_case(points=None, hidden=False)
def check_3(mlp_generator, np):
    G = mlp_generator(64)
    shapes = [tuple(w.shape) for w in G.get_weights()]
    explain = lambda: f"G's weights should have the shapes of Dense 64->256 and 256->784; yours: {shapes}."
    assert shapes == [(64, 256), (256,), (256, 784), (784,)], explain()
    w2 = np.zeros((256, 784), 'float32')
    w2[:, :392] = 1 / 256
    G.set_weights([np.zeros((64, 256)), -np.ones(256), w2, np.repeat([0.0, -3.0], 392)])
    out = np.asarray(G(np.zeros((1, 64), 'float32'))).reshape(-1)
    hidden, low = (out[:392].mean(), out[392:].mean())
    explain = lambda: f"With every hidden pre-activation at -1, G's pixels should be tanh(LeakyReLU(-1)) = tanh(-0.2) = -0.197; yours are {hidden:.3f}. The hidden activation should be LeakyReLU with negative slope 0.2 (Keras' default is 0.3; ReLU gives 0)."
    assert abs(hidden - np.tanh(-0.2)) < 1e-05, explain()
    explain = lambda: f"A pixel with pre-activation -3 should be tanh(-3) = -0.995; yours is {low:.3f}. The last Dense layer needs tanh, whose range [-1, 1] is the images' range."
    assert abs(low - np.tanh(-3.0)) < 1e-05, explain()

