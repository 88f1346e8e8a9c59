from otter.test_files import test_case

OK_FORMAT = False

name = "q2_mlp_discriminator"
points = 2

@test_case(points=None, hidden=False)
def check_1(mlp_discriminator, np):
    D = mlp_discriminator()
    explain = lambda: 'mlp_discriminator returned None: build the model and return it.'
    assert D is not None, explain()
    from gan_course.grading import course_functions_used
    used = course_functions_used(mlp_discriminator, 'gan_course.models')
    explain = lambda: f"mlp_discriminator calls the course's {used[0]}: build the model yourself."
    assert not used, explain()
    out = np.asarray(D(np.zeros((5, 28, 28, 1), 'float32')))
    explain = lambda: f'D should give one logit per image, shape (N, 1); yours gives {out.shape}.'
    assert out.shape == (5, 1), explain()
    expected = 784 * 256 + 256 + (256 + 1)
    explain = lambda: f'D should have {expected:,} parameters; yours has {D.count_params():,}.'
    assert D.count_params() == expected, explain()

@test_case(points=None, hidden=False)
def check_2(mlp_discriminator, np):
    D = mlp_discriminator()
    shapes = [tuple(w.shape) for w in D.get_weights()]
    explain = lambda: f"D's weights should have the shapes of Dense 784->256 and 256->1; yours: {shapes}."
    assert shapes == [(784, 256), (256,), (256, 1), (1,)], explain()
    D.set_weights([np.zeros((784, 256)), -np.ones(256), np.full((256, 1), 1 / 256), np.array([0.5])])
    logit = float(np.asarray(D(np.zeros((1, 28, 28, 1), 'float32')))[0, 0])
    explain = lambda: f"With every hidden pre-activation at -1 and the last layer averaging them plus 0.5, D's output should be LeakyReLU(-1) + 0.5 = 0.3; yours is {logit:.3f}. The hidden activation is LeakyReLU with slope 0.2 (0.5 means ReLU, 0.2 Keras' default slope 0.3, -0.5 none), and the output is a logit: no sigmoid (0.574)."
    assert abs(logit - 0.3) < 1e-05, explain()

