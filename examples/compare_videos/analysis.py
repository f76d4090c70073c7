"""Comparing two videos by their colour histograms: per frame, then a summary."""
from __future__ import annotations

BINS = 8  # per channel


def histogram(frame: bytes) -> list[int]:
    """Counts of each channel's values in ``BINS`` bins: R bins, then G, then B."""
    counts = [0] * (3 * BINS)
    width = 256 // BINS
    for i in range(0, len(frame), 3):
        counts[frame[i] // width] += 1
        counts[BINS + frame[i + 1] // width] += 1
        counts[2 * BINS + frame[i + 2] // width] += 1
    return counts


def distance(a: list[int], b: list[int]) -> float:
    """Half the L1 distance of the normalized histograms: 0 for the same colours, 1 for nothing in common."""
    total = sum(a) or 1
    return round(sum(abs(x - y) for x, y in zip(a, b)) / (2 * total), 4)


def cuts(histograms: list[list[int]], threshold: float = 0.35) -> list[int]:
    """Frames where the picture changes abruptly from the frame before: the scene cuts."""
    return [i for i in range(1, len(histograms)) if distance(histograms[i - 1], histograms[i]) > threshold]


def summary(distances: list[float], cuts_a: list[int], cuts_b: list[int], threshold: float = 0.25) -> dict:
    different = [i for i, d in enumerate(distances) if d > threshold]
    return {
        "frames": len(distances),
        "similarity": round(1 - sum(distances) / max(1, len(distances)), 4),
        "mean_distance": round(sum(distances) / max(1, len(distances)), 4),
        "max_distance": max(distances, default=0.0),
        "different_frames": len(different),
        "different_ranges": _ranges(different),
        "cuts_a": cuts_a,
        "cuts_b": cuts_b,
        "verdict": "same" if not different else "edited" if len(different) < len(distances) / 2 else "different",
    }


def _ranges(indices: list[int]) -> list[list[int]]:
    ranges: list[list[int]] = []
    for index in indices:
        if ranges and ranges[-1][1] == index - 1:
            ranges[-1][1] = index
        else:
            ranges.append([index, index])
    return ranges
