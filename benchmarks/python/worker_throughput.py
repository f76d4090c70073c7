"""Jobs per second through external Python workers (the SDK) on the HTTP worker protocol.

    python benchmarks/python/worker_throughput.py --url http://localhost:8080 --workers 1 4 --jobs 300

For each worker count: starts that many worker processes (one slot each) of a one-stage type that does nothing,
submits the jobs in batches of 100, and times from the first submit to the last job completed (read from the
listing). Prints one line per worker count and a JSON summary.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
WORKER = """
import sys, jobline
worker = jobline.Worker(sys.argv[1], poll_wait_ms=2000)
@worker.job_type(sys.argv[2], stages=["run"])
def run(ctx):
    return {"ok": True}
worker.run(concurrency=1)
"""


def run(url: str, workers: int, jobs: int) -> float:
    type_name = f"bench-py-{uuid.uuid4().hex[:6]}"
    env = dict(os.environ, PYTHONPATH=str(REPO / "clients" / "python" / "src"))
    processes = [subprocess.Popen([sys.executable, "-c", WORKER, url, type_name], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
    try:
        with httpx.Client(base_url=url, timeout=30) as http:
            deadline = time.monotonic() + 30
            while http.get(f"/api/job-types/{type_name}").status_code != 200:
                if time.monotonic() > deadline:
                    raise RuntimeError("the workers never declared their type")
                time.sleep(0.1)
            time.sleep(2)  # every worker's first poll has joined the type's share group
            start = time.monotonic()
            for first in range(0, jobs, 100):
                batch = [{"type": type_name, "input": {}} for _ in range(min(100, jobs - first))]
                http.post("/api/jobs/batch", json={"jobs": batch}).raise_for_status()
            while True:
                done = http.get("/api/jobs", params={"type": type_name, "status": "completed", "limit": 1}).json()["count"]
                if done >= jobs:
                    break
                if time.monotonic() - start > 600:
                    raise RuntimeError(f"only {done} of {jobs} completed in 600 s")
                time.sleep(0.05)
            return jobs / (time.monotonic() - start)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--jobs", type=int, default=300)
    args = parser.parse_args()
    results = {}
    for count in args.workers:
        rate = run(args.url.rstrip("/"), count, args.jobs)
        results[f"python_workers_{count}_jobs_per_s"] = round(rate, 1)
        print(f"{count} Python worker(s): {rate:.1f} jobs/s ({args.jobs} jobs)", flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
