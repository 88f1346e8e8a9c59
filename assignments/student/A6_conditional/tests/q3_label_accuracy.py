from otter.test_files import test_case

OK_FORMAT = False

name = "q3_label_accuracy"
points = 2

@test_case(points=None, hidden=False)
def check_1(label_accuracy, np):
    probs = np.array([[0.1, 0.7, 0.2], [0.6, 0.3, 0.1], [0.2, 0.2, 0.6], [0.3, 0.4, 0.3]])
    value = label_accuracy(probs, np.array([1, 0, 1, 1]))
    explain = lambda: 'label_accuracy returned None: replace the ... and return the share.'
    assert value is not None, explain()
    from gan_course.grading import course_functions_used
    used = course_functions_used(label_accuracy, 'gan_course.metrics')
    explain = lambda: f"label_accuracy calls the course's {used[0]}: write it yourself."
    assert not used, explain()
    explain = lambda: f"The classifier's most likely classes are 1, 0, 2 and 1; three of them match the requested 1, 0, 1, 1: accuracy 0.75; yours is {value}. Take the argmax of each *row* (axis 1)."
    assert abs(value - 0.75) < 1e-09, explain()

