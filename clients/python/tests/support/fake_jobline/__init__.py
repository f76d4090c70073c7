"""A fake Jobline server for fast tests: the worker protocol in memory, with real 409 fencing."""
from .fake import FakeJobline
from .model import Call, FakeJob, Problem
from .server import FakeServer

__all__ = ["Call", "FakeJob", "FakeJobline", "FakeServer", "Problem"]
