from otter.test_files import test_case

OK_FORMAT = False

name = "q3_gradient_penalty"
points = 3

@test_case(points=None, hidden=False)
def check_1(np, tf, gradient_penalty):
    w = np.array([[0.6], [2.0], [-1.0]], np.float32)
    critic = lambda x: tf.matmul(x, w) + 0.5
    rng = np.random.default_rng(0)
    real, fake = (tf.constant(rng.normal(size=(8, 3)), tf.float32) for _ in range(2))
    alpha = tf.constant(rng.uniform(size=(8, 1)), tf.float32)
    value = gradient_penalty(critic, real, fake, alpha)
    explain = lambda: 'gradient_penalty returned None: replace the ... and return the penalty.'
    assert value is not None, explain()
    from gan_course.grading import course_functions_used
    used = course_functions_used(gradient_penalty, 'gan_course.losses')
    explain = lambda: f"gradient_penalty calls the course's {used[0]}: write the penalty yourself."
    assert not used, explain()
    expected = (np.linalg.norm(w) - 1) ** 2
    explain = lambda: f'For a linear critic with ||w|| = {np.linalg.norm(w):.3f} the penalty is (||w|| - 1)^2 = {expected:.4f}; you returned {float(value):.4f}. Is the norm taken per sample (over all axes but the batch axis), and squared after subtracting 1?'
    assert abs(float(value) - expected) < 0.0001, explain()

@test_case(points=None, hidden=False)
def check_2(tf, np, gradient_penalty):
    w = tf.constant(np.full((28 * 28, 1), 1 / 28, np.float32))
    critic = lambda x: tf.matmul(tf.reshape(x, (-1, 28 * 28)), w)
    images = tf.zeros((4, 28, 28, 1))
    value = float(gradient_penalty(critic, images, images + 1.0, tf.fill((4, 1, 1, 1), 0.3)))
    explain = lambda: f'A linear critic with ||w|| = 1 on images (N, 28, 28, 1) has penalty 0; yours gives {value:.4f}. Sum the squared gradient over the axes 1, 2 and 3 of each image.'
    assert abs(value) < 0.0001, explain()

@test_case(points=None, hidden=False)
def check_3(tf, np, gradient_penalty):
    critic = lambda x: 0.5 * tf.reduce_sum(x * x, axis=1)
    real = np.array([[2.0, 0.0], [0.0, 0.5], [1.0, 1.0]], np.float32)
    fake = np.array([[0.0, 0.0], [0.0, 3.0], [-1.0, 0.0]], np.float32)
    alpha = np.array([[0.25], [0.5], [1.0]], np.float32)
    x_hat = alpha * real + (1 - alpha) * fake
    expected = np.mean((np.linalg.norm(x_hat, axis=1) - 1) ** 2)
    value = float(gradient_penalty(critic, tf.constant(real), tf.constant(fake), tf.constant(alpha)))
    explain = lambda: f'For the critic 0.5 ||x||^2 (gradient x) the penalty should be {expected:.4f}; yours is {value:.4f}. Take the gradient at x_hat = alpha * real + (1 - alpha) * fake (not at the real or fake points), and penalise norms below 1 as well as above (two-sided).'
    assert abs(value - expected) < 0.0001, explain()

