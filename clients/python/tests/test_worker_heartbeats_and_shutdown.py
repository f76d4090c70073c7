"""Heartbeats while a stage runs, and a clean shutdown: every running job released, nothing sent after."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import jobline
from tests.support.waiting import wait_until

WORKER_PROCESS = Path(__file__).parent / "support" / "worker_process.py"


def test_heartbeats_keep_coming_at_the_polled_interval_during_a_long_stage(fake, new_worker, start_worker):
    fake.heartbeat_interval_ms = 50
    worker = new_worker()
    done = threading.Event()

    @worker.job_type("long", stages=["crunch"])
    def crunch(ctx):
        done.wait(5)  # a long stage that reports no progress
        return None

    start_worker(worker)
    job_id = fake.submit("long")
    fake.wait_for(lambda: len(fake.calls_of(job_id, kinds=["heartbeat"])) >= 5, message="five heartbeats")
    done.set()
    fake.wait_for(lambda: fake.jobs[job_id].status == "completed", message="the job completed")

    beats = fake.calls_of(job_id, kinds=["heartbeat"])
    assert all(beat.body == {"stage": 1} and beat.status == 200 for beat in beats)
    gaps = [b.at - a.at for a, b in zip(beats, beats[1:])]
    assert max(gaps) < 0.5, gaps


def test_progress_goes_out_with_a_heartbeat_at_most_about_once_a_second_unless_it_jumps(
        fake, new_worker, start_worker):
    fake.heartbeat_interval_ms = 60_000
    worker = new_worker()
    release = threading.Event()

    @worker.job_type("chatty")
    def chatty(ctx):
        for i in range(1, 51):
            ctx.progress(i / 1000, f"item {i}")  # 50 small steps: throttled
        ctx.progress(0.5, "halfway")             # a jump: sent at once
        release.wait(5)
        return None

    start_worker(worker)
    job_id = fake.submit("chatty")
    fake.wait_for(lambda: any(b.body.get("message") == "halfway" for b in fake.calls_of(job_id, kinds=["heartbeat"])),
                  message="the halfway progress")
    release.set()
    fake.wait_for(lambda: fake.jobs[job_id].status == "completed", message="the job completed")

    beats = [b.body for b in fake.calls_of(job_id, kinds=["heartbeat"])]
    assert len(beats) <= 3, beats  # the first progress at once (perhaps overtaken by later ones), then the jump
    assert beats[-1] == {"stage": 1, "progress": 0.5, "message": "halfway"}


def test_stop_releases_every_running_job_and_nothing_more_is_sent_for_those_attempts(fake, new_worker, start_worker):
    worker = new_worker()
    stopped: list = []

    @worker.job_type("endless")
    def endless(ctx):
        try:
            while True:
                ctx.progress(0.1, "working")
                time.sleep(0.01)  # simulated work
        except jobline.AttemptStopped as stop:
            stopped.append(stop.reason)
            raise

    running = start_worker(worker, concurrency=2)
    jobs = [fake.submit("endless") for _ in range(2)]
    fake.wait_for(lambda: all(fake.calls_of(j, kinds=["heartbeat"]) for j in jobs), message="both jobs running")

    threading.Thread(target=running.stop).start()

    running.thread.join(5)
    assert not running.thread.is_alive(), "run() returned"
    for job_id in jobs:
        [release] = fake.calls_of(job_id, kinds=["release"])
        assert (release.status, release.body) == (200, {"reason": "test over"})
        assert fake.job(job_id).status == "pending"
    wait_until(lambda: stopped == ["released", "released"], message="both stages told to stop")
    wait_until(lambda: not worker.active_jobs, message="both job threads ended")
    for job_id in jobs:
        assert fake.calls_of(job_id)[-1].kind == "release"


def test_sigterm_makes_a_worker_process_release_its_job_and_exit(fake, server):
    child = subprocess.Popen([sys.executable, str(WORKER_PROCESS), server.url], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    try:
        fake.wait_for(lambda: "endless" in fake.types, timeout=20, message="the child declared its type")
        job_id = fake.submit("endless")
        fake.wait_for(lambda: fake.calls_of(job_id, kinds=["heartbeat"]), timeout=10, message="the job running")

        child.send_signal(signal.SIGTERM)

        output, _ = child.communicate(timeout=15)
        assert child.returncode == 0, output
        [release] = fake.calls_of(job_id, kinds=["release"])
        assert release.status == 200 and "SIGTERM" in release.body["reason"]
        assert fake.job(job_id).status == "pending"
        assert fake.calls_of(job_id)[-1].kind == "release"
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
