"""What a long-running management command shows on a terminal: a progress bar; nothing when not on one."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

REFRESH_SECONDS = 0.5  # how often a bar without steps redraws its clock


class Advance(Protocol):
    """Moves a bar on by `steps`."""

    def __call__(self, steps: int = 1) -> None: ...


def _no_bar(steps: int = 1) -> None:
    return None


def _raw(stream):
    # A command's self.stderr is Django's OutputWrapper, which ends every write with a newline: a bar redraws
    # its line with "\r", so it writes to the stream underneath.
    return getattr(stream, "_out", stream)


def _is_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


@contextmanager
def progress(stream, description: str, total: int | None = None) -> Iterator[Advance]:
    """Show a bar on `stream` (a command's self.stderr) while the block runs, when it is a terminal.

    Yields `advance(steps=1)`. With `total` the bar counts the steps; without, it shows the time spent so far,
    for work that reports no steps. When `stream` is not a terminal (cron, CI, a pipe, call_command in tests)
    nothing at all is written, so the command's output stays exactly as before.
    """
    out = _raw(stream)
    if not _is_terminal(out):
        yield _no_bar
        return
    try:
        from tqdm import tqdm
    except ImportError:  # an image built before tqdm was added: the work matters, the bar does not
        yield _no_bar
        return
    bar = tqdm(total=total, desc=description, file=out, leave=False, dynamic_ncols=True, unit="")
    done = threading.Event()

    def redraw():
        while not done.wait(REFRESH_SECONDS):
            bar.refresh()

    clock = threading.Thread(target=redraw, daemon=True)
    clock.start()
    try:
        yield bar.update
    finally:
        done.set()
        clock.join()
        bar.refresh()  # the last count is drawn once (quick steps are throttled) before the line is cleared
        bar.close()
