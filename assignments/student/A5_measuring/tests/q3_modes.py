from otter.test_files import test_case

OK_FORMAT = False

name = "q3_modes"
points = 2

@test_case(points=None, hidden=False)
def check_1(data, count_modes):
    samples, centres = data.ring_of_gaussians(2000, seed=0)
    result = count_modes(samples, centres, 0.01)
    explain = lambda: 'count_modes returned None: return (modes_captured, high_quality_share).'
    assert result is not None, explain()
    from gan_course.grading import course_functions_used
    used = course_functions_used(count_modes, 'gan_course.metrics')
    explain = lambda: f"count_modes calls the course's {used[0]}: write it yourself."
    assert not used, explain()
    modes, share = result
    explain = lambda: f'Real samples of the ring of 8 capture all 8 modes; you counted {modes}.'
    assert modes == 8, explain()
    explain = lambda: f"About 98.9 % of real samples lie within 3 std of their centre (in 2-D); you found {share:.1%}. Measure each point's distance to its *nearest* centre."
    assert 0.97 < share < 1.0, explain()

@test_case(points=None, hidden=False)
def check_2(data, np, count_modes):
    samples, centres = data.ring_of_gaussians(3000, seed=1)
    nearest = np.linalg.norm(samples[:, None] - centres[None], axis=2).argmin(axis=1)
    three = samples[nearest < 3]
    modes, share = count_modes(three, centres, 0.01)
    explain = lambda: f'Points from 3 of the 8 modes capture 3 modes; you counted {modes}.'
    assert modes == 3, explain()
    modes, share = count_modes(np.zeros((100, 2)), centres, 0.01)
    explain = lambda: f'Points at the centre of the ring are far from every mode: 0 modes, 0 high quality; you returned ({modes}, {share}).'
    assert modes == 0 and share == 0.0, explain()

@test_case(points=None, hidden=False)
def check_3(data, np, count_modes):
    _, centres = data.ring_of_gaussians(10, seed=0)
    points = np.concatenate([np.repeat(centres[:1], 10, 0), np.repeat(centres[1:2], 5, 0), np.zeros((85, 2))])
    modes, share = count_modes(points, centres, 0.01, min_share=0.1)
    explain = lambda: f'15 of the 100 points are high quality: share 0.15; yours is {share}.'
    assert abs(share - 0.15) < 1e-09, explain()
    explain = lambda: f'With min_share 0.1 a mode needs at least 10 of *all* 100 points: mode 0 (exactly 10) is captured, mode 1 (5) is not; you counted {modes}. The share is of all points, not of the high-quality ones.'
    assert modes == 1, explain()

