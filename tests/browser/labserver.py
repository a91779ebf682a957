"""Start JupyterLab on loopback as `make lab` does, on a copy of the notebooks, and drive it with Chromium."""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("seqtut_lab", ROOT / "scripts" / "lab.py")
assert _spec is not None and _spec.loader is not None
lab_script = importlib.util.module_from_spec(_spec)
sys.modules["seqtut_lab"] = lab_script
_spec.loader.exec_module(lab_script)
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium() -> str | None:
    """Debian's chromium binary, if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Lab:
    """A running JupyterLab server: its URL, token and the REST calls the test waits on."""

    def __init__(self, url: str, token: str, root: Path) -> None:
        self.url, self.token, self.root = url, token, root

    def api(self, path: str) -> object:
        request = urllib.request.Request(f"{self.url}/api/{path}", headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def kernels(self) -> list[dict]:
        return self.api("kernels")  # type: ignore[return-value]


def _user_setting(state: Path, plugin: str, values: dict) -> None:
    """Write one plugin's user settings (JUPYTERLAB_SETTINGS_DIR), e.g. `@jupyterlab/docmanager-extension:plugin`."""
    package, name = plugin.split(":")
    path = state / "settings" / package / f"{name}.jupyterlab-settings"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values))


@contextmanager
def running_lab(root: Path, env: dict[str, str], timeout: float = 90, autosave_s: int | None = None):
    """JupyterLab serving `root` as `make lab` does (scripts/lab.py's settings and the flags of `make lab`),
    plus a token, a fixed loopback port and, with `autosave_s`, that autosave interval in seconds."""
    port, token = _free_port(), secrets.token_hex(16)
    state = root / ".jupyter-state"
    for folder in ("config", "settings", "workspaces"):
        (state / folder).mkdir(parents=True, exist_ok=True)
    # Kernels use IPC sockets, whose paths must stay short: a pytest tmp_path is too deep for them.
    runtime = Path(tempfile.mkdtemp(prefix="seqtut-lab-"))
    no_news = {"fetchNews": "false", "checkForUpdates": False}  # no pop-up, no network
    _user_setting(state, "@jupyterlab/apputils-extension:notification", no_news)
    if autosave_s is not None:
        _user_setting(state, "@jupyterlab/docmanager-extension:plugin", {"autosaveInterval": autosave_s})
    full_env = lab_script.environment(
        {
            **os.environ,
            **env,
            "JUPYTER_CONFIG_DIR": str(state / "config"),
            "JUPYTER_RUNTIME_DIR": str(runtime),
            "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
        }
    )
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        f"--ServerApp.root_dir={root}", "--LabApp.default_url=/lab/tree/notebooks",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", "--LabApp.expose_app_in_browser=True",
    ]  # fmt: skip
    if os.getuid() == 0:
        command.append("--allow-root")
    log = (state / "server.log").open("w")
    server = subprocess.Popen(command, env=full_env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    lab = Lab(f"http://127.0.0.1:{port}", token, root)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                lab.api("status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log_text = (state / "server.log").read_text()[-2000:]
                    raise RuntimeError(f"JupyterLab did not start: {log_text}") from None
                time.sleep(0.2)
        yield lab
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(runtime, ignore_errors=True)
