"""The compare-videos worker: four stages of real CPU work on two synthetic videos.

    python examples/compare_videos/worker.py --url http://localhost:8080

Stages: download (make the two videos in a scratch folder), analyze (a colour histogram per frame), compare (a
distance per frame, scene cuts), report (a JSON report as the artifact report.json; the summary is the result).
A job resumed on another machine finds no scratch files there and downloads them again: the checkpoints hold what
later stages need, small enough for the 64 KiB limit, and only the bulky videos stay local.
"""
from __future__ import annotations

import argparse
import json
import logging
import shutil
import tempfile
from pathlib import Path

import jobline

try:
    from . import analysis, video
except ImportError:  # run as a script
    import analysis
    import video

TYPE = "compare-videos"
INPUT_SCHEMA = {
    "type": "object",
    "required": ["a", "b"],
    "properties": {
        "a": {"$ref": "#/$defs/video"},
        "b": {"$ref": "#/$defs/video"},
        "frames": {"type": "integer", "minimum": 2, "maximum": 200},
        "width": {"type": "integer", "minimum": 4, "maximum": 640},
        "height": {"type": "integer", "minimum": 4, "maximum": 480},
    },
    "$defs": {"video": {"type": "object", "required": ["seed"], "properties": {
        "seed": {"type": "integer"}, "noise": {"type": "integer", "minimum": 0, "maximum": 255},
        "new_scene_at": {"type": "integer", "minimum": 0}}}},
}
OPTIONS = {"max_attempts": 3, "heartbeat_timeout_ms": 30000}


def specs(ctx: jobline.StageContext) -> dict[str, video.VideoSpec]:
    size = (ctx.input.get("frames", 120), ctx.input.get("width", 64), ctx.input.get("height", 48))
    return {key: video.VideoSpec.of(ctx.input[key], *size) for key in ("a", "b")}


class CompareVideos:
    def __init__(self, scratch: Path):
        self.scratch = scratch

    def download(self, ctx: jobline.StageContext) -> dict:
        folder = self.scratch / ctx.job_id
        folder.mkdir(parents=True, exist_ok=True)
        videos = {}
        for n, (key, spec) in enumerate(specs(ctx).items()):
            path = folder / f"{key}.rgb"
            digest = video.write(spec, path, lambda i, n=n, spec=spec: ctx.progress(
                (n + (i + 1) / spec.frames) / 2, f"video {key.upper()}: frame {i + 1} of {spec.frames}"))
            videos[key] = {"path": str(path), "sha256": digest}
        return {"videos": videos}

    def analyze(self, ctx: jobline.StageContext) -> dict:
        videos = self._local_videos(ctx)
        histograms = {}
        for n, (key, spec) in enumerate(specs(ctx).items()):
            histograms[key] = []
            for i, frame in enumerate(video.read_frames(spec, Path(videos[key]["path"]))):
                histograms[key].append(analysis.histogram(frame))
                ctx.progress((n + (i + 1) / spec.frames) / 2, f"video {key.upper()}: histogram {i + 1}")
        return {"videos": videos, "histograms": histograms}

    def compare(self, ctx: jobline.StageContext) -> dict:
        a, b = ctx.checkpoint["histograms"]["a"], ctx.checkpoint["histograms"]["b"]
        distances = []
        for i, (x, y) in enumerate(zip(a, b)):
            distances.append(analysis.distance(x, y))
            ctx.progress((i + 1) / len(a), f"frame {i + 1} of {len(a)}")
        return {"videos": ctx.checkpoint["videos"], "distances": distances,
                "cuts_a": analysis.cuts(a), "cuts_b": analysis.cuts(b)}

    def report(self, ctx: jobline.StageContext) -> dict:
        checkpoint = ctx.checkpoint
        summary = analysis.summary(checkpoint["distances"], checkpoint["cuts_a"], checkpoint["cuts_b"])
        report = {"job_id": ctx.job_id, "input": ctx.input, "summary": summary,
                  "distances": checkpoint["distances"]}
        ctx.upload_artifact("report.json", json.dumps(report, indent=2).encode(), "application/json")
        shutil.rmtree(self.scratch / ctx.job_id, ignore_errors=True)
        return summary

    def _local_videos(self, ctx: jobline.StageContext) -> dict:
        """The videos of the download stage, downloaded again when this machine does not have them."""
        videos = ctx.checkpoint["videos"]
        if all(Path(v["path"]).is_file() and video.sha256(Path(v["path"])) == v["sha256"] for v in videos.values()):
            return videos
        ctx.log.info("The videos are not on this machine; downloading them again")
        return self.download(ctx)["videos"]


def build_worker(url: str, scratch: Path, **worker_options) -> jobline.Worker:
    worker = jobline.Worker(url, **worker_options)
    worker.add_job_type(TYPE, CompareVideos(scratch), stages=["download", "analyze", "compare", "report"],
                        description="Compare two (synthetic) videos frame by frame", input_schema=INPUT_SCHEMA,
                        options=OPTIONS)
    return worker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8080", help="the Jobline service")
    parser.add_argument("--concurrency", type=int, default=2, help="jobs run at once")
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) / "jobline-compare-videos",
                        help="where downloaded videos are kept while their job runs")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    build_worker(args.url, args.scratch).run(concurrency=args.concurrency)


if __name__ == "__main__":
    main()
