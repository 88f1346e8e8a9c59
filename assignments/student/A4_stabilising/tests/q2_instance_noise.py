from otter.test_files import test_case

OK_FORMAT = False

name = "q2_instance_noise"
points = 2

@test_case(points=None, hidden=False)
def check_1(noise_std, np):
    values = [noise_std(s, 0.1, 1000) for s in (0, 500, 1000, 5000)]
    explain = lambda: 'noise_std returned None: replace the ... and return the std.'
    assert None not in values, explain()
    explain = lambda: f'At steps 0, 500, 1000 and 5000 the std should be 0.1, 0.05, 0 and 0 (linear decay, then 0); yours gives {values}. After decay_steps it must not go negative.'
    assert np.allclose(values, [0.1, 0.05, 0.0, 0.0]), explain()

@test_case(points=None, hidden=False)
def check_2(tf, add_instance_noise, keras, np):
    images = tf.zeros((2000, 4))
    noisy = add_instance_noise(images, 0.3, keras.random.SeedGenerator(0))
    explain = lambda: 'add_instance_noise returned None.'
    assert noisy is not None, explain()
    noisy = np.asarray(noisy)
    explain = lambda: f'The noisy images should keep the shape (2000, 4); yours are {noisy.shape}.'
    assert noisy.shape == (2000, 4), explain()
    explain = lambda: f'Noise of std 0.3 around the images: yours has mean {noisy.mean():.3f} and std {noisy.std():.3f}.'
    assert abs(noisy.std() - 0.3) < 0.02 and abs(noisy.mean()) < 0.02, explain()
    corr = np.corrcoef(noisy, rowvar=False)[0, 1]
    explain = lambda: f"The noise of pixels 0 and 1 of the same image is correlated ({corr:.2f}): draw independent noise for every pixel, with the images' full shape."
    assert abs(corr) < 0.1, explain()

