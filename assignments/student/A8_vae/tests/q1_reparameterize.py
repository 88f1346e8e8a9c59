from otter.test_files import test_case

OK_FORMAT = False

name = "q1_reparameterize"
points = 2

@test_case(points=None, hidden=False)
def check_1(reparameterize, tf, np):
    z = reparameterize(tf.constant([[1.0, -2.0]]), tf.constant([[np.log(4.0), 0.0]], tf.float32), tf.constant([[0.5, 3.0]]))
    explain = lambda: 'reparameterize returned None: replace the ... and return z.'
    assert z is not None, explain()
    z = np.asarray(z)
    explain = lambda: f'With mean (1, -2), log variance (log 4, 0) and eps (0.5, 3), z should be mean + std * eps = (1 + 2 * 0.5, -2 + 1 * 3) = (2, 1); yours is {np.round(z, 4).tolist()}. The std is exp(log_var / 2), not the variance exp(log_var) nor log_var itself.'
    assert np.allclose(z, [[2.0, 1.0]]), explain()

@test_case(points=None, hidden=False)
def check_2(reparameterize, tf, np):
    mean, log_var = (tf.Variable([[0.3]]), tf.Variable([[np.log(9.0)]], dtype=tf.float32))
    with tf.GradientTape() as tape:
        z = reparameterize(mean, log_var, tf.constant([[2.0]]))
    d_mean, d_log_var = (float(np.asarray(g).ravel()[0]) if g is not None else None for g in tape.gradient(z, [mean, log_var]))
    explain = lambda: 'No gradient reaches the mean or the log variance: compute z from them with TensorFlow operations (no NumPy, no random draw inside).'
    assert d_mean is not None and d_log_var is not None, explain()
    explain = lambda: f'dz/d mean should be 1 and dz/d log_var std * eps / 2 = 3 * 2 / 2 = 3; yours are {d_mean:.3f} and {d_log_var:.3f}.'
    assert abs(d_mean - 1.0) < 1e-05 and abs(d_log_var - 3.0) < 0.0001, explain()

