from otter.test_files import test_case

OK_FORMAT = False

name = "q2_g_losses"
points = 2

@test_case(points=None, hidden=False)
def check_1(g_loss_minimax, np, g_loss_non_saturating, tf):
    from gan_course.grading import course_functions_used
    losses = {'g_loss_minimax': (g_loss_minimax, -np.log(2)), 'g_loss_non_saturating': (g_loss_non_saturating, np.log(2))}
    for name, (fn, expected) in losses.items():
        value = fn(tf.zeros(3))
        explain = lambda: f'{name} returned None: replace the ... and return the loss.'
        assert value is not None, explain()
        used = course_functions_used(fn, 'gan_course.losses')
        explain = lambda: f"{name} calls the course's {used[0]}: write the loss yourself."
        assert not used, explain()
        explain = lambda: f'{name} at logit 0 should be {expected:.3f}; you returned {float(value):.3f}. log(1 - 1/2) = -log 2 and -log(1/2) = +log 2.'
        assert abs(float(value) - expected) < 0.0001, explain()

@test_case(points=None, hidden=False)
def check_2(tf, g_loss_minimax, g_loss_non_saturating):
    f = tf.Variable([-6.0])
    grads = {}
    for name, fn in [('g_loss_minimax', g_loss_minimax), ('g_loss_non_saturating', g_loss_non_saturating)]:
        with tf.GradientTape() as tape:
            loss = fn(f)
        grads[name] = abs(float(tape.gradient(loss, f)[0]))
    explain = lambda: f"At logit -6 the minimax loss should be nearly flat (gradient sigmoid(-6) = 0.0025); yours has {grads['g_loss_minimax']:.3f}. Is it log(1 - sigmoid(f)), not log sigmoid(f)?"
    assert grads['g_loss_minimax'] < 0.01, explain()
    explain = lambda: f"At logit -6 the non-saturating loss should be steep (gradient 0.9975); yours has {grads['g_loss_non_saturating']:.3f}: that is the point of it."
    assert grads['g_loss_non_saturating'] > 0.9, explain()

