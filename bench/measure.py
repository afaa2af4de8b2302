"""Fair comparisons: every candidate measured in the same run, in a random order each round.

A figure is the median of the rounds, with the spread (the 25th to the 75th
percentile) beside it, so a busy machine shows as a wide spread rather than
as a flattering or alarming mean.
"""
import random
import statistics
import time
from dataclasses import dataclass


@dataclass
class Figure:
    name: str
    samples: list

    @property
    def median(self):
        return statistics.median(self.samples)

    @property
    def spread(self):
        if len(self.samples) < 2:
            return (self.samples[0], self.samples[0])
        quartiles = statistics.quantiles(self.samples, n=4, method="inclusive")
        return (quartiles[0], quartiles[2])


def compare(candidates, rounds, seed=None):
    """Time each `candidates[name]()` once per round, in a shuffled order; {name: Figure}.

    A candidate may return a number of seconds itself (what it timed inside);
    otherwise its wall time is taken.
    """
    order = list(candidates)
    shuffler = random.Random(seed)
    samples = {name: [] for name in order}
    for _ in range(rounds):
        shuffler.shuffle(order)
        for name in order:
            started = time.perf_counter()
            inner = candidates[name]()
            elapsed = time.perf_counter() - started
            samples[name].append(inner if isinstance(inner, (int, float)) else elapsed)
    return {name: Figure(name, samples[name]) for name in candidates}


def milliseconds(seconds):
    return f"{seconds * 1000:.1f} ms"


def table(title, figures, baseline, unit=milliseconds, note=""):
    """A Markdown table: each figure's median, spread and ratio to `baseline`'s median."""
    base = figures[baseline].median
    lines = [f"### {title}", ""]
    if note:
        lines += [note, ""]
    lines += ["| | median | 25th-75th percentile | ratio to baseline |",
              "| --- | --- | --- | --- |"]
    for figure in figures.values():
        low, high = figure.spread
        label = f"{figure.name} (baseline)" if figure.name == baseline else figure.name
        lines.append(f"| {label} | {unit(figure.median)} | {unit(low)} to {unit(high)} "
                     f"| {figure.median / base:.2f}x |")
    rounds = len(next(iter(figures.values())).samples)
    lines += ["", f"{rounds} rounds, order shuffled each round.", ""]
    return "\n".join(lines)
