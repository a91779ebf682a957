"""Show a piece of the package's own source where a notebook teaches it.

`show(fit)` reads the source from the installed package at run time, so what a notebook
displays is always what runs. In Jupyter (and on GitHub's notebook renderer) it appears as a
syntax-highlighted Python block; the plain-text form, which nbval compares, is the code itself.
"""

from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass

MAX_LINES = 40
"""A displayed piece longer than this does not fit one screen: split the function instead."""


@dataclass(frozen=True)
class Source:
    """A named piece of source code that renders as a highlighted block in Jupyter."""

    name: str
    code: str

    def __repr__(self) -> str:
        return f"# {self.name}\n{self.code}"

    def _repr_markdown_(self) -> str:
        return f"`{self.name}`\n\n```python\n{self.code}\n```"


def _name(obj: object) -> str:
    """`module.qualname` of a function, method or class, e.g. `seqtut.masks.causal_mask`."""
    target = getattr(obj, "__func__", obj)  # a bound or class method: its function
    module = getattr(target, "__module__", None) or "?"
    return f"{module}.{getattr(target, '__qualname__', repr(target))}"


def show(obj: object, *, max_lines: int = MAX_LINES) -> Source:
    """The source of the function, method or class `obj`, dedented, as a displayable `Source`."""
    target = getattr(obj, "__func__", obj)
    target = getattr(target, "fget", target)  # a property: its getter
    if not (inspect.isfunction(target) or inspect.isclass(target) or inspect.ismethod(target)):
        raise TypeError(f"obj: expected a function, method or class, got {type(obj).__name__}")
    try:
        code = textwrap.dedent(inspect.getsource(target)).rstrip()
    except (OSError, TypeError) as error:  # defined in a REPL, or a builtin
        raise ValueError(f"obj: no source file for {_name(target)} ({error})") from None
    lines = code.count("\n") + 1
    if lines > max_lines:
        raise ValueError(f"obj: {_name(target)} is {lines} lines, more than max_lines={max_lines}; split it")
    return Source(_name(target), code)
