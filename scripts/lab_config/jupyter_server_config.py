"""Jupyter server settings for `make lab`, read through JUPYTER_CONFIG_PATH (set by scripts/lab.py).

What they do and why: scripts/lab.py's module docstring.
"""

import importlib.util
import sys
from pathlib import Path

_script = Path(__file__).resolve().parent.parent / "lab.py"
_spec = importlib.util.spec_from_file_location("seqtut_lab", _script)
assert _spec is not None and _spec.loader is not None
_lab = importlib.util.module_from_spec(_spec)
sys.modules["seqtut_lab"] = _lab  # the contents manager class is looked up by its module
_spec.loader.exec_module(_lab)
_lab.configure(get_config())  # noqa: F821 (traitlets defines get_config for config files)
