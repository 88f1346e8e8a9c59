from otter.test_files import test_case

OK_FORMAT = False

name = "q1_smoothing"
points = 2

@test_case(points=None, hidden=False)
def check_1(smoothed_d_loss, tf, np):
    value = smoothed_d_loss(tf.zeros(4), tf.zeros(4))
    explain = lambda: 'smoothed_d_loss returned None: replace the ... and return the loss.'
    assert value is not None, explain()
    from gan_course.grading import course_functions_used
    used = course_functions_used(smoothed_d_loss, 'gan_course.losses')
    explain = lambda: f"smoothed_d_loss calls the course's {used[0]}: write the loss yourself."
    assert not used, explain()
    explain = lambda: f'At logits 0 the loss is 2 log 2 = 1.386 whatever the targets; you returned {float(value):.4f}.'
    assert abs(float(value) - 2 * np.log(2)) < 0.0001, explain()

@test_case(points=None, hidden=False)
def check_2(tf, np, smoothed_d_loss):
    r = tf.Variable([np.log(9.0)], dtype=tf.float32)
    with tf.GradientTape() as tape:
        loss = smoothed_d_loss(r, tf.zeros(1))
    grad = float(tape.gradient(loss, r)[0])
    explain = lambda: f"With real target 0.9, D's best real logit is log 9 = 2.197, where the loss is flat; your loss has gradient {grad:.3f} there. Are the real targets 0.9 (not 1)?"
    assert abs(grad) < 0.0001, explain()

@test_case(points=None, hidden=False)
def check_3(tf, np, smoothed_d_loss):
    f = tf.Variable([-3.0, 1.0])
    with tf.GradientTape() as tape:
        loss = smoothed_d_loss(tf.constant([2.0]), f)
    grad = np.asarray(tape.gradient(loss, f))
    expected = 1 / (1 + np.exp([3.0, -1.0])) / 2
    explain = lambda: f'One-sided smoothing leaves the fake targets at 0, so the gradient in the fake logits (-3, 1) should be sigmoid(f) / 2 = {np.round(expected, 4)}; yours is {np.round(grad, 4)}. Smoothing the fake targets too (to 0.1) is two-sided smoothing, which the paper advises against.'
    assert np.allclose(grad, expected, atol=1e-05), explain()

