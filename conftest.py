"""pytest runs everything in fast mode: the CI-sized runs of the CLI and every notebook."""

import os

os.environ.setdefault("GAN_COURSE_FAST", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
