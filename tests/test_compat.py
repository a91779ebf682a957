"""scripts/compat.py: what the recorded matrix says of its installs, and a Python that is not here."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import compat  # noqa: E402  (scripts/compat.py)


def test_the_record_says_which_ends_built_their_venv():
    assert compat.installs([{"end": "oldest", "built": True}, {"end": "newest", "built": True}]) == "installs included"
    assert compat.installs([{"end": "oldest", "built": True}, {"end": "newest-3.12", "built": False}]) == (
        "installs included for oldest; newest-3.12 reused an earlier venv"
    )
    assert compat.installs([{"end": "oldest", "built": False}]) == "no install: every venv reused from an earlier run"


def test_a_python_that_is_not_here_is_none_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))  # an empty pyenv
    monkeypatch.setenv("PATH", str(tmp_path))
    assert compat.find_python("3.99") is None


def test_an_unknown_end_is_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as stop:
        compat.main(["--ends", "newest,oldest-3.9"])
    assert stop.value.code == 2
    assert (
        "--ends: expected some of oldest, newest, newest-3.12, newest-3.13, got 'oldest-3.9'" in capsys.readouterr().err
    )


def test_a_failed_install_is_retried_then_reported_as_a_failed_row(tmp_path, monkeypatch, capsys):
    calls = []

    def run(command, **kwargs):  # `python -m venv` passes; every pip install fails, as a dropped download would
        calls.append(command)
        if "venv" in command:
            (tmp_path / "oldest" / "bin").mkdir(parents=True)
        if "pip" in command and "stdout" in kwargs:
            kwargs["stdout"].write("ERROR: Could not install packages due to an OSError\n")
        return compat.subprocess.CompletedProcess(command, 0 if "venv" in command else 1)

    monkeypatch.setattr(compat.subprocess, "run", run)
    monkeypatch.setattr(compat.time, "sleep", lambda seconds: None)
    row = compat.check_end("oldest", tmp_path, Path(sys.executable))
    assert sum("pip" in command for command in calls) == compat.INSTALL_ATTEMPTS
    passed, _, why = row["install"]
    assert not passed and "pip install failed 3 times" in why and "OSError" in why
    assert "OSError" in capsys.readouterr().out  # the cause reaches CI's output
    assert "| oldest | ? |" in compat.matrix([row])
    assert "not run: install FAILED" in compat.matrix([row])
