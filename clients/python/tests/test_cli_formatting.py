"""What the CLI shows people: durations, tables, the progress bar and its lines, from job views and messages."""
from __future__ import annotations

from datetime import datetime, timezone

from jobline.cli import text
from jobline.cli.jobs import describe
from jobline.cli.watch import JobWatch, bar, bar_line, change_line, outcome_line


def a_job(**fields):
    job = {"job_id": "j-1", "type": "demo", "owner": "local", "status": "running", "progress": 40,
           "progress_message": "Stage 2 of 3 (stage-2): step 1 of 5", "stage": "stage-2", "stage_number": 2,
           "stages_total": 3, "stages": [{"number": n, "name": f"stage-{n}", "started_at": None,
                                          "completed_at": None} for n in (1, 2, 3)],
           "attempt": 1, "max_attempts": 1, "error": None, "errors": [],
           "created_at": "2026-12-02T01:31:11.000Z", "started_at": "2026-12-02T01:31:12.000Z",
           "completed_at": None, "elapsed_seconds": 5.0, "estimated_seconds_remaining": 6.0,
           "input": {"stages": 3}, "files": [], "artifacts": []}
    job.update(fields)
    return job


def status(job):
    return {"type": "job_status", "job_id": job["job_id"], "status": job, "seq": 7}


def test_durations_read_like_kubectl_ages():
    assert [text.duration(s) for s in (None, 0.44, 12.7, 185, 7620, 273600)] == \
           ["-", "0.4s", "12s", "3m05s", "2h07m", "3d04h"]


def test_an_age_counts_from_the_instant_the_service_gave():
    now = datetime(2026, 12, 2, 1, 34, 16, tzinfo=timezone.utc)
    assert text.age("2026-12-02T01:31:11.271Z", now) == "3m04s"
    assert text.age(None) == "-"


def test_a_table_aligns_its_columns_and_clips_lines_to_the_terminal():
    table = text.table(("ID", "STATUS", "MESSAGE"), [("a", "running", "step 1"), ("bbbb", None, "x" * 50)], width=30)
    assert table.splitlines() == ["ID    STATUS   MESSAGE", "a     running  step 1", "bbbb  -        " + "x" * 14 + "…"]


def test_the_bar_fills_by_eighths_and_falls_back_to_ascii():
    assert bar(0.5, width=4) == "██  "
    assert bar(0.53, width=4) == "██▏ "
    assert bar(1.0, width=4) == "████"
    assert bar(0.5, width=4, unicode=False) == "##--"


def test_the_bar_line_shows_percent_stage_elapsed_and_an_eta_from_the_jobs_pace():
    watch = JobWatch("j-1")
    watch.see(status(a_job()), now=100.0)
    line = bar_line(watch, now=102.0, columns=200)
    # 7 s since created, 6 s of them running at 40%: 9 s to go
    assert " 40%  stage-2 2/3  elapsed 7.0s  ETA 9.0s  Stage 2 of 3" in line


def test_a_progress_message_moves_the_bar_and_finds_its_stages_number():
    watch = JobWatch("j-1")
    watch.see(status(a_job()), now=100.0)
    watch.see({"type": "job_progress", "job_id": "j-1", "progress": 80, "message": "step 2", "stage": "stage-3",
               "seq": 9}, now=101.0)
    assert (watch.progress, watch.stage_text(), watch.message) == (80, "stage-3 3/3", "step 2")


def test_a_finished_job_shows_its_own_elapsed_time_and_no_eta():
    watch = JobWatch("j-1")
    watch.see(status(a_job(status="completed", progress=100, elapsed_seconds=8.5)), now=100.0)
    assert watch.elapsed(now=500.0) == 8.5
    assert watch.eta(now=500.0) is None
    assert "100%  completed  stage-2 2/3  elapsed 8.5s" in bar_line(watch, 500.0, 200)
    assert outcome_line(watch) == "j-1 completed in 8.5s"


def test_a_failed_job_says_its_error_and_attempts():
    watch = JobWatch("j-1")
    watch.see(status(a_job(status="failed", error="GPU out of memory", elapsed_seconds=2)), now=0.0)
    assert outcome_line(watch) == "j-1 failed after 2.0s (attempt 1 of 1): GPU out of memory"


def test_the_bar_line_never_outgrows_the_terminal():
    watch = JobWatch("j-1")
    watch.see(status(a_job(progress_message="m" * 300)), now=0.0)
    assert len(bar_line(watch, 0.0, columns=60)) == 59


def test_a_change_line_has_elapsed_status_percent_stage_and_message():
    watch = JobWatch("j-1")
    watch.see(status(a_job()), now=0.0)
    assert change_line(watch, 0.0) == "  5.0s  running     40%  stage-2 2/3  Stage 2 of 3 (stage-2): step 1 of 5"


def test_get_describes_the_job_with_its_stages_and_failed_attempts():
    job = a_job(status="failed", error="boom", errors=[{"attempt": 1, "stage": 2, "error": "boom",
                                                        "at": "2026-12-02T01:31:14.000Z"}],
                stages=[{"number": 1, "name": "stage-1", "started_at": "2026-12-02T01:31:12.000Z",
                         "completed_at": "2026-12-02T01:31:13.500Z"}],
                artifacts=[{"name": "report.json", "size": 2048, "content_type": "application/json"}])
    shown = describe(job)
    assert "Status:   failed (40%)" in shown
    assert "Error:    boom" in shown
    assert "1  stage-1  01:31:12.000  1.5s" in shown
    assert "report.json  2.0 KiB  application/json" in shown
    assert "1        2      2026-12-02 01:31:14 UTC  boom" in shown


def test_the_workers_table_shows_kind_status_types_slots_jobs_and_the_last_heartbeats_age():
    from jobline.cli.service import workers_table
    now = datetime(2026, 12, 2, 1, 32, 0, tzinfo=timezone.utc)
    listed = [
        {"worker_id": "host-1a2b3c4d", "kind": "in-process", "status": "idle", "instances": ["host-1a2b3c4d"],
         "types": ["demo", "noop"], "slots_total": 4, "slots_in_use": 0, "jobs": [],
         "started_at": "2026-12-02T01:00:00Z", "last_seen_at": "2026-12-02T01:31:58Z"},
        {"worker_id": "gpu-box-1/4711", "kind": "external", "status": "lost", "instances": ["host-1a2b3c4d"],
         "types": ["transcode"], "slots_total": None, "slots_in_use": 1,
         "jobs": [{"job_id": "7d1e0000-aaaa-bbbb-cccc-000000000000", "attempt": 3}],
         "started_at": "2026-12-02T01:00:00Z", "last_seen_at": "2026-12-02T01:30:00Z"},
    ]

    lines = workers_table(listed, now=now).splitlines()

    assert lines[0].split() == ["WORKER", "KIND", "STATUS", "TYPES", "SLOTS", "JOBS", "SEEN", "INSTANCE"]
    assert lines[1].split() == ["host-1a2b3c4d", "in-process", "idle", "demo,noop", "0/4", "-", "2.0s", "ago",
                                "host-1a2b3c4d"]
    assert lines[2].split() == ["gpu-box-1/4711", "external", "lost", "transcode", "1/-", "7d1e0000#3", "2m00s", "ago",
                                "host-1a2b3c4d"]


def test_the_workers_table_says_dash_where_a_non_admin_sees_no_job_ids():
    from jobline.cli.service import workers_table
    line = workers_table([{"worker_id": "w", "kind": "external", "status": "active", "types": ["t"],
                           "slots_total": 1, "slots_in_use": 1, "jobs": None, "last_seen_at": None,
                           "instances": ["i"]}]).splitlines()[1]

    assert line.split()[4:6] == ["1/1", "-"]


def test_a_deliverys_last_try_shows_its_answer_or_error_and_the_next_try_when_pending():
    from jobline.cli.webhooks import last_try
    delivered = {"status": "delivered", "attempts": [
        {"attempt": 1, "at": "2026-12-02T01:31:11.271Z", "status_code": 500, "error": "HTTP 500: boom",
         "duration_ms": 8, "delivered": False},
        {"attempt": 2, "at": "2026-12-02T01:31:16.500Z", "status_code": 204, "error": None, "duration_ms": 12,
         "delivered": True}]}
    pending = {"status": "pending", "next_attempt_at": "2026-12-02T01:36:16.000Z",
               "attempts": delivered["attempts"][:1]}

    assert last_try(delivered) == "204 in 12 ms at 01:31:16.500"
    assert last_try(pending) == "HTTP 500: boom in 8 ms at 01:31:11.271; next try at 01:36:16.000"
    assert last_try({"status": "pending", "attempts": []}) == "-"
