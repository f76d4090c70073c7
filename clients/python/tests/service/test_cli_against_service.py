"""The ``jobline`` command against the real service, run as a subprocess: on a terminal, piped, and with --json."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support import cli
from tests.support.waiting import wait_until

DEMO = json.dumps({"stages": 3, "stage_ms": 300})
FAILING = json.dumps({"stages": 2, "stage_ms": 100, "fail_at_stage": 1})


@pytest.fixture
def env(service_url, tmp_path) -> dict[str, str]:
    return cli.environment(service_url, tmp_path / "no-config.toml")


def test_submit_follow_on_a_terminal_draws_a_bar_that_reaches_100_percent_and_exits_0(env):
    ran = cli.run_on_terminal(env, "submit", "demo", "--input", DEMO, "--follow")

    assert ran.code == 0, ran.out
    assert "\r" in ran.out and "\x1b[K" in ran.out, "the bar is redrawn in place"
    frames = [frame for frame in re.split(r"[\r\n]+", ran.out) if "%" in frame]
    assert any(re.search(r"\]\s+\d+%\s+stage-\d 2/3\s+elapsed", frame) for frame in frames), frames
    assert re.search(r"\[█{24}\]\s+100%\s+completed\s+stage-3 3/3\s+elapsed", ran.out), frames[-3:]
    assert re.search(r"[0-9a-f-]{36} completed in \d", ran.out)


def test_a_failed_job_exits_1_with_its_error_on_stderr(env):
    ran = cli.run(env, "submit", "demo", "--input", FAILING, "--option", "max_attempts=1", "--follow")

    assert ran.code == 1
    assert re.fullmatch(r"[0-9a-f-]{36}\n", ran.out), "stdout has the job id only"
    assert "failed after" in ran.err and "Demo failure in stage 1 of 2" in ran.err
    assert "Traceback" not in ran.err


def test_piped_follow_prints_one_line_per_change_and_no_redraws(env):
    ran = cli.run(env, "submit", "demo", "--input", json.dumps({"stages": 2, "stage_ms": 100}), "--follow")

    assert ran.code == 0
    assert "\r" not in ran.err and "\x1b" not in ran.err
    lines = ran.err.splitlines()
    assert len(lines) == len(set(lines)), "a line is printed only when something changed"
    assert re.search(r"completed\s+100%\s+stage-2 2/2", ran.err)


def test_json_output_parses_for_submit_get_ls_and_a_followed_job(env):
    submitted = cli.run(env, "submit", "demo", "--input", DEMO, "--json").json()
    job_id = submitted["job_id"]
    assert submitted["status"] == "pending"

    followed = cli.run(env, "follow", job_id, "--json")
    assert followed.code == 0
    assert followed.json()["status"] == "completed" and followed.json()["progress"] == 100

    assert cli.run(env, "get", job_id, "--json").json()["stages_total"] == 3
    listing = cli.run(env, "--json", "ls", "--type", "demo", "--status", "completed").json()
    assert job_id in [job["job_id"] for job in listing["jobs"]]
    events = cli.run(env, "events", job_id, "--json").json()
    assert events["events"][0]["type"] == "JobSubmitted" and events["events"][-1]["type"] == "JobCompleted"
    assert "demo" in [t["name"] for t in cli.run(env, "types", "--json").json()]


def test_result_writes_the_result_to_a_file_and_downloads_artifacts(env, tmp_path: Path):
    sales = tmp_path / "sales.csv"
    sales.write_text("region,amount\nnorth,10\nsouth,20.5\n")
    job_id = cli.run(env, "submit", "csv-report", "--file", str(sales), "--follow", "--quiet").out.strip()

    written = cli.run(env, "result", job_id, "-o", str(tmp_path / "result.json"))
    assert written.code == 0, written.err
    assert json.loads((tmp_path / "result.json").read_text())["rows"] == 2
    assert "report.json" in written.err, "the artifacts are named"

    downloaded = cli.run(env, "result", job_id, "--all-artifacts", "--dir", str(tmp_path / "artifacts"))
    assert downloaded.code == 0, downloaded.err
    assert json.loads((tmp_path / "artifacts" / "report.json").read_text())["rows"] == 2
    assert cli.run(env, "result", job_id, "--artifact", "sales.csv", "-o", "-").out == sales.read_text()


def test_a_cancelled_job_exits_2_and_then_has_no_result(env):
    job_id = cli.run(env, "submit", "demo", "--input", json.dumps({"stages": 5, "stage_ms": 5000})).out.strip()
    assert cli.run(env, "cancel", job_id).code == 0

    assert cli.run(env, "follow", job_id, "--quiet").code == 2
    no_result = cli.run(env, "result", job_id)
    assert no_result.code == 2 and "cancelled" in no_result.err


def test_a_problem_answer_is_printed_as_title_and_detail_and_exits_4(env):
    unknown = cli.run(env, "get", "00000000-0000-0000-0000-000000000000")
    assert unknown.code == 4
    assert unknown.err.startswith("jobline: ") and "No job with id" in unknown.err and "Traceback" not in unknown.err

    invalid = cli.run(env, "submit", "demo", "--input", '{"stages": "many"}')
    assert invalid.code == 4
    assert "input/stages" in invalid.err


def test_rm_deletes_and_ls_shows_a_table(env):
    job_id = cli.run(env, "submit", "noop").out.strip()
    table = cli.run(env, "ls", "--type", "noop")
    assert table.out.splitlines()[0].split() == ["ID", "TYPE", "STATUS", "PROGRESS", "STAGE", "AGE", "DURATION"]
    assert job_id in table.out

    assert cli.run(env, "rm", job_id).out == f"{job_id}: deletion requested\n"
    wait_until(lambda: cli.run(env, "get", job_id).code == 4, timeout=10, interval=0.2,
               message="the deleted job is gone")  # deletion is decided asynchronously


def test_workers_lists_the_services_in_process_worker_from_the_registry(env):
    def listed():
        ran = cli.run(env, "workers", "--json")
        assert ran.code == 0, ran.err
        return [w for w in ran.json()["workers"] if w["kind"] == "in-process"]
    wait_until(lambda: len(listed()) == 1, message="the in-process worker is announced")  # within a heartbeat
    worker = listed()[0]
    assert worker["status"] in ("idle", "active")
    assert "demo" in worker["types"]
    assert worker["slots_total"] >= 1

    table = cli.run(env, "workers")
    assert table.code == 0, table.err
    assert table.out.splitlines()[0].split()[:3] == ["WORKER", "KIND", "STATUS"]
    assert worker["worker_id"] in table.out
