"""Score one variant of the CLI's DCGAN recipe after a wall-clock budget: the recipe search.

    python benchmarks/try_recipe.py --seconds 300                  # the CLI's recipe
    python benchmarks/try_recipe.py --seconds 300 --lr 1e-3 --ema 0.999
    python benchmarks/try_recipe.py --seconds 300 --loss hinge --spectral-norm

Every option defaults to the CLI's recipe (cli.RECIPES["dcgan"]), including its learning
rates' decay to 0 over the --seconds; change one at a time. It
trains on all of MNIST (or the first --subset images) for --seconds of training wall time,
then scores 10,000 samples (--samples), as time_to_quality.py does, and prints a line of
figures. --ema D adds a second line: the same for an exponential moving average of G's
weights (decay D).
--conditional trains the class-conditional DCGAN and asks for each digit equally often: it
uses the labels, so it is a different task, not a recipe of the unconditional one.
"""

import argparse

import keras
import numpy as np

from gan_course import cli, data, metrics, models, train
from gan_course.losses import LOSSES


def parse_args():
    recipe = cli.RECIPES["dcgan"]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--subset", type=int, default=None, help="train on the first N images")
    parser.add_argument("--samples", type=int, default=cli.N_SAMPLES, help="samples scored")
    parser.add_argument("--g-width", type=int, default=recipe["generator"]["width"])
    parser.add_argument("--d-width", type=int, default=recipe["discriminator"]["width"])
    parser.add_argument("--dropout", type=float, default=recipe["discriminator"]["dropout"])
    parser.add_argument("--spectral-norm", action="store_true")
    parser.add_argument("--minibatch-stddev", action=argparse.BooleanOptionalAction,
                        default=recipe["discriminator"].get("minibatch_stddev", False))
    parser.add_argument("--lr", type=float, default=recipe["lr"], help="Adam's, both players")
    parser.add_argument("--d-lr", type=float, default=None, help="D's own (default: --lr)")
    parser.add_argument("--beta-1", type=float, default=recipe["beta_1"])
    parser.add_argument("--beta-2", type=float, default=recipe.get("beta_2", 0.999))
    parser.add_argument("--batch-size", type=int, default=recipe["batch_size"])
    parser.add_argument("--loss", default="non_saturating", choices=sorted(LOSSES))
    parser.add_argument("--r1", type=float, default=0.0, help="R1 penalty gamma")
    parser.add_argument("--ema", type=float, default=0.0, help="also score an EMA of G")
    parser.add_argument("--constant-lr", action="store_true",
                        help="no decay of the learning rates over the --seconds")
    parser.add_argument("--conditional", action="store_true")
    parser.add_argument("--projection", action="store_true",
                        help="conditional D: projection (Miyato & Koyama) instead of a label channel")
    return parser.parse_args()


def figures(images, labels=None):
    if labels is None:
        result = metrics.evaluate_images(images)
        extra = ""
    else:
        result = metrics.evaluate_conditional(images, labels)
        extra = (f"  label acc {result['label_accuracy']:.1%}  class FD "
                 f"{np.mean(result['frechet_per_class']):.1f}  within std "
                 f"{np.mean(result['within_class_std']):.3f}")
    return (f"score {result['classifier_score']:.2f}  FD {result['frechet_distance']:.1f}  "
            f"class KL {result['class_kl_to_uniform']:.3f}  "
            f"confident {result['confident_share']:.1%}" + extra)


def main():
    args = parse_args()
    train.set_seed(args.seed)
    (x_train, y_train), _ = data.load_mnist()
    x_train, y_train = x_train[:args.subset], y_train[:args.subset]
    classes = 10 if args.conditional else None
    dataset = data.make_dataset(x_train, y_train if classes else None,
                                batch_size=args.batch_size, seed=args.seed)
    g = models.dcgan_generator(width=args.g_width, num_classes=classes)
    if args.projection:
        d = models.projection_discriminator(10, args.d_width, args.spectral_norm, args.dropout)
    else:
        d = models.dcgan_discriminator(args.d_width, args.dropout, args.spectral_norm,
                                       args.minibatch_stddev, num_classes=classes)
    ema = dict(use_ema=True, ema_momentum=args.ema) if args.ema else {}
    g_opt = keras.optimizers.Adam(args.lr, beta_1=args.beta_1, beta_2=args.beta_2, **ema)
    d_opt = keras.optimizers.Adam(args.d_lr or args.lr, beta_1=args.beta_1, beta_2=args.beta_2)
    gan = train.GAN(g, d, seed=args.seed)
    gan.compile(d_optimizer=d_opt, g_optimizer=g_opt, loss=args.loss, r1_weight=args.r1)
    clock = train.WallClock(args.seconds)
    callbacks = [clock]
    if cli.RECIPES["dcgan"].get("decay") and not args.constant_lr:
        callbacks.append(train.LinearDecay([args.d_lr or args.lr, args.lr], 10**9, args.seconds))
    gan.fit(dataset, epochs=100_000, callbacks=callbacks, shuffle=False, verbose=0)

    labels = np.arange(args.samples) % 10 if classes else None

    def samples():  # the same noise (and labels) before and after the EMA swap
        return gan.generate(args.samples, labels, seed=args.seed + 1)

    print(f"{int(g_opt.iterations.numpy())} steps in {clock.train_seconds:.0f} s: "
          f"{figures(samples(), labels)}")
    if args.ema:
        g_opt.finalize_variable_values(g.trainable_variables)  # G's weights := their EMA
        print(f"with EMA {args.ema}: {figures(samples(), labels)}")


if __name__ == "__main__":
    main()
