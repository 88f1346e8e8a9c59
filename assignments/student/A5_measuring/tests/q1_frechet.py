from otter.test_files import test_case

OK_FORMAT = False

name = "q1_frechet"
points = 3

@test_case(points=None, hidden=False)
def check_1(np, frechet_distance):
    rng = np.random.default_rng(0)
    a = rng.normal(size=(500, 3))
    value = frechet_distance(a, a)
    explain = lambda: 'frechet_distance returned None: replace the ... and return the distance.'
    assert value is not None, explain()
    from gan_course.grading import course_functions_used
    used = course_functions_used(frechet_distance, 'gan_course.metrics')
    explain = lambda: f"frechet_distance calls the course's {used[0]}: write it yourself."
    assert not used, explain()
    explain = lambda: f'The distance of a set to itself is 0; yours is {value:.3g}.'
    assert abs(value) < 1e-06, explain()
    shift = frechet_distance(a, a + np.array([3.0, 0.0, 4.0]))
    explain = lambda: f'Shifting every feature by (3, 0, 4) moves the means by 5, so the distance is 25 (the covariances are equal); yours is {shift:.4f}.'
    assert abs(shift - 25.0) < 1e-06, explain()

@test_case(points=None, hidden=False)
def check_2(np, frechet_distance):
    rng = np.random.default_rng(1)
    a, b = (rng.normal(size=(4000, 2)) * [1.0, 2.0], rng.normal(size=(4000, 2)) * [3.0, 0.5])
    s_a, s_b = (np.var(a, axis=0, ddof=1), np.var(b, axis=0, ddof=1))
    mu = ((a.mean(0) - b.mean(0)) ** 2).sum()
    approx = mu + ((np.sqrt(s_a) - np.sqrt(s_b)) ** 2).sum()
    value = frechet_distance(a, b)
    explain = lambda: f'For (nearly) diagonal covariances the trace term is the sum of (sqrt(var_a) - sqrt(var_b))^2: about {approx:.3f}; yours is {value:.3f}. Check the square root: Tr((S_a S_b)^(1/2)) is not Tr(S_a S_b)^(1/2), nor the elementwise sqrt of S_a S_b.'
    assert abs(value - approx) < 0.05, explain()

@test_case(points=None, hidden=False)
def check_3(np, frechet_distance):

    def with_covariance(cov, mean, seed):
        x = np.random.default_rng(seed).normal(size=(3000, 2))
        x -= x.mean(0)
        x = x @ np.linalg.inv(np.linalg.cholesky(np.cov(x, rowvar=False))).T
        return x @ np.linalg.cholesky(cov).T + mean
    s_a, s_b = (np.array([[2.0, 1.0], [1.0, 2.0]]), np.array([[1.0, 0.0], [0.0, 4.0]]))
    a, b = (with_covariance(s_a, [0.0, 0.0], 2), with_covariance(s_b, [1.0, 2.0], 3))
    root_trace = np.sqrt(np.trace(s_a @ s_b) + 2 * np.sqrt(np.linalg.det(s_a) * np.linalg.det(s_b)))
    expected = 5.0 + np.trace(s_a + s_b) - 2 * root_trace
    value = frechet_distance(a, b)
    explain = lambda: f'For covariances [[2, 1], [1, 2]] and [[1, 0], [0, 4]] (which do not commute) and means 0 and (1, 2) the distance is {expected:.4f}; yours is {value:.4f}. Tr((S_a S_b)^(1/2)) is the sum of the square roots of the eigenvalues of S_a^(1/2) S_b S_a^(1/2).'
    assert abs(value - expected) < 0.01, explain()

