"""Run a deeply recursive call without CPython mapping and unmapping its frame stack.

Since 3.11, CPython keeps a thread's Python frames in chunks of memory it maps from the
kernel (16 KiB each). A call that does not fit in the current chunk maps a new one;
when the first frame of a chunk returns, the chunk is unmapped. WeasyPrint's layout
recurses up and down across such a boundary all the time: about 2,000 `mmap`/`munmap`
pairs a plan, each paying page faults and a TLB flush, which was 5 to 9 % of a render
(`bench/README.md`).

A frame too big for the free space of the current chunk gets a new chunk of its own,
sized for the frame plus 1,000 slots and rounded up by doubling from 16 KiB
(`push_chunk` in CPython's `Python/pystate.c`). `call_with_stack_room` calls the
function from a frame of just over 3,096 slots, which gets a 64 KiB chunk with about
39 KiB free after it: the function's recursion runs there, in memory that stays mapped
until it returns. On other Pythons it is an ordinary call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

# Locals of the calling frame: its size is these plus its value stack and a few
# bookkeeping slots. 3,097 slots or more (and at most 7,192) give a 64 KiB chunk; the
# fewer, the more room is left after it.
_LOCALS = 3_120


def _frame_with_room() -> Callable[..., object]:
    # The names are locals because they are assigned; the assignment never runs.
    names = " = ".join(f"_{number}" for number in range(_LOCALS))
    source = ("def call(function, args, kwargs):\n"
              f"    if False:\n        {names} = None\n"
              "    return function(*args, **kwargs)\n")
    namespace: dict[str, object] = {}
    exec(compile(source, "<stack_room>", "exec"), namespace)  # our own text, above
    return namespace["call"]  # type: ignore[return-value]


_call = _frame_with_room()


def call_with_stack_room(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`function(*args, **kwargs)`, its recursion given a frame-stack chunk of its own."""
    return _call(function, args, kwargs)  # type: ignore[return-value]
