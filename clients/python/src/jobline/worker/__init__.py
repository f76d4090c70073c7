"""The worker side of Jobline: run stages of declared job types, reporting over HTTP (docs/worker-protocol.md)."""
from .context import InputFile, Stage, StageContext
from .job_type import JobType
from .worker import Worker, default_worker_id

__all__ = ["InputFile", "JobType", "Stage", "StageContext", "Worker", "default_worker_id"]
