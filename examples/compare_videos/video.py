"""Synthetic "videos" for the example: frames of RGB pixels made from a seed, saved as raw bytes.

A video is a few scenes; each scene has its own base colour that drifts from frame to frame, plus noise. A second
video made from the same seed with ``noise`` and a ``new_scene_at`` differs the way a re-encoded, re-edited copy
would, which is what the comparison should find.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class VideoSpec:
    seed: int
    frames: int = 120
    width: int = 64
    height: int = 48
    scene_length: int = 30
    noise: int = 0              # extra per-pixel noise, 0-255
    new_scene_at: int | None = None  # frame from which a scene not in the original is cut in (for 20 frames)

    @classmethod
    def of(cls, spec: dict, frames: int, width: int, height: int) -> "VideoSpec":
        return cls(seed=spec["seed"], frames=frames, width=width, height=height, noise=spec.get("noise", 0),
                   new_scene_at=spec.get("new_scene_at"))

    @property
    def frame_bytes(self) -> int:
        return self.width * self.height * 3


def _scene_colour(rng: random.Random) -> tuple[int, int, int]:
    return rng.randrange(30, 226), rng.randrange(30, 226), rng.randrange(30, 226)


def frame(spec: VideoSpec, index: int) -> bytes:
    """Frame ``index`` of the video: deterministic from the seed, whatever frames were made before."""
    scene = index // spec.scene_length
    colour = _scene_colour(random.Random(spec.seed * 1000 + scene))
    if spec.new_scene_at is not None and spec.new_scene_at <= index < spec.new_scene_at + 20:
        colour = _scene_colour(random.Random(spec.seed * 7919 + 1))
    drift = (index % spec.scene_length) * 2
    rng = random.Random(spec.seed * 100_003 + index)
    extra = random.Random(spec.seed * 31 + index * 17 + 5) if spec.noise else None
    pixels = bytearray(spec.frame_bytes)
    for i in range(0, spec.frame_bytes, 3):
        for channel in range(3):
            value = colour[channel] + drift + rng.randrange(-20, 21)
            if extra is not None:
                value += extra.randrange(-spec.noise, spec.noise + 1)
            pixels[i + channel] = min(255, max(0, value))
    return bytes(pixels)


def write(spec: VideoSpec, path: Path, on_frame=None) -> str:
    """Writes every frame to ``path``; answers the file's SHA-256. ``on_frame(i)`` after each frame."""
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        for index in range(spec.frames):
            data = frame(spec, index)
            digest.update(data)
            out.write(data)
            if on_frame is not None:
                on_frame(index)
    return digest.hexdigest()


def read_frames(spec: VideoSpec, path: Path):
    """The frames of a written video, one at a time."""
    with open(path, "rb") as source:
        for _ in range(spec.frames):
            yield source.read(spec.frame_bytes)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(1 << 16):
            digest.update(chunk)
    return digest.hexdigest()
