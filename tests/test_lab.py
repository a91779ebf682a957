"""`make lab`'s settings (scripts/lab.py): saving an unchanged notebook writes the committed bytes."""

from __future__ import annotations

import asyncio
import copy
import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("seqtut_lab", ROOT / "scripts" / "lab.py")
lab = importlib.util.module_from_spec(spec)
sys.modules["seqtut_lab"] = lab
spec.loader.exec_module(lab)
NOTEBOOK = ROOT / "notebooks" / "07_sos_eos_decoding.ipynb"


def as_browser_sends(notebook: dict) -> dict:
    """`notebook` as Lab sends it back: the kernel's language_info (with a version), whole floats as ints."""
    sent = json.loads(
        json.dumps(notebook), parse_float=lambda text: int(float(text)) if float(text).is_integer() else float(text)
    )
    sent["metadata"]["language_info"]["version"] = "3.11.7"
    return sent


def test_an_unchanged_notebook_is_saved_as_committed():
    committed = json.loads(NOTEBOOK.read_text())
    sent = as_browser_sends(committed)
    assert json.dumps(sent, sort_keys=True) != json.dumps(committed, sort_keys=True)  # version, 86 for 86.0
    lab.normalize_for_save(sent, committed)
    assert json.dumps(sent, sort_keys=True) == json.dumps(committed, sort_keys=True)


def test_restore_numbers_only_turns_equal_ints_back_into_floats():
    old = {"a": 86.0, "b": 2.0, "c": [1.0, 2.5], "d": 3.0, "e": True}
    new = {"a": 86, "b": 3, "c": [1, 2.5], "d": "3", "e": True, "f": 4}
    assert lab.restore_numbers(new, old) == {"a": 86.0, "b": 3, "c": [1.0, 2.5], "d": "3", "e": True, "f": 4}
    assert type(new["a"]) is float and type(new["b"]) is int and type(new["c"][0]) is float
    assert lab.restore_numbers([1, 2], [1.0]) == [1, 2] and type(lab.restore_numbers(1, True)) is int


def test_cells_are_matched_by_id_so_an_inserted_cell_does_not_shift_them():
    old = {"metadata": {}, "cells": [{"id": "a", "metadata": {"x": 1.0}}, {"id": "b", "metadata": {"y": 2.0}}]}
    new = copy.deepcopy(old)
    new["cells"] = [{"id": "new", "metadata": {"y": 2}}, {"id": "b", "metadata": {"y": 2}}]
    lab.normalize_for_save(new, old)
    assert type(new["cells"][0]["metadata"]["y"]) is int and type(new["cells"][1]["metadata"]["y"]) is float


def test_another_kernels_notebook_keeps_its_kernel_and_loses_only_the_version():
    kernelspec = {"display_name": "R", "language": "R", "name": "ir"}
    notebook = {"metadata": {"kernelspec": dict(kernelspec), "language_info": {"name": "R", "version": "4.4.1"}}}
    lab.normalize_for_save(notebook, None)
    assert notebook["metadata"] == {"kernelspec": kernelspec, "language_info": {"name": "R"}}


def test_a_model_without_a_kernelspec_gets_the_committed_one():
    model = {"type": "notebook", "content": {"metadata": {}, "cells": []}}
    lab.pre_save_hook(model=model, path="new.ipynb", contents_manager=object())
    assert model["content"]["metadata"]["kernelspec"]["name"] == "python3"
    text = {"type": "file", "format": "text", "content": "# %%\n"}
    lab.pre_save_hook(model=text, path="x.py", contents_manager=object())
    assert text == {"type": "file", "format": "text", "content": "# %%\n"}


def test_opening_adds_the_version_only_to_the_committed_language_info():
    model = {"type": "notebook", "content": json.loads(NOTEBOOK.read_text())}
    lab.add_kernel_version(model)
    assert model["content"]["metadata"]["language_info"]["version"] == lab.kernel_version()
    other = {"type": "notebook", "content": {"metadata": {"language_info": {"name": "R"}}}}
    lab.add_kernel_version(other)
    assert other["content"]["metadata"]["language_info"] == {"name": "R"}


def test_kernels_use_ipc_where_the_socket_path_fits(tmp_path):
    assert lab.ipc_fits("/tmp/runtime") == (sys.platform != "win32")
    assert not lab.ipc_fits("/" + "x" * 60)


def test_lab_config_comes_first_on_the_config_path_and_keeps_the_users():
    env = lab.environment({"JUPYTER_CONFIG_PATH": "/etc/mine", "HOME": "/home/me"})
    config = ROOT / "scripts" / "lab_config"
    assert env["JUPYTER_CONFIG_PATH"].split(":") == [str(config), "/etc/mine"] and env["HOME"] == "/home/me"
    assert lab.environment({})["JUPYTER_CONFIG_PATH"] == str(config)
    assert config == lab.CONFIG and (config / "jupyter_server_config.py").is_file()
    assert sorted(p.name for p in config.iterdir() if p.name != "__pycache__") == ["jupyter_server_config.py"]


def test_the_unpaired_module_message_is_one_line_naming_the_file_and_what_to_do():
    message = lab.unpaired_message("seqtut/cli.py")
    assert "\n" not in message and message.startswith("seqtut/cli.py was not saved")
    assert "no paired cli.ipynb" in message and message.endswith("right-click → Open With → Editor.")


def test_the_contents_manager_runs_the_hook_and_saves_no_notebook_over_an_unpaired_module(tmp_path):
    pytest.importorskip("jupyter_server")
    pytest.importorskip("jupytext")
    from tornado.web import HTTPError

    manager = lab.contents_manager_class()(root_dir=str(tmp_path))
    shutil.copy(NOTEBOOK, tmp_path / "nb.ipynb")
    sent = {"type": "notebook", "content": as_browser_sends(json.loads(NOTEBOOK.read_text()))}
    asyncio.run(manager.save(sent, "nb.ipynb"))
    assert (tmp_path / "nb.ipynb").read_bytes() == NOTEBOOK.read_bytes()  # the bytes of the commit
    opened = asyncio.run(manager.get("nb.ipynb"))
    assert opened["content"]["metadata"]["language_info"]["version"] == lab.kernel_version()

    (tmp_path / "module.py").write_text('"""A module."""\n')
    notebook = {"type": "notebook", "content": json.loads(NOTEBOOK.read_text())}
    with pytest.raises(HTTPError) as refused:
        asyncio.run(manager.save(copy.deepcopy(notebook), "module.py"))
    assert refused.value.status_code == 409 and refused.value.log_message == lab.unpaired_message("module.py")
    assert (tmp_path / "module.py").read_text() == '"""A module."""\n'
