from otter.test_files import test_case

OK_FORMAT = False

name = "q1_conditional_input"
points = 2

@test_case(points=None, hidden=False)
def check_1(conditional_input, tf, np):
    z = np.arange(6, dtype='float32').reshape(3, 2) / 10
    out = conditional_input(tf.constant(z), tf.constant([3, 0, 9]))
    explain = lambda: 'conditional_input returned None: replace the ... and return the tensor.'
    assert out is not None, explain()
    out = np.asarray(out)
    explain = lambda: f'For z of shape (3, 2) and 10 classes the input has shape (3, 12); yours {out.shape}.'
    assert out.shape == (3, 12), explain()
    explain = lambda: 'The first latent_dim columns should be z itself (z first, then the labels).'
    assert np.allclose(out[:, :2], z), explain()
    expected = np.eye(10)[[3, 0, 9]]
    explain = lambda: f'The last 10 columns should be the one-hot codes of the labels (3, 0, 9); yours are {out[:, 2:].tolist()}.'
    assert np.allclose(out[:, 2:], expected), explain()

