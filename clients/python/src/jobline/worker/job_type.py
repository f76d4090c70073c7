"""A job type as this worker runs it: its name, its stage functions in order, and its declaration."""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from .. import _requests

NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
StageFunction = Callable[..., Any]


@dataclass(frozen=True)
class JobType:
    name: str
    stages: tuple[tuple[str, StageFunction], ...]
    declaration: Mapping[str, Any] = field(default_factory=dict)

    @property
    def stage_names(self) -> list[str]:
        return [name for name, _ in self.stages]

    def function(self, stage: str) -> StageFunction | None:
        return dict(self.stages).get(stage)

    def body(self) -> dict[str, Any]:
        """The body of ``PUT /api/job-types/{name}``."""
        return _requests.type_declaration(self.stage_names, **self.declaration)


def method_name(stage: str) -> str:
    """The method that runs a stage of a class-based type: ``"download-video"`` -> ``download_video``."""
    return re.sub(r"\W", "_", stage)


def job_type_of(name: str, definition: Any, stages: Sequence[str] | None,
                declaration: Mapping[str, Any]) -> JobType:
    """Builds a JobType from a class (instantiated once, no arguments; ``stages`` names its methods in order), an
    instance of one, a mapping of stage name -> function (in order), or one function (a single stage named after
    it, or after ``stages[0]``)."""
    if not NAME.fullmatch(name):
        raise ValueError(f"Job type name {name!r} must match {NAME.pattern}")
    if isinstance(definition, Mapping):
        functions = _from_mapping(definition, stages)
    elif isinstance(definition, type):
        functions = _from_object(definition(), stages, definition.__name__)
    elif inspect.isroutine(definition):
        names = list(stages or [definition.__name__])
        if len(names) != 1:
            raise ValueError(f"A function is one stage; {name} names {len(names)}: use a class or a mapping")
        functions = [(names[0], definition)]
    else:
        functions = _from_object(definition, stages, type(definition).__name__)
    if not 1 <= len(functions) <= 100:
        raise ValueError(f"A job type has 1 to 100 stages; {name} has {len(functions)}")
    if len({stage for stage, _ in functions}) != len(functions):
        raise ValueError(f"Stage names of {name} must be unique: {[stage for stage, _ in functions]}")
    return JobType(name, tuple(functions), dict(declaration))


def _from_mapping(definition: Mapping[str, StageFunction], stages: Sequence[str] | None) -> list[tuple[str, Any]]:
    names = list(stages) if stages is not None else list(definition)
    missing = [stage for stage in names if not callable(definition.get(stage))]
    if missing:
        raise ValueError(f"No function for stage(s) {missing}")
    return [(stage, definition[stage]) for stage in names]


def _from_object(instance: Any, stages: Sequence[str] | None, label: str) -> list[tuple[str, Any]]:
    if not stages:
        raise ValueError(f"Name the stages of {label} in order: stages=[...] (each a method of it)")
    missing = [stage for stage in stages if not callable(getattr(instance, method_name(stage), None))]
    if missing:
        raise ValueError(f"{label} has no method for stage(s) {missing} (expected {[method_name(s) for s in missing]})")
    return [(stage, getattr(instance, method_name(stage))) for stage in stages]

