from otter.test_files import test_case

OK_FORMAT = False

name = "q2_kl"
points = 3

@test_case(points=None, hidden=False)
def check_1(kl_to_prior, tf, np):
    value = kl_to_prior(tf.zeros((3, 4)), tf.zeros((3, 4)))
    explain = lambda: 'kl_to_prior returned None: replace the ... and return the KL.'
    assert value is not None, explain()
    from gan_course.grading import course_functions_used
    used = course_functions_used(kl_to_prior, 'gan_course.losses')
    explain = lambda: f"kl_to_prior calls the course's {used[0]}: write it yourself."
    assert not used, explain()
    explain = lambda: f'When q(z | x) is the prior N(0, I) the KL is 0; yours is {float(value):.4f}.'
    assert abs(float(value)) < 1e-06, explain()

@test_case(points=None, hidden=False)
def check_2(kl_to_prior, tf, np):
    value = float(kl_to_prior(tf.constant([[1.0]]), tf.constant([[np.log(4.0)]], tf.float32)))
    expected = 0.5 * (4.0 + 1.0 - 1.0 - np.log(4.0))
    explain = lambda: f'For one latent with mean 1 and variance 4 the KL is (sigma² + mu² - 1 - log sigma²) / 2 = {expected:.4f}; yours is {value:.4f}. Check the signs, the 1/2, and that sigma² is exp(log_var).'
    assert abs(value - expected) < 1e-05, explain()

@test_case(points=None, hidden=False)
def check_3(kl_to_prior, tf, np):
    mean = tf.constant([[1.0, 1.0], [0.0, 0.0]])
    value = float(kl_to_prior(mean, tf.zeros((2, 2))))
    explain = lambda: f'Image 1 has KL 0.5 + 0.5 = 1 (a sum over its 2 latents), image 2 has 0: the batch mean is 0.5; yours is {value:.4f}. Sum over the latent axis (1), then average over images.'
    assert abs(value - 0.5) < 1e-05, explain()

