"""A worker process for the crash test: a 3-stage type; stage two of an input with "slow" runs until the process is
killed, unless the attempt is a later one (it then finishes at once)."""
import logging
import sys
import time

import jobline

url, type_name, worker_id = sys.argv[1], sys.argv[2], sys.argv[3]
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
worker = jobline.Worker(url, worker_id=worker_id, poll_wait_ms=1000)


@worker.job_type(type_name, stages=["count", "multiply", "total"],
                 options={"max_attempts": 3, "heartbeat_timeout_ms": 3000, "backoff_ms": 100})
class Pipeline:
    def count(self, ctx):
        return {"n": ctx.input["start"] + 1}

    def multiply(self, ctx):
        if ctx.input.get("slow") and ctx.attempt == 1:
            while True:  # the test kills the process here
                ctx.progress(0.5, "multiplying slowly")
                time.sleep(0.05)  # simulated work
        return {"n": ctx.checkpoint["n"] * 10}

    def total(self, ctx):
        return {"total": ctx.checkpoint["n"] + 5, "attempt": ctx.attempt}


worker.run(concurrency=4)
