from otter.test_files import test_case

OK_FORMAT = False

name = "q3_critic_steps"
points = 3

@test_case(points=None, hidden=False)
def check_1(critic_steps, keras, tf, np):
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, use_bias=False)])
    generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, use_bias=False)])
    critic.set_weights([np.array([[0.2], [-0.3]])])
    generator.set_weights([np.eye(2)])
    real = [np.array([[1.0, 0.0], [3.0, 0.0]], 'float32'), np.array([[0.0, 0.05]], 'float32'), np.array([[0.0, 1.0]], 'float32')]
    z = [np.array([[0.0, 0.0]], 'float32'), np.array([[0.0, 0.0]], 'float32'), np.array([[0.0, 0.2]], 'float32')]
    losses = critic_steps(critic, generator, keras.optimizers.SGD(1.0), real, z, c=0.1)
    explain = lambda: 'critic_steps should return one loss per (real, z) pair: 3 here.'
    assert losses is not None and len(losses) == 3, explain()
    w, expected_w, expected_losses = (np.array([0.2, -0.3]), [], [])
    for r, f in zip(real, z):
        expected_losses.append(float(f.mean(0) @ w - r.mean(0) @ w))
        w = np.clip(w - (f.mean(0) - r.mean(0)), -0.1, 0.1)
        expected_w.append(w)
    mine = np.asarray(critic.get_weights()[0]).ravel()
    explain = lambda: f'The losses should be {np.round(expected_losses, 4).tolist()} (each before its update); yours are {[round(float(l), 4) for l in losses]}. Use a new pair (real, z) at every step.'
    assert np.allclose([float(l) for l in losses], expected_losses, atol=1e-05), explain()
    explain = lambda: f"After 3 steps (SGD rate 1, clipping to 0.1 after each update) the critic's weights should be {expected_w[-1].tolist()}; yours are {np.round(mine, 4).tolist()}. Update first, then clip; clip after every step."
    assert np.allclose(mine, expected_w[-1], atol=1e-05), explain()
    explain = lambda: "critic_steps changed the generator: differentiate with respect to the critic's variables only."
    assert np.allclose(generator.get_weights()[0], np.eye(2)), explain()

