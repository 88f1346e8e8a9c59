from otter.test_files import test_case

OK_FORMAT = False

name = "q1_losses"
points = 2

@test_case(points=None, hidden=False)
def check_1(critic_loss, generator_loss, tf):
    value, g_value = (critic_loss(tf.constant([3.0, 5.0]), tf.constant([1.0])), generator_loss(tf.constant([1.0, 2.0])))
    explain = lambda: 'critic_loss or generator_loss returned None: return the loss.'
    assert value is not None and g_value is not None, explain()
    from gan_course.grading import course_functions_used
    used = course_functions_used(critic_loss, 'gan_course.losses') + course_functions_used(generator_loss, 'gan_course.losses')
    explain = lambda: f"Your losses call the course's {used[0]}: write them yourself."
    assert not used, explain()
    explain = lambda: f'Real scores (3, 5) and a fake score 1 give a critic loss of E[D(G(z))] - E[D(x)] = 1 - 4 = -3; yours is {float(value):.4f}. The critic pushes real scores up and fake ones down; each mean is over its own batch.'
    assert abs(float(value) - (1.0 - 4.0)) < 1e-06, explain()
    explain = lambda: f'Fake scores (1, 2) give a generator loss of -1.5; yours is {float(g_value):.4f}. G wants the critic to score its fakes high.'
    assert abs(float(g_value) + 1.5) < 1e-06, explain()

@test_case(points=None, hidden=False)
def check_2(critic_loss, tf):
    value = float(critic_loss(tf.constant([-200.0]), tf.constant([300.0])))
    explain = lambda: f"Scores are unbounded: real -200 and fake 300 give a loss of 500; yours is {value}. No sigmoid or log: a critic's scores are not probabilities."
    assert abs(value - 500.0) < 0.001, explain()

