from otter.test_files import test_case

OK_FORMAT = False

name = "q2_projection"
points = 3

@test_case(points=None, hidden=False)
def check_1(projection_logit, tf, np):
    features = np.array([[1.0, 2.0], [0.5, -1.0]], 'float32')
    w, b = (np.array([0.1, 0.2], 'float32'), 0.5)
    embeddings = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, -1.0]], 'float32')
    out = projection_logit(features, w, b, embeddings, np.array([2, 0]))
    explain = lambda: 'projection_logit returned None: replace the ... and return the logits.'
    assert out is not None, explain()
    from gan_course.grading import course_functions_used
    used = course_functions_used(projection_logit, 'gan_course.models')
    explain = lambda: f"projection_logit calls the course's {used[0]}: write it yourself."
    assert not used, explain()
    out = np.asarray(out).reshape(-1)
    expected = [0.5 + 0.5 + 0.0, 0.5 - 0.15 + 0.5]
    explain = lambda: f"For these two images (labels 2 and 0) the logits are w . phi + b + embed(y) . phi = {expected}; yours are {out.tolist()}. The class term is the inner product of the image's features with the vector of *its own* label."
    assert out.shape == (2,) and np.allclose(out, expected, atol=1e-05), explain()

@test_case(points=None, hidden=False)
def check_2(projection_logit, tf, np):
    features = np.array([[1.0, 0.0, 2.0]] * 3, 'float32')
    embeddings = np.array([[1.0, 1.0, 1.0], [-1.0, 0.0, 0.0], [0.0, 0.0, 0.5]], 'float32')
    out = np.asarray(projection_logit(features, np.zeros(3, 'float32'), 0.0, embeddings, np.array([0, 1, 2])))
    explain = lambda: f'The same image with labels 0, 1 and 2 should get logits 3, -1 and 1 (only the label changes); yours are {out.reshape(-1).tolist()}.'
    assert np.allclose(out.reshape(-1), [3.0, -1.0, 1.0], atol=1e-05), explain()

