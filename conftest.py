"""pytest runs everything in fast mode: the CI-sized runs of the CLI and every notebook.

Each pytest-xdist worker, and every process it starts (CLI runs, notebook kernels), gets its
share of the cores as TensorFlow's thread pools: by default every TensorFlow process sizes
its pools to all the cores, and two workers then spend much of the time switching threads
(benchmarks/thread_pools.py measures it)."""

import os

os.environ.setdefault("GAN_COURSE_FAST", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
_workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
_threads = str(max(1, (os.cpu_count() or 1) // _workers))
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", _threads)
os.environ.setdefault("TF_NUM_INTEROP_THREADS", _threads)
