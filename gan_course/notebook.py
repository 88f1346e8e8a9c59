"""What every course notebook does first: the fast switch, a quiet TensorFlow import, the
versions and the device."""

import contextlib
import os
import sys

FAST_ENV = "GAN_COURSE_FAST"


def fast_mode():
    """True when GAN_COURSE_FAST=1 is set: the CI-sized run (a subset, a few hundred steps)."""
    return os.environ.get(FAST_ENV) == "1"


@contextlib.contextmanager
def _stderr_silenced():
    """Send the process's file descriptor 2 to /dev/null: TensorFlow's C++ start-up lines
    (absl, oneDNN, CUDA probes) bypass Python's sys.stderr."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(devnull)
        os.close(saved)


def import_tensorflow():
    """Import TensorFlow without its start-up log lines and return it. Python errors (a
    broken install) still surface; later C++ warnings stay off with TF_CPP_MIN_LOG_LEVEL=3
    unless you set that variable yourself."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with _stderr_silenced():
        import tensorflow as tf
        tf.config.list_physical_devices("GPU")  # the CUDA probe logs on first use
    return tf


def print_setup():
    """Print the TensorFlow and Keras versions and the device, with the Colab hint on a CPU."""
    tf = import_tensorflow()
    import keras

    from gan_course.train import describe_device
    print(f"TensorFlow {tf.__version__} | Keras {keras.__version__} | "
          f"{'fast' if fast_mode() else 'full'} mode")
    print("Device:", describe_device())
    if not tf.config.list_physical_devices("GPU"):
        print("On Colab: Runtime > Change runtime type > GPU, then run all cells again.")
