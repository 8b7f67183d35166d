"""Recording stand-ins for the tf.keras names the generated scripts use."""
import types as _types

from . import layers  # noqa: F401


class Sequential:
    def __init__(self, items=None, name=None):
        self.items = list(items or [])
        self.name = name


def Input(shape):
    return {"class": "Input", "shape": list(shape)}


class _Initializers:
    @staticmethod
    def GlorotUniform(seed=None):
        return {"initializer": "GlorotUniform", "seed": seed}


initializers = _Initializers()


class LearningRateSchedule:
    def __init__(self):
        pass


optimizers = _types.SimpleNamespace(schedules=_types.SimpleNamespace(LearningRateSchedule=LearningRateSchedule))
