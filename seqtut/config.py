"""Model configs from one declaration: a model's constructor signature.

`@records_config` on `__init__` stores the arguments it was called with, defaults filled in,
as `self.config`. A checkpoint saves that dict and rebuilds the model with `cls(**config)`,
so no list of arguments is ever copied by hand.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., None])


def records_config(init: F) -> F:
    """Decorate `__init__` so that `self.config` holds its bound arguments (without `self`)."""
    signature = inspect.signature(init)

    @functools.wraps(init)
    def wrapper(self, *args, **kwargs) -> None:
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        init(self, *args, **kwargs)
        self.config = {name: value for name, value in bound.arguments.items() if name != "self"}

    return wrapper  # type: ignore[return-value]
