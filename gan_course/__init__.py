"""gan-course: the helper package of a TensorFlow/Keras course on GANs.

Modules, in the order data flows: data -> models, losses -> train -> metrics, viz.
"""

__version__ = "0.1.0"
