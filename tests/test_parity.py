"""`seqtut.parity` and `python -m seqtut parity`: the tolerance, the table, the exit status."""

from __future__ import annotations

import pytest

from seqtut import cli, parity
from seqtut.parity import Row


def row(device: str, value: float, baseline: float = 1.0, section: str = "many-to-one") -> Row:
    return Row(section, device, "test MAE", value, baseline, 1.0)


def test_tolerance_is_the_slack_plus_a_tenth_of_the_way_to_the_baseline() -> None:
    assert parity.tolerance(row("cpu", 0.2, baseline=1.0)) == pytest.approx(0.02 + 0.1 * 0.8)
    assert parity.tolerance(row("cpu", 0.5, baseline=0.0)) == pytest.approx(0.02 + 0.1 * 0.5)  # higher is better


def test_agrees_inside_the_tolerance_and_not_outside() -> None:
    cpu = row("cpu", 0.2)  # tolerance 0.1
    assert parity.agrees(cpu, row("cuda", 0.29))
    assert parity.agrees(cpu, row("cuda", 0.11))
    assert not parity.agrees(cpu, row("cuda", 0.31))


def test_report_marks_the_accelerator_that_disagrees() -> None:
    rows = [row("cpu", 0.2), row("cuda", 0.25), row("cpu", 0.5, section="reverse"), row("mps", 0.9, section="reverse")]
    table, ok = parity.report(rows)
    assert not ok
    lines = table.splitlines()
    assert lines[2].startswith("| many-to-one | test MAE | cpu | 0.2000 |") and lines[2].endswith("| — | — | — |")
    assert lines[3].endswith("| 0.0500 | 0.1000 | yes |")
    assert lines[5].endswith("| 0.4000 | 0.0700 | NO |")


def test_parity_runs_the_cpu_and_each_device_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(
        parity, "run_section", lambda name, device, seed=0: calls.append((name, device)) or row(device, 0)
    )
    parity.parity(["many-to-one", "reverse"], ["cuda"])
    assert calls == [("many-to-one", "cpu"), ("many-to-one", "cuda"), ("reverse", "cpu"), ("reverse", "cuda")]


def test_cli_parity_on_a_machine_without_accelerators(monkeypatch, capsys) -> None:
    monkeypatch.setattr(parity, "accelerators", lambda: [])
    assert cli.main(["parity", "--sections", "many-to-many"]) == 0
    out = capsys.readouterr().out
    assert "accelerators: none present: only the CPU half runs" in out
    picked = "(series units; epoch picked on windows equal to these in model units)"
    assert f"| many-to-many | test MAE {picked} | cpu |" in out


def test_cli_parity_exits_1_when_a_device_disagrees(monkeypatch, capsys) -> None:
    monkeypatch.setattr(parity, "accelerators", lambda: ["cuda"])
    monkeypatch.setattr(
        parity, "run_section", lambda name, device, seed=0: row(device, 0.2 if device == "cpu" else 0.9)
    )
    with pytest.raises(SystemExit) as stopped:
        cli.main(["parity", "--sections", "many-to-one"])
    assert stopped.value.code == 1
    assert "| NO |" in capsys.readouterr().out


def test_cli_parity_names_a_bad_section(capsys) -> None:
    assert cli.main(["parity", "--sections", "many-to-one,nope"]) == 2
    assert "--sections: expected one of" in capsys.readouterr().err
