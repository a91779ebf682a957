"""The JupyterLab walkthrough in a real browser: open a notebook and leave its files alone, run it and see
widgets, open a `.py` as a notebook with the README's clicks (right-click → Open With → Jupytext Notebook),
edit it and keep the pair in sync; open a bundle (`make bundle`) and find its set-up code collapsed.

Needs Debian's chromium, JupyterLab and Playwright (`make browser-deps` installs them). Without
them the test is skipped, except under CI (`CI=true`), where a missing piece is a failure.
Screenshots go to build/browser/. Every wait is on the kernel's or the page's state, never a sleep.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from labserver import CHROMIUM_FLAGS, ROOT, chromium, running_lab

SHOTS = ROOT / "build" / "browser"
RUN = "01_many_to_one"  # trains models: its progress bars are widgets
EDIT = "00_rnn_io"  # its .py is opened as a notebook and edited
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
EDITED = " Edited in the browser test."
OPEN_WITH, VIEWER = "Open With", "Jupytext Notebook"  # the README's menu labels, clicked as written


def _require():
    missing = []
    try:
        import jupyterlab  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as error:
        missing.append(error.name)
    if chromium() is None:
        missing.append("chromium")
    if missing:
        message = f"browser test needs {', '.join(missing)}: run `make browser-deps`"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


IDLE = "() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle'"
ALL_RUN = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (panel.sessionContext.session?.kernel?.status !== 'idle') return false;
  const cells = panel.content.model.cells;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type === 'code' && cell.executionCount === null) return false;
  }
  return true;
}"""
ERRORS = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells, found = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    for (let j = 0; j < cell.outputs.length; j++) {
      const output = cell.outputs.get(j).toJSON();
      if (output.output_type === 'error') found.push(`cell ${i}: ${output.ename}: ${output.evalue}`);
    }
  }
  return found;
}"""
FOCUS_EDITOR = """() => {
  const cell = window.jupyterapp.shell.currentWidget.content.activeCell;
  if (!cell?.editor) return false;
  if (!cell.editor.hasFocus()) cell.editor.focus();
  return cell.editor.hasFocus();
}"""
WATCH_WIDGETS = """() => {
  window.__widgets = 0;
  new MutationObserver(records => {
    for (const record of records) for (const node of record.addedNodes)
      if (node.nodeType === 1 && (node.matches('.widget-hprogress, .jupyter-widget-hprogress')
          || node.querySelector?.('.widget-hprogress, .jupyter-widget-hprogress'))) window.__widgets += 1;
  }).observe(document.body, {childList: true, subtree: true});
}"""


SAVE = "async () => { await window.jupyterapp.shell.currentWidget.context.save(); }"
DIRTY = "() => window.jupyterapp.shell.currentWidget.context.model.dirty"
DIRTY_AFTER_KERNEL_INFO = """async () => {
  const panel = window.jupyterapp.shell.currentWidget;
  await panel.sessionContext.session.kernel.info;  // Lab copies its language_info into the notebook
  await new Promise(resolve => setTimeout(resolve, 0));
  return panel.context.model.dirty;
}"""


def _committed(name: str, suffix: str) -> bytes:
    return (ROOT / "notebooks" / f"{name}{suffix}").read_bytes()


def _without_outputs(text: str) -> str:
    """A notebook's JSON without outputs and execution counts, numbers written as on disk (86.0 is not 86)."""
    notebook = json.loads(text)
    for cell in notebook["cells"]:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    return json.dumps(notebook, indent=1, sort_keys=True)


def _assert_unchanged(root: Path, name: str, when: str) -> None:
    for suffix in (".py", ".ipynb"):
        saved = (root / "notebooks" / f"{name}{suffix}").read_bytes()
        if saved != _committed(name, suffix):
            diff = difflib.unified_diff(
                _committed(name, suffix).decode().splitlines(), saved.decode().splitlines(), lineterm="", n=0
            )
            pytest.fail(f"{name}{suffix} {when} differs from the commit:\n" + "\n".join(list(diff)[:20]))


@pytest.fixture
def lab_root(tmp_path: Path) -> Path:
    """A copy of the two notebook pairs and jupytext.toml: the test edits and saves them."""
    (tmp_path / "notebooks").mkdir()
    shutil.copy(ROOT / "jupytext.toml", tmp_path)
    for name in (RUN, EDIT):
        for suffix in (".py", ".ipynb"):
            shutil.copy(ROOT / "notebooks" / f"{name}{suffix}", tmp_path / "notebooks")
    bundle = [sys.executable, str(ROOT / "scripts" / "bundle.py"), "--out", str(tmp_path / "dist")]
    subprocess.run([*bundle, str(ROOT / "notebooks" / f"{EDIT}.ipynb")], check=True, capture_output=True)
    return tmp_path


def test_jupyterlab_walkthrough(lab_root: Path) -> None:
    _require()
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    env = {"SEQTUT_FAST": "1", "SEQTUT_PROGRESS": "1", "SEQTUT_THREADS": "1", "OMP_NUM_THREADS": "1"}
    with running_lab(lab_root, env, autosave_s=1) as lab, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium(), headless=True, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{lab.url}/lab/tree/notebooks/{RUN}.ipynb?token={lab.token}")
        page.wait_for_function(IDLE, timeout=120_000)
        # Opened and its kernel started (Lab has copied the kernel's language_info into it): nothing is
        # modified, so the autosave (every second here) has nothing to write; an explicit save of the
        # unchanged notebook goes through make lab's pre-save hook and writes the committed bytes.
        assert not page.evaluate(DIRTY_AFTER_KERNEL_INFO), "the notebook reads modified once its kernel started"
        page.evaluate(SAVE)
        _assert_unchanged(lab_root, RUN, "opened and saved")

        page.evaluate(WATCH_WIDGETS)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function("() => window.__widgets > 0", timeout=300_000)
        page.wait_for_function(ALL_RUN, timeout=600_000, polling=500)
        page.screenshot(path=str(SHOTS / "01_run_all.png"))
        assert page.evaluate(ERRORS) == []
        assert page.evaluate("() => window.__widgets") >= 1  # the progress bars were widgets
        # Run and autosaved: the outputs differ from the commit's, and nothing else (metadata, sources, ids).
        page.wait_for_function(f"() => !({DIRTY})()", timeout=60_000)
        run_py, run_ipynb = (lab_root / "notebooks" / f"{RUN}{s}" for s in (".py", ".ipynb"))
        assert run_py.read_bytes() == _committed(RUN, ".py")
        assert run_ipynb.read_bytes() != _committed(RUN, ".ipynb")
        assert _without_outputs(run_ipynb.read_text()) == _without_outputs(_committed(RUN, ".ipynb").decode())

        # make lab changes no default viewer: a double-click on the .py opens Lab's text editor.
        paired_py, paired_ipynb = (lab_root / "notebooks" / f"{EDIT}{s}" for s in (".py", ".ipynb"))
        item = page.locator(".jp-DirListing-item", has_text=f"{EDIT}.py")
        item.dblclick()
        page.wait_for_function(
            f"() => window.jupyterapp.shell.currentWidget?.context?.path === 'notebooks/{EDIT}.py'"
            " && window.jupyterapp.shell.currentWidget.content.node.classList.contains('jp-FileEditor')",
            timeout=60_000,
        )
        page.evaluate("() => window.jupyterapp.shell.currentWidget.close()")
        # The README's clicks open it as a notebook: right-click, Open With, Jupytext Notebook. Then edit a
        # Markdown cell and save: both files of the pair change, in that line only.
        item.click(button="right")
        page.locator(".lm-Menu-item", has=page.get_by_text(OPEN_WITH, exact=True)).click()
        viewers = page.locator("#jp-contextmenu-open-with .lm-Menu-itemLabel")
        viewers.first.wait_for(timeout=30_000)
        print(f"Open With on {EDIT}.py offers: {viewers.all_inner_texts()}")
        page.locator("#jp-contextmenu-open-with .lm-Menu-item", has=page.get_by_text(VIEWER, exact=True)).click()
        page.wait_for_function(
            f"() => window.jupyterapp.shell.currentWidget?.context?.path === 'notebooks/{EDIT}.py'",
            timeout=60_000,
        )
        page.wait_for_function(  # a notebook panel (cells and a kernel session), not the text editor
            "() => window.jupyterapp.shell.currentWidget.sessionContext !== undefined"
            " && window.jupyterapp.shell.currentWidget.content.model?.cells?.length > 0",
            timeout=60_000,
        )
        page.wait_for_function(IDLE, timeout=120_000)  # its own kernel, started as for the .ipynb
        assert not page.evaluate(DIRTY_AFTER_KERNEL_INFO), "the .py notebook reads modified once its kernel started"
        # The first cell is Markdown: make it active, enter edit mode, type at its end, render it, save.
        page.evaluate(
            """async () => {
              const panel = window.jupyterapp.shell.currentWidget;
              await panel.context.ready;
              await panel.revealed;
              panel.content.activeCellIndex = 0;
              panel.content.mode = 'edit';
            }"""
        )
        page.wait_for_function(FOCUS_EDITOR, timeout=30_000, polling=200)
        page.keyboard.press("Control+End")
        page.keyboard.type(EDITED)
        page.wait_for_function(
            "() => window.jupyterapp.shell.currentWidget.content.activeCell.model.sharedModel.getSource()"
            f".endsWith('{EDITED}')",
            timeout=30_000,
        )
        page.keyboard.press("Shift+Enter")
        page.keyboard.press("Control+s")
        before_ipynb = _committed(EDIT, ".ipynb").decode()
        deadline = time.monotonic() + 60
        while EDITED not in paired_py.read_text() or paired_ipynb.read_text() == before_ipynb:
            assert time.monotonic() < deadline, "saving the .py notebook did not update both files of the pair"
            page.wait_for_timeout(200)  # polling the files on disk, not waiting a fixed time
        page.wait_for_function(f"() => !({DIRTY})()", timeout=30_000)
        # Each file differs from the commit in the edited line, and nowhere else.
        committed_py = _committed(EDIT, ".py").decode().splitlines()
        changed = [(a, b) for a, b in zip(committed_py, paired_py.read_text().splitlines()) if a != b]
        assert len(paired_py.read_text().splitlines()) == len(committed_py) and len(changed) == 1
        assert changed[0][1] == changed[0][0] + EDITED
        notebook, committed = json.loads(paired_ipynb.read_text()), json.loads(before_ipynb)
        assert "".join(notebook["cells"][0]["source"]) == "".join(committed["cells"][0]["source"]) + EDITED
        notebook["cells"][0]["source"] = committed["cells"][0]["source"]
        assert json.dumps(notebook, sort_keys=True) == json.dumps(committed, sort_keys=True)
        page.screenshot(path=str(SHOTS / "00_py_edited.png"))

        # A bundle as a learner uploads it: the note is one line and the set-up code is collapsed to
        # Lab's placeholder (the cell's jupyter.source_hidden metadata); its output line still shows.
        page.goto(f"{lab.url}/lab/tree/dist/{EDIT}.ipynb?token={lab.token}")
        page.wait_for_function(
            f"() => window.jupyterapp.shell.currentWidget?.context?.path === 'dist/{EDIT}.ipynb'"
            " && window.jupyterapp.shell.currentWidget.content.widgets.length > 2",
            timeout=60_000,
        )
        setup = page.evaluate(
            """async () => {
              const panel = window.jupyterapp.shell.currentWidget;
              await panel.revealed;
              const cell = panel.content.widgets[1];
              return {id: cell.model.id, hidden: cell.inputHidden,
                      placeholder: cell.node.querySelector('.jp-InputPlaceholder') !== null,
                      editorShown: cell.node.querySelector('.jp-InputArea-editor')?.offsetHeight > 0};
            }"""
        )
        assert setup == {"id": "seqtut-setup", "hidden": True, "placeholder": True, "editorShown": False}, setup
        page.screenshot(path=str(SHOTS / "00_bundle_setup_hidden.png"))
        browser.close()
    print(f"browser walkthrough took {time.perf_counter() - started:.0f} s")
