OK_FORMAT = True

test = {   'name': 'q3_train_step',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': '>>> G, D = fresh_pair()\n'
                                               '>>> references = {}\n'
                                               ">>> for updates in ('alternating', 'simultaneous'):\n"
                                               '...     G2, D2 = (copy_of(G), copy_of(D))\n'
                                               '...     out = train.gan_train_step(G2, D2, keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1), REAL, seed=keras.random.SeedGenerator(3), '
                                               'updates=updates, grad_norms=False)\n'
                                               "...     references[updates] = (float(out['d_loss']), float(out['g_loss']), weights(G2) + weights(D2))\n"
                                               '>>> result = train_step(G, D, keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1), REAL, Z)\n'
                                               ">>> assert result is not None and len(result) == 2, 'train_step should return (d_loss, g_loss).'\n"
                                               '>>> mine = (float(result[0]), float(result[1]), weights(G) + weights(D))\n'
                                               '>>> def same(a, b):\n'
                                               '...     return abs(a[0] - b[0]) < 1e-05 and abs(a[1] - b[1]) < 1e-05 and all((np.allclose(x, y, atol=1e-05) for x, y in zip(a[2], b[2])))\n'
                                               '>>> assert not same(mine, references[\'simultaneous\']) or same(mine, references[\'alternating\']), "Your step gives G the loss of the D from *before* '
                                               'its update (the tutorial\'s simultaneous order). Update D first, then compute G\'s loss with a fresh call to D."\n'
                                               '>>> assert same(mine, references[\'alternating\']), f"Your step differs from the course\'s: losses ({mine[0]:.4f}, {mine[1]:.4f}) against '
                                               "({references['alternating'][0]:.4f}, {references['alternating'][1]:.4f}). Check that both halves use the same z, and that D is updated before G's loss "
                                               'is computed."\n',
                                       'hidden': False,
                                       'locked': False}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
