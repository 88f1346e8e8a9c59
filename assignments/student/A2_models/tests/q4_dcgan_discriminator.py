from otter.test_files import test_case

OK_FORMAT = False

name = "q4_dcgan_discriminator"
points = 3

@test_case(points=None, hidden=False)
def check_1(dcgan_discriminator, layers):
    D = dcgan_discriminator()
    explain = lambda: 'dcgan_discriminator returned None: build the model and return it.'
    assert D is not None, explain()
    from gan_course.grading import course_functions_used
    used = course_functions_used(dcgan_discriminator, 'gan_course.models')
    explain = lambda: f"dcgan_discriminator calls the course's {used[0]}: build the model yourself."
    assert not used, explain()
    shapes = [tuple(layer.output.shape[1:]) for layer in D.layers if isinstance(layer, layers.Conv2D)]
    explain = lambda: f'The feature maps should go (14, 14, 32) -> (7, 7, 64); yours go {shapes}.'
    assert shapes == [(14, 14, 32), (7, 7, 64)], explain()
    explain = lambda: 'No pooling layers: use strides 2.'
    assert not [l for l in D.layers if 'Pooling' in type(l).__name__], explain()

@test_case(points=None, hidden=False)
def check_2(dcgan_discriminator, np):
    D = dcgan_discriminator()
    expected = 5 * 5 * 1 * 32 + 32 + (5 * 5 * 32 * 64 + 64) + (7 * 7 * 64 + 1)
    explain = lambda: f'D should have {expected:,} parameters; yours has {D.count_params():,}.'
    assert D.count_params() == expected, explain()
    explain = lambda: 'D should give one logit per image.'
    assert np.asarray(D(np.zeros((3, 28, 28, 1), 'float32'))).shape == (3, 1), explain()

@test_case(points=None, hidden=False)
def check_3(dcgan_discriminator, np):
    D = dcgan_discriminator()
    shapes = [tuple(w.shape) for w in D.get_weights()]
    spec = [(5, 5, 1, 32), (32,), (5, 5, 32, 64), (64,), (3136, 1), (1,)]
    explain = lambda: f"D's weights should have the shapes {spec}; yours: {shapes}."
    assert shapes == spec, explain()
    conv2 = np.zeros((5, 5, 32, 64))
    conv2[2, 2] = 1 / 32
    D.set_weights([np.zeros((5, 5, 1, 32)), -np.ones(32), conv2, np.zeros(64), np.full((3136, 1), 1 / 3136), np.zeros(1)])
    logit = float(np.asarray(D(np.zeros((1, 28, 28, 1), 'float32')))[0, 0])
    explain = lambda: f"With the first convolution's outputs at -1, D's logit should be LeakyReLU(LeakyReLU(-1)) = 0.2 * 0.2 * -1 = -0.04; yours is {logit:.4f}. Each convolution is followed by a LeakyReLU with slope 0.2 (-0.09: Keras' default slope 0.3; 0: ReLU; -1: no activation), and the output is a logit, with no sigmoid (0.49)."
    assert abs(logit - -0.04) < 1e-05, explain()

