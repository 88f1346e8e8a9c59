from otter.test_files import test_case

OK_FORMAT = False

name = "q1_d_loss"
points = 3

@test_case(points=None, hidden=False)
def check_1(d_loss, tf, np):
    value = d_loss(tf.zeros(4), tf.zeros(4))
    explain = lambda: 'd_loss returned None: replace the ... with your code and return the loss.'
    assert value is not None, explain()
    from gan_course.grading import course_functions_used
    used = course_functions_used(d_loss, 'gan_course.losses')
    explain = lambda: f"d_loss calls the course's {used[0]}: write the loss yourself."
    assert not used, explain()
    value = float(value)
    explain = lambda: f"D's loss on logits (0, 0) should be 2 log 2 = 1.386; you returned {value:.3f}." + (' Did you add the real and fake terms?' if abs(value - np.log(2)) < 0.001 else ' At logit 0, D says 1/2 for every image, and each of the two terms is log 2.')
    assert abs(value - 2 * np.log(2)) < 0.0001, explain()

@test_case(points=None, hidden=False)
def check_2(d_loss, tf):
    value = float(d_loss(tf.constant([20.0, 30.0]), tf.constant([-20.0, -25.0])))
    explain = lambda: f'A D that is confident and right (real logits +20, fake logits -20) should have a loss near 0; you returned {value:.4g}. Check the signs: real logits should be pushed up, fake ones down.'
    assert abs(value) < 1e-06, explain()

@test_case(points=None, hidden=False)
def check_3(d_loss, tf, np):
    value = float(d_loss(tf.constant([-200.0]), tf.constant([0.0])))
    explain = lambda: f'With a real logit of -200 the loss should be about 200.69; you returned {value}. log(sigmoid(-200)) underflows to log(0) = -inf: use tf.nn.softplus(-x) for -log(sigmoid(x)).'
    assert np.isfinite(value) and abs(value - (200 + np.log(2))) < 0.001, explain()

