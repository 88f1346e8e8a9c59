from otter.test_files import test_case

OK_FORMAT = False

name = "q3_negative_elbo"
points = 2

@test_case(points=None, hidden=False)
def check_1(negative_elbo, tf, np):
    x = tf.zeros((2, 28, 28, 1))
    x_mean = tf.concat([tf.fill((1, 28, 28, 1), 0.1), tf.zeros((1, 28, 28, 1))], 0)
    value = negative_elbo(x, x_mean, tf.zeros((2, 3)), tf.zeros((2, 3)))
    explain = lambda: 'negative_elbo returned None: replace the ... and return the loss.'
    assert value is not None, explain()
    from gan_course.grading import course_functions_used
    used = course_functions_used(negative_elbo, 'gan_course.losses')
    explain = lambda: f"negative_elbo calls the course's {used[0]}: write it yourself."
    assert not used, explain()
    value = float(value)
    expected = 784 * 0.01 / (2 * 0.01) / 2
    explain = lambda: f"Image 1 is off by 0.1 in each of its 784 pixels: its term is 784 * 0.01 / (2 * 0.1²) = 392; image 2's is 0; the batch mean is {expected:g}; yours is {value:.3f}. Sum the squared error over the pixels of each image, divide by 2 sigma², and average over images."
    assert abs(value - expected) < 0.001, explain()

@test_case(points=None, hidden=False)
def check_2(negative_elbo, tf, np):
    x = tf.fill((1, 28, 28, 1), 0.5)
    value = float(negative_elbo(x, x - 0.2, tf.constant([[1.0]]), tf.constant([[0.0]]), sigma=0.5))
    expected = 784 * 0.04 / (2 * 0.25) + 0.5
    explain = lambda: f'With sigma 0.5, every pixel off by 0.2 and a KL of 0.5 the loss is 784 * 0.04 / 0.5 + 0.5 = {expected:.2f}; yours is {value:.3f}. Use the sigma argument, and add the KL.'
    assert abs(value - expected) < 0.001, explain()

