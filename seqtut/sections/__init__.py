"""The tutorial's sections, one module each, and the registry the CLI, `make run`, the bundles and the benchmark read.

Adding a section: write `seqtut/sections/NAME.py` with a `Section` subclass (see `base.py`,
or `forecasting.py` / `seq2seq.py` for the shared pipelines), then add it to `REGISTRY` below.
"""

from __future__ import annotations

from typing import Any

from seqtut.checks import one_of
from seqtut.sections.airline import Airline
from seqtut.sections.base import Result, Section, SectionSettings, modes, parse_numbers, report
from seqtut.sections.many_to_many import ManyToMany
from seqtut.sections.many_to_one import ManyToOne
from seqtut.sections.reverse import Reverse
from seqtut.sections.sequence_generation import SequenceGeneration
from seqtut.sections.shifted_window import ShiftedWindow

REGISTRY: dict[str, Section] = {
    section.name: section
    for section in (ManyToOne(), ManyToMany(), SequenceGeneration(), ShiftedWindow(), Reverse(), Airline())
}
"""Every section by its CLI name, in the order the tutorial teaches them."""


def names() -> tuple[str, ...]:
    """The CLI names of the registered sections, in tutorial order."""
    return tuple(REGISTRY)


def get(name: str) -> Section:
    """The section called `name`, or a ValueError that lists the names."""
    one_of(name, REGISTRY, "name")
    return REGISTRY[name]


def settings(name: str, fast: bool | None = None) -> Any:
    """The settings of section `name`, fast-mode ones when `fast` (default: `SEQTUT_FAST`)."""
    return get(name).settings(fast)


def run(name: str, **options: Any) -> Result:
    """Train section `name` (`Section.run`), measure it on held-out data, save a checkpoint."""
    return get(name).run(**options)


__all__ = ["REGISTRY", "Result", "Section", "SectionSettings", "get", "modes", "names", "parse_numbers", "report"]
__all__ += ["run", "settings"]
