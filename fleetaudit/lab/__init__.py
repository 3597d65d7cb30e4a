"""The simulated lab: SSH devices on 127.0.0.1 that answer from fixture files.

``Lab`` runs it in a background thread; ``serve_forever`` in the foreground.
"""

from fleetaudit.lab.runner import Lab, serve_forever
from fleetaudit.lab.server import Endpoint, LabError

__all__ = ["Endpoint", "Lab", "LabError", "serve_forever"]
