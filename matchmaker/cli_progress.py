"""A progress bar for long CLI jobs, fed by the (phase, done, total) callbacks that services take."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from tqdm import tqdm


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[str, int, int], None]]:
    bar = tqdm(desc=description, unit="row", dynamic_ncols=True, mininterval=0.3)
    phase = {"name": None}

    def update(name: str, done: int, total: int) -> None:
        if name != phase["name"]:
            phase["name"] = name
            bar.set_description(f"{description}: {name}")
            bar.reset(total=total or None)
        if total:
            bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        bar.close()
