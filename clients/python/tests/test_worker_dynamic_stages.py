"""A job type with dynamic stages against the fake server: stages name the ones to run after them as they go."""
from __future__ import annotations

from jobline.worker.job_type import job_type_of


def test_a_stage_declares_the_next_stages_and_the_worker_runs_them_by_name_or_with_any_stage(
        fake, new_worker, start_worker):
    worker = new_worker()
    seen = []

    @worker.job_type("ingest", stages=["prepare"], dynamic_stages=True)
    class Ingest:
        def prepare(self, ctx):
            ctx.set_next_stages([f"file-{i}" for i in range(1, ctx.input["files"] + 1)] + ["summary"])
            return {"done": []}

        def summary(self, ctx):
            seen.append(("summary", ctx.stage.number, list(ctx.stages)))
            return {"files": ctx.checkpoint["done"]}

        def any_stage(self, ctx):
            seen.append((ctx.stage.name, ctx.stage.number, None))
            return {"done": ctx.checkpoint["done"] + [ctx.stage.name]}

    start_worker(worker)
    job_id = fake.submit("ingest", {"files": 2})

    fake.wait_for(lambda: fake.jobs[job_id].status == "completed", message="the job completed")
    assert fake.job(job_id).result == {"files": ["file-1", "file-2"]}
    assert fake.job(job_id).stages == ["prepare", "file-1", "file-2", "summary"]
    assert seen == [("file-1", 2, None), ("file-2", 3, None),
                    ("summary", 4, ["prepare", "file-1", "file-2", "summary"])]
    reports = [(c.kind, c.stage, c.body) for c in fake.calls_of(job_id, kinds=("stage_complete", "complete"))]
    assert reports == [
        ("stage_complete", 1, {"checkpoint": {"done": []}, "next_stages": ["file-1", "file-2", "summary"]}),
        ("stage_complete", 2, {"checkpoint": {"done": ["file-1"]}}),
        ("stage_complete", 3, {"checkpoint": {"done": ["file-1", "file-2"]}}),
        ("complete", None, {"result": {"files": ["file-1", "file-2"]}})]
    assert fake.types["ingest"].body["dynamic_stages"] is True


def test_an_empty_list_of_next_stages_makes_the_stage_the_last(fake, new_worker, start_worker):
    worker = new_worker()
    worker.add_job_type("maybe", {
        "check": lambda ctx: ctx.set_next_stages([]) or {"nothing": "to do"},
        "work": lambda ctx: {"worked": True},
    }, dynamic_stages=True)
    start_worker(worker)
    job_id = fake.submit("maybe")

    fake.wait_for(lambda: fake.jobs[job_id].status == "completed", message="the job completed")
    assert fake.job(job_id).result == {"nothing": "to do"}
    assert fake.job(job_id).stages == ["check"]
    reports = [(c.kind, c.stage, c.body) for c in fake.calls_of(job_id, kinds=("stage_complete", "complete"))]
    assert reports == [("stage_complete", 1, {"checkpoint": {"nothing": "to do"}, "next_stages": []}),
                       ("complete", None, {"result": {"nothing": "to do"}})]


def test_a_mapping_runs_a_declared_stage_without_an_entry_of_its_own_with_its_star_entry(fake, new_worker, start_worker):
    worker = new_worker()
    ran = []
    worker.add_job_type("fan-out", {
        "split": lambda ctx: ctx.set_next_stages(["part-a", "part-b"]),
        "*": lambda ctx: ran.append(ctx.stage.name),
    }, dynamic_stages=True)
    start_worker(worker)
    job_id = fake.submit("fan-out")

    fake.wait_for(lambda: fake.jobs[job_id].status == "completed", message="the job completed")
    assert ran == ["part-a", "part-b"]
    assert worker.job_types["fan-out"].stage_names == ["split"]


def test_a_stage_of_a_type_with_a_fixed_plan_that_names_next_stages_fails_the_job_without_a_retry(
        fake, new_worker, start_worker):
    worker = new_worker()
    worker.add_job_type("fixed", {"one": lambda ctx: ctx.set_next_stages(["other"]), "two": lambda ctx: None},
                        options={"max_attempts": 3})
    start_worker(worker)
    job_id = fake.submit("fixed")

    fake.wait_for(lambda: fake.jobs[job_id].status == "failed", message="the job failed")
    [failure] = fake.calls_of(job_id, kinds=["fail"])
    assert failure.body["retryable"] is False and "dynamic_stages=True" in failure.body["error"]
    assert not fake.calls_of(job_id, kinds=["stage_complete"])


def test_naming_a_stage_the_worker_has_no_function_for_fails_the_job_before_it_is_declared(
        fake, new_worker, start_worker):
    worker = new_worker()
    worker.add_job_type("picky", {"first": lambda ctx: ctx.set_next_stages(["unknown"])}, dynamic_stages=True)
    start_worker(worker)
    job_id = fake.submit("picky")

    fake.wait_for(lambda: fake.jobs[job_id].status == "failed", message="the job failed")
    [failure] = fake.calls_of(job_id, kinds=["fail"])
    assert failure.body["retryable"] is False and "['unknown']" in failure.body["error"]
    assert fake.job(job_id).stages == ["first"]


def test_a_function_of_a_type_with_dynamic_stages_runs_every_stage_of_its_plan():
    def step(ctx):
        return ctx.stage.name

    job_type = job_type_of("steps", step, ["one", "two"], {"dynamic_stages": True})

    assert job_type.stage_names == ["one", "two"]
    assert job_type.function("declared-later") is step
    assert job_type.body() == {"stages": ["one", "two"], "dynamic_stages": True}
