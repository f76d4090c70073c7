"""A worker process for the SIGTERM test: runs one endless job type against the URL given, in its main thread."""
import logging
import sys
import time

import jobline

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
worker = jobline.Worker(sys.argv[1], worker_id="sigterm-child", poll_wait_ms=1000)


@worker.job_type("endless")
def endless(ctx):
    while True:
        ctx.progress(0.5, "working")
        time.sleep(0.02)  # simulated work


worker.run(concurrency=1)
print("worker returned", flush=True)
