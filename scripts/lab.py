"""`make lab`: JupyterLab on this repository, leaving the committed notebooks alone.

Opening a notebook, running it and saving it changes nothing in its two files but what the learner
changed (outputs, edited cells). Without the settings below, opening any notebook and changing nothing
rewrote its `.ipynb` at the first autosave: `language_info.version` added (the kernel's Python) and every
whole float in the notebook's metadata (`"full_s": 86.0`) written as an int (`86`), the browser's
JSON having no 86.0. `scripts/lab_config/jupyter_server_config.py`, found through `JUPYTER_CONFIG_PATH`,
applies:

- a pre-save hook (`ContentsManager.register_pre_save_hook`; jupytext saves each file of a pair
  through its base class's `save`, which runs it): the kernelspec and version-free `language_info`
  that `make sync` commits (`scripts/notebook_metadata.py`), and each number the browser turned from
  a float into an equal int gets its on-disk type back;
- a contents manager (jupytext's, on jupyter_server's default `AsyncLargeFileManager`) that adds this
  Python's version to the committed `language_info` when a notebook is opened. Lab copies the kernel's
  `language_info` into the notebook once the kernel starts and marks the tab modified when it differs;
  with the version already there it does not (the hook drops it again on save). It also refuses to
  save a notebook over an existing `.py` without a paired `.ipynb`: such a `.py` opened with
  Open With → Jupytext Notebook is a module (`seqtut/*.py`), and jupytext would rewrite it as a notebook;
- kernels on IPC sockets, as `make run` does (scripts/run_tutorial.py): no port is open and ipykernel
  has no unencrypted-TCP warning to print.

Nothing here changes which viewer opens a file: a double-click on a `.py` opens the text editor, as in
any JupyterLab, and `notebooks/NN_name.py` opens as a notebook by right-click → Open With → Jupytext
Notebook (README, "Opening the notebooks"). No setting is written outside this repository.

Usage: python scripts/lab.py [jupyter lab options ...]   (`make lab` passes LAB_FLAGS)
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "scripts" / "lab_config"
"""The folder `JUPYTER_CONFIG_PATH` adds: it holds jupyter_server_config.py."""
UNIX_SOCKET_PATH = 103
"""The longest path a Unix socket may have (macOS: 104 bytes with the final NUL; Linux allows 107)."""

_spec = importlib.util.spec_from_file_location("notebook_metadata", ROOT / "scripts" / "notebook_metadata.py")
assert _spec is not None and _spec.loader is not None
notebook_metadata = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(notebook_metadata)


def kernel_version() -> str:
    """The `language_info.version` ipykernel reports for this Python (its `sys.version.split()[0]`)."""
    return sys.version.split()[0]


def restore_numbers(new: Any, old: Any) -> Any:
    """`new`, where each int that stands in place of an equal float in `old` is that float again.

    Dicts are matched by key and lists of equal length by position, in place; anything else is kept.
    """
    if isinstance(new, dict) and isinstance(old, dict):
        for key, value in new.items():
            if key in old:
                new[key] = restore_numbers(value, old[key])
    elif isinstance(new, list) and isinstance(old, list) and len(new) == len(old):
        for index, value in enumerate(new):
            new[index] = restore_numbers(value, old[index])
    elif type(new) is int and type(old) is float and new == old:
        return old
    return new


def normalize_for_save(notebook: dict, on_disk: dict | None) -> None:
    """Give a notebook about to be saved (in place) the metadata the repository commits.

    A notebook on the tutorial's kernel (python3, or none yet) gets `notebook_metadata.set_metadata`;
    another kernel's notebook keeps its kernelspec and only loses `language_info.version`. With
    `on_disk` (the file as it is now), numbers keep their on-disk type: in the notebook's metadata, and
    in each cell whose id is still there.
    """
    metadata = notebook.setdefault("metadata", {})
    kernel = (metadata.get("kernelspec") or {}).get("name")
    if kernel in (None, notebook_metadata.KERNELSPEC["name"]):
        notebook_metadata.set_metadata(metadata)
    elif isinstance(metadata.get("language_info"), dict):
        metadata["language_info"].pop("version", None)
    if not on_disk:
        return
    restore_numbers(metadata, on_disk.get("metadata"))
    old_cells = {cell.get("id"): cell for cell in on_disk.get("cells", []) if isinstance(cell, dict)}
    for cell in notebook.get("cells", []):
        if isinstance(cell, dict) and cell.get("id") in old_cells:
            restore_numbers(cell, old_cells[cell["id"]])


def _read_on_disk(contents_manager: Any, path: str) -> dict | None:
    """The notebook at `path` as it is on disk now (parsed JSON), or None if there is none to read."""
    from tornado.web import HTTPError

    get_os_path = getattr(contents_manager, "_get_os_path", None)
    if get_os_path is None:
        return None
    try:
        found = json.loads(Path(get_os_path(path)).read_text(encoding="utf-8"))
    except (OSError, ValueError, HTTPError):
        return None
    return found if isinstance(found, dict) else None


def pre_save_hook(model: dict, path: str, contents_manager: Any, **kwargs: Any) -> None:
    """`ContentsManager.pre_save_hook`: normalise a notebook model before it is written (see the module doc).

    jupytext saves a pair file by file through its base class, so this runs for the `.ipynb` (a notebook
    model) and for the `.py` (a text model, left as it is: the `.py` keeps no notebook metadata).
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    normalize_for_save(model["content"], _read_on_disk(contents_manager, path))


def add_kernel_version(model: dict) -> None:
    """Add this Python's version to a notebook model whose `language_info` is the committed one."""
    content = model.get("content") if model.get("type") == "notebook" else None
    info = content.get("metadata", {}).get("language_info") if isinstance(content, dict) else None
    if info == notebook_metadata.LANGUAGE_INFO:
        info["version"] = kernel_version()


def unpaired_message(path: str) -> str:
    """The one line Lab shows when a notebook would be saved over the unpaired `.py` at `path`."""
    paired = Path(path).with_suffix(".ipynb").name
    return (
        f"{path} was not saved: it is a Python module with no paired {paired}, and saving it as a"
        " notebook would rewrite it. Close this tab without saving and open the file with"
        " right-click → Open With → Editor."
    )


def contents_manager_class() -> type | None:
    """jupytext's contents manager on jupyter_server's default one, with `pre_save_hook` registered,
    `add_kernel_version` on open and no notebook saved over an unpaired `.py`; None without jupytext."""
    try:
        from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
        from jupytext.async_contentsmanager import build_async_jupytext_contents_manager_class
        from tornado.web import HTTPError
    except ImportError:
        return None

    class SeqtutContentsManager(build_async_jupytext_contents_manager_class(AsyncLargeFileManager)):
        """Opens notebooks as the kernel will describe them; saves notebooks only where they belong."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # Registered, not set as the `pre_save_hook` trait: each server extension re-applies the
            # config files, and re-setting the trait warns "Overriding existing pre_save_hook" each time.
            self.register_pre_save_hook(pre_save_hook)

        async def get(self, path: str, *args: Any, **kwargs: Any) -> dict:
            model = await super().get(path, *args, **kwargs)
            add_kernel_version(model)
            return model

        async def save(self, model: dict, path: str = "") -> dict:
            path = path.strip("/")
            if model.get("type") == "notebook" and path.endswith(".py") and await self.file_exists(path):
                paired = path.removesuffix(".py") + ".ipynb"
                if not await self.file_exists(paired):
                    raise HTTPError(409, unpaired_message(path))
            return await super().save(model, path)

    return SeqtutContentsManager


def ipc_fits(runtime_dir: str) -> bool:
    """Whether a kernel's IPC sockets in `runtime_dir` have paths short enough (and this is not Windows)."""
    longest = os.path.join(runtime_dir, "kernel-00000000-0000-0000-0000-000000000000-ipc-9")
    return os.name != "nt" and len(longest.encode()) <= UNIX_SOCKET_PATH


def configure(c: Any) -> None:
    """Apply the module doc's settings to a Jupyter config object `c` (scripts/lab_config/jupyter_server_config.py)."""
    from jupyter_core.paths import jupyter_runtime_dir

    manager = contents_manager_class()
    if manager is not None:
        c.ServerApp.contents_manager_class = manager  # registers pre_save_hook itself
    else:
        c.ContentsManager.pre_save_hook = pre_save_hook
    if ipc_fits(jupyter_runtime_dir()):  # else TCP, and ipykernel's warning: better than no kernel
        c.KernelManager.transport = "ipc"


def environment(env: dict[str, str]) -> dict[str, str]:
    """`env` with scripts/lab_config/ first on `JUPYTER_CONFIG_PATH` (added to the user's config, not replacing it)."""
    paths = [str(CONFIG), *(p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p)]
    return {**env, "JUPYTER_CONFIG_PATH": os.pathsep.join(dict.fromkeys(paths))}


def main(argv: list[str]) -> int:
    command = [sys.executable, "-m", "jupyter", "lab", *argv]
    env = environment(dict(os.environ))
    if os.name == "nt":
        import subprocess

        return subprocess.call(command, env=env)
    os.execve(sys.executable, command, env)  # Lab owns the terminal: Ctrl-C asks it, not this script


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
