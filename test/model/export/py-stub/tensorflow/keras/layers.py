"""Every attribute is a layer class that records its name, positional and keyword arguments."""


def __getattr__(cls):
    def make(*args, **kwargs):
        return {"class": cls, "args": list(args), "kwargs": kwargs}
    return make
