from otter.test_files import test_case

OK_FORMAT = False

name = "q2_classifier_score"
points = 2

@test_case(points=None, hidden=False)
def check_1(np, classifier_score):
    balanced = np.eye(10)[np.arange(1000) % 10]
    value = classifier_score(balanced)
    explain = lambda: 'classifier_score returned None: replace the ... and return the score.'
    assert value is not None, explain()
    from gan_course.grading import course_functions_used
    used = course_functions_used(classifier_score, 'gan_course.metrics')
    explain = lambda: f"classifier_score calls the course's {used[0]}: write it yourself."
    assert not used, explain()
    explain = lambda: f'Confident and balanced over 10 classes scores 10; yours is {value:.3f}.'
    assert abs(value - 10) < 0.001, explain()
    one = classifier_score(np.eye(10)[np.zeros(500, int)])
    unsure = classifier_score(np.full((500, 10), 0.1))
    explain = lambda: f'One class for every sample, and no confident sample, both score 1; yours give {one:.3f} and {unsure:.3f}. The KL is to the *mean* row p(y), not to the uniform distribution.'
    assert abs(one - 1) < 0.001 and abs(unsure - 1) < 0.001, explain()

@test_case(points=None, hidden=False)
def check_2(np, classifier_score):
    mixed = np.concatenate([np.eye(10)[np.arange(500) % 10], np.full((500, 10), 0.1)])
    value = classifier_score(mixed)
    explain = lambda: f'Half the samples confident and balanced, half unsure: p(y) is uniform, the KLs are log 10 and 0, their mean (log 10) / 2, and the score sqrt(10) = 3.162; yours is {value:.3f}. Take exp of the mean KL, not the mean of exp(KL) (5.5).'
    assert abs(value - np.sqrt(10)) < 0.001, explain()

