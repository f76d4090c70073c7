"""``jobline``, the command line of the SDK: submit, follow and manage jobs from a shell.

Built on ``jobline.Client`` (its HTTP calls and WebSocket follow) and argparse; see ``jobline --help``.
"""
from .app import main

__all__ = ["main"]
