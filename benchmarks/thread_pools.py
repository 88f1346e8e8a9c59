"""Seconds per training step when several TensorFlow processes share the machine: each with
TensorFlow's default thread pools (each sized to all the cores) against pools sized to its
share of the cores (TF_NUM_INTRAOP_THREADS = TF_NUM_INTEROP_THREADS = cores // processes), as
conftest.py sets them for pytest's workers and the README suggests for zoo seeds side by side.

    python benchmarks/thread_pools.py                          # 07-wgan-gp, 1, 2 and 3 processes
    python benchmarks/thread_pools.py --entry 07-dcgan --processes 2 --steps 100

Every process trains the zoo entry on 6,400 MNIST images, batch 64, after a warm-up of 10 steps
that traces the step; the processes of one row start together. The reference is the default
pools; the ratio is default seconds per step / shared seconds per step (above 1: the shared
pools train faster).
"""

import argparse
import os
import subprocess
import sys
import time

import numpy as np

POOLS = ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")


def child(entry, steps):
    from gan_course import data, train, zoo
    (images, _), _ = data.load_mnist()
    model = zoo.build(entry, 0)
    train.train_for(model, images[:6_400], steps=10)
    start = time.perf_counter()
    train.train_for(model, images[:6_400], steps=steps)
    print((time.perf_counter() - start) / steps)


def seconds_per_step(entry, steps, processes, threads):
    """The mean seconds per step of `processes` processes started together; threads=None
    leaves TensorFlow's default pools."""
    env = {k: v for k, v in os.environ.items() if k not in POOLS}
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    if threads:
        env.update({k: str(threads) for k in POOLS})
    command = [sys.executable, __file__, "--child", "--entry", entry, "--steps", str(steps)]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(processes)]
    outs = [run.communicate()[0] for run in runs]
    if any(run.returncode for run in runs):
        raise SystemExit(f"a benchmark process failed (exit codes {[r.returncode for r in runs]})")
    return float(np.mean([float(out.split()[-1]) for out in outs]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entry", default="07-wgan-gp", help="a gan_course.zoo entry")
    parser.add_argument("--steps", type=int, default=60, help="timed steps per process")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.entry, args.steps)
    cores = os.cpu_count() or 1
    print(f"{args.entry}, {args.steps} steps per process, {cores} cores; seconds per step "
          "(each process's), reference: TensorFlow's default pools")
    print(f"{'processes':>9} {'default pools':>13} {'shared pools':>12} {'threads':>7} "
          f"{'ratio':>6}")
    for processes in args.processes:
        threads = max(1, cores // processes)
        default = seconds_per_step(args.entry, args.steps, processes, None)
        shared = seconds_per_step(args.entry, args.steps, processes, threads)
        print(f"{processes:>9} {default:>13.3f} {shared:>12.3f} {threads:>7} "
              f"{default / shared:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
