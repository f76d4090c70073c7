"""Jobline for Python: ``Client``/``AsyncClient`` to submit and follow jobs, ``Worker`` to run them."""
from .async_client import AsyncClient
from .client import Client
from .errors import (AttemptStopped, FatalError, JobCancelled, JoblineError, JobNotFinished, ProblemError,
                     WaitTimeout)
from .follow import AsyncFollow, Follow
from .progress import Progress
from . import webhooks
from .webhooks import WebhookVerificationError
from .worker import Stage, StageContext, Worker

__version__ = "0.1.0"

__all__ = [
    "AsyncClient", "AsyncFollow", "AttemptStopped", "Client", "FatalError", "Follow", "JobCancelled",
    "JobNotFinished", "JoblineError", "Progress", "ProblemError", "Stage", "StageContext", "WaitTimeout",
    "WebhookVerificationError", "Worker", "webhooks",
]
