"""A stand-in for TensorFlow (which cannot be installed here) that only records what a generated
script asks for: layer constructors with their arguments, and plain-float maths for the learning
rate schedule. It lets a test execute build_model() and the schedule; it trains nothing."""
import math as _math

from . import keras  # noqa: F401  (tf.keras.* as the scripts use it)
from . import distribute  # noqa: F401

float32 = "float32"


def cast(x, _dtype):
    return float(x)


def clip_by_value(x, lo, hi):
    return min(max(x, lo), hi)


def cos(x):
    return _math.cos(x)


def where(cond, a, b):
    return a if cond else b
