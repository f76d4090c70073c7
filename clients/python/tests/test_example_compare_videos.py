"""The compare-videos example (examples/compare_videos) runs against the fake, on small videos."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "compare_videos"
SMALL = {"a": {"seed": 3}, "b": {"seed": 3, "noise": 10, "new_scene_at": 10}, "frames": 50, "width": 16,
         "height": 12}


@pytest.fixture
def example_worker(server, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLE))
    for module in ("worker", "video", "analysis"):
        sys.modules.pop(module, None)
    import worker as example
    return example, lambda scratch: example.build_worker(server.url, scratch, worker_id="example/1",
                                                         poll_wait_ms=1000)


def test_the_example_compares_two_videos_and_reports_the_inserted_scene(fake, example_worker, start_worker, tmp_path):
    example, build = example_worker
    start_worker(build(tmp_path / "scratch"))
    job_id = fake.submit(example.TYPE, SMALL)

    fake.wait_for(lambda: fake.jobs[job_id].status in ("completed", "failed"), timeout=20, message="the job ended")
    job = fake.job(job_id)
    assert job.status == "completed", job.errors
    assert job.result["verdict"] == "edited" and job.result["different_ranges"] == [[10, 29]]
    report = json.loads(job.artifacts["report.json"][0])
    assert report["summary"] == job.result and len(report["distances"]) == 50
    assert not (tmp_path / "scratch" / job_id).exists(), "the scratch files are removed"


def test_the_example_resumed_on_a_machine_without_the_videos_downloads_them_again(
        fake, example_worker, start_worker, tmp_path):
    example, build = example_worker
    start_worker(build(tmp_path / "other-machine"))
    gone = tmp_path / "first-machine" / "a.rgb"
    job_id = fake.submit(example.TYPE, SMALL, completed_stages=1,
                         checkpoint={"videos": {"a": {"path": str(gone), "sha256": "0"},
                                                "b": {"path": str(gone), "sha256": "0"}}})

    fake.wait_for(lambda: fake.jobs[job_id].status in ("completed", "failed"), timeout=20, message="the job ended")
    assert fake.job(job_id).status == "completed", fake.job(job_id).errors
    assert fake.job(job_id).result["different_ranges"] == [[10, 29]]
