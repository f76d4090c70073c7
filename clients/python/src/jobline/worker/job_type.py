"""A job type as this worker runs it: its name, its stage functions in order, and its declaration."""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from .. import _requests

NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
StageFunction = Callable[..., Any]
ANY_STAGE = "*"               # in a mapping of a type with dynamic stages: runs a stage without a function of its own
ANY_STAGE_METHOD = "any_stage"  # the same, in a class


@dataclass(frozen=True)
class JobType:
    name: str
    stages: tuple[tuple[str, StageFunction], ...]
    declaration: Mapping[str, Any] = field(default_factory=dict)
    # With dynamic stages: the function of any stage name, also of one declared as the job goes; None when none.
    resolve: Callable[[str], StageFunction | None] | None = None

    @property
    def stage_names(self) -> list[str]:
        return [name for name, _ in self.stages]

    @property
    def dynamic(self) -> bool:
        """Whether its stages after the first plan are declared by the stages as they go (``set_next_stages``)."""
        return bool(self.declaration.get("dynamic_stages"))

    def function(self, stage: str) -> StageFunction | None:
        found = dict(self.stages).get(stage)
        if found is None and self.resolve is not None:
            found = self.resolve(stage)
        return found

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
    it, or after ``stages[0]``).

    With ``dynamic_stages`` in the declaration, ``stages`` is the plan a job starts with, and a stage named as the job
    goes runs the function of its name: the method named after it, or else ``any_stage``, in a class; its entry, or
    else the one of ``"*"``, in a mapping; a function runs every stage."""
    if not NAME.fullmatch(name):
        raise ValueError(f"Job type name {name!r} must match {NAME.pattern}")
    dynamic = bool(declaration.get("dynamic_stages"))
    resolve: Callable[[str], StageFunction | None] | None = None
    if isinstance(definition, Mapping):
        if dynamic:
            resolve = _any_in_mapping(definition)
        functions = _from_mapping(definition, stages, resolve)
    elif isinstance(definition, type):
        instance = definition()
        resolve = _any_method(instance) if dynamic else None
        functions = _from_object(instance, stages, definition.__name__, resolve)
    elif inspect.isroutine(definition):
        names = list(stages or [definition.__name__])
        if len(names) != 1 and not dynamic:
            raise ValueError(f"A function is one stage; {name} names {len(names)}: use a class or a mapping")
        functions = [(stage, definition) for stage in names]
        resolve = (lambda stage: definition) if dynamic else None
    else:
        resolve = _any_method(definition) if dynamic else None
        functions = _from_object(definition, stages, type(definition).__name__, resolve)
    if not 1 <= len(functions) <= 100:
        raise ValueError(f"A job type has 1 to 100 stages; {name} has {len(functions)}")
    if len({stage for stage, _ in functions}) != len(functions):
        raise ValueError(f"Stage names of {name} must be unique: {[stage for stage, _ in functions]}")
    return JobType(name, tuple(functions), dict(declaration), resolve)


def _any_in_mapping(definition: Mapping[str, StageFunction]) -> Callable[[str], StageFunction | None]:
    def resolve(stage: str) -> StageFunction | None:
        function = definition.get(stage, definition.get(ANY_STAGE))
        return function if callable(function) else None
    return resolve


def _any_method(instance: Any) -> Callable[[str], StageFunction | None]:
    def resolve(stage: str) -> StageFunction | None:
        method = getattr(instance, method_name(stage), None)
        if not callable(method):
            method = getattr(instance, ANY_STAGE_METHOD, None)
        return method if callable(method) else None
    return resolve


def _from_mapping(definition: Mapping[str, StageFunction], stages: Sequence[str] | None,
                  resolve: Callable[[str], StageFunction | None] | None) -> list[tuple[str, Any]]:
    names = list(stages) if stages is not None else [stage for stage in definition if stage != ANY_STAGE or not resolve]
    lookup = resolve or (lambda stage: definition.get(stage) if callable(definition.get(stage)) else None)
    missing = [stage for stage in names if lookup(stage) is None]
    if missing:
        raise ValueError(f"No function for stage(s) {missing}")
    return [(stage, lookup(stage)) for stage in names]


def _from_object(instance: Any, stages: Sequence[str] | None, label: str,
                 resolve: Callable[[str], StageFunction | None] | None) -> list[tuple[str, Any]]:
    if not stages:
        raise ValueError(f"Name the stages of {label} in order: stages=[...] (each a method of it)")
    lookup = resolve or (lambda stage: getattr(instance, method_name(stage), None)
                         if callable(getattr(instance, method_name(stage), None)) else None)
    missing = [stage for stage in stages if lookup(stage) is None]
    if missing:
        raise ValueError(f"{label} has no method for stage(s) {missing} (expected {[method_name(s) for s in missing]})")
    return [(stage, lookup(stage)) for stage in stages]
