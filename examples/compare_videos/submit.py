"""Submits a compare-videos job and follows it with a progress line, then prints the summary and the report.

    python examples/compare_videos/submit.py --url http://localhost:8080
"""
from __future__ import annotations

import argparse
import json
import sys

import jobline


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--frames", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--noise", type=int, default=12, help="noise added to video B")
    parser.add_argument("--new-scene-at", type=int, default=60, help="frame where B cuts to a scene A lacks")
    args = parser.parse_args()
    job_input = {"a": {"seed": args.seed}, "b": {"seed": args.seed, "noise": args.noise,
                                                 "new_scene_at": args.new_scene_at},
                 "frames": args.frames}

    with jobline.Client(args.url) as client:
        job_id = client.submit("compare-videos", job_input)["job_id"]
        print(f"Submitted {job_id}")
        job = client.wait(job_id, on_progress=_show, live=True)
        print()
        if job["status"] != "completed":
            print(f"The job {job['status']}: {job.get('error')}", file=sys.stderr)
            return 1
        print(json.dumps(client.result(job_id)["result"], indent=2))
        report = json.loads(client.artifact(job_id, "report.json"))
        print(f"report.json: {len(report['distances'])} frame distances, verdict {report['summary']['verdict']}")
    return 0


def _show(progress: jobline.Progress) -> None:
    bar = "#" * ((progress.progress or 0) // 5)
    print(f"\r[{bar:<20}] {progress.progress or 0:3d}% {progress.status:<9} {(progress.message or '')[:50]:<50}",
          end="", flush=True)


if __name__ == "__main__":
    sys.exit(main())
