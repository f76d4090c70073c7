"""The shapes a job type may be given in: a class, a mapping of functions, a single function."""
import pytest

import jobline
from jobline.worker.job_type import job_type_of


def test_a_class_maps_each_stage_to_the_method_of_the_same_name_with_dashes_as_underscores():
    class Video:
        def download(self, ctx):
            return "d"

        def detect_scenes(self, ctx):
            return "s"

    job_type = job_type_of("video", Video, ["download", "detect-scenes"], {})
    assert job_type.stage_names == ["download", "detect-scenes"]
    assert job_type.function("detect-scenes")(None) == "s"


def test_a_mapping_takes_its_stages_in_order():
    job_type = job_type_of("mapped", {"b": lambda ctx: 1, "a": lambda ctx: 2}, None, {})
    assert job_type.stage_names == ["b", "a"]


def test_a_function_is_a_single_stage_named_after_it():
    def resize(ctx):
        return None

    assert job_type_of("resize", resize, None, {}).stage_names == ["resize"]


def test_the_declaration_leaves_out_what_was_not_given():
    worker = jobline.Worker("http://localhost:1")
    job_type = worker.add_job_type("declared", {"one": lambda ctx: None}, description="d", dedup_key=None)
    assert job_type.body() == {"stages": ["one"], "description": "d"}


@pytest.mark.parametrize("name, definition, stages, complaint", [
    ("Bad Name", {"a": lambda ctx: None}, None, "must match"),
    ("no-stages", type("Empty", (), {}), None, "Name the stages"),
    ("missing", type("Half", (), {"a": lambda self, ctx: None}), ["a", "b"], "no method for stage(s) ['b']"),
    ("twice", {"a": lambda ctx: None}, ["a", "a"], "must be unique"),
    ("unmapped", {"a": lambda ctx: None}, ["a", "b"], "No function for stage(s) ['b']"),
])
def test_a_malformed_job_type_is_refused_when_registered(name, definition, stages, complaint):
    with pytest.raises(ValueError, match=None) as refused:
        job_type_of(name, definition, stages, {})
    assert complaint in str(refused.value)
