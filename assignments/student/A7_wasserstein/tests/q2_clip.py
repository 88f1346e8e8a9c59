from otter.test_files import test_case

OK_FORMAT = False

name = "q2_clip"
points = 2

@test_case(points=None, hidden=False)
def check_1(clip_critic, keras, np):
    critic = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    critic.set_weights([np.array([[-0.5], [0.005], [0.3]]), np.array([-0.2])])
    clip_critic(critic, 0.01)
    kernel, bias = critic.get_weights()
    explain = lambda: f'Clipping the weights (-0.5, 0.005, 0.3) to [-0.01, 0.01] gives (-0.01, 0.005, 0.01); yours are {kernel.ravel().tolist()}. Assign the clipped values back to each variable (variable.assign), keeping their sign.'
    assert np.allclose(kernel.ravel(), [-0.01, 0.005, 0.01]), explain()
    explain = lambda: f'The bias -0.2 should be clipped too, to -0.01; yours is {bias.tolist()}: clip every trainable variable.'
    assert np.allclose(bias, [-0.01]), explain()

@test_case(points=None, hidden=False)
def check_2(clip_critic, keras, np):
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2), keras.layers.BatchNormalization(), keras.layers.Dense(1)])
    weights = [np.full(tuple(w.shape), 5.0) for w in critic.get_weights()]
    critic.set_weights(weights)
    clip_critic(critic, 0.1)
    trainable = {id(v) for v in critic.trainable_variables}
    for variable in critic.variables:
        value = np.asarray(variable)
        if id(variable) in trainable:
            explain = lambda: f'The trainable variable {variable.path} should be clipped to 0.1; it is {value.ravel()[:3]}.'
            assert np.allclose(value, 0.1), explain()
        else:
            explain = lambda: f'{variable.path} is not trainable (a batch norm moving statistic) and should keep its value 5; yours became {value.ravel()[:3]}. Clip critic.trainable_variables only.'
            assert np.allclose(value, 5.0), explain()

