"""Repository hygiene: dependency lists agree, notebook pairs are in sync and fully run."""

import json
import re
import tomllib
from pathlib import Path

import jupytext
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))


def names(requirements):
    return {re.split(r"[<>=\[ ]", r.strip())[0].lower() for r in requirements}


def test_environment_yml_installs_what_pyproject_asks_for():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = names(project["dependencies"])
    for extra in ("test", "dev", "lab"):
        wanted |= names(r for r in project["optional-dependencies"][extra] if not r.startswith("seqtut"))
    dependencies = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    from_pip = [r for d in dependencies if isinstance(d, dict) for r in d["pip"] if not r.startswith("-e")]
    listed = names([d for d in dependencies if isinstance(d, str)] + from_pip)
    assert wanted <= listed, f"missing from environment.yml: {sorted(wanted - listed)}"
    assert listed - wanted <= {"python", "pip"}, f"not in pyproject.toml: {sorted(listed - wanted - {'python', 'pip'})}"


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks/NN_name.py found"


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_pair_is_in_sync(source):
    """The .ipynb nbval runs holds the same cells (type, source, tags) as the .py you edit."""
    paired = source.with_suffix(".ipynb")
    assert paired.exists(), f"{paired.name} is missing: run `make sync`"

    def cells(path):
        return [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in jupytext.read(path).cells]

    assert cells(source) == cells(paired), f"{source.name} and {paired.name} differ: run `make sync && make execute`"


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_source_compiles_as_python(source):
    """`python NN_name.py` works: compiled from bytes, so a title read as a PEP 263 coding line fails here."""
    compile(source.read_bytes(), str(source), "exec")


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_comes_from_a_full_run(source):
    notebook = json.loads(source.with_suffix(".ipynb").read_text())
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] is not None for c in code), "cells without a stored run: `make execute`"
    for cell in code:
        tags = cell.get("metadata", {}).get("tags", [])
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        assert not errors or "raises-exception" in tags, f"unexpected error output in {source.stem}"
    text = "".join("".join(o.get("text", "")) for c in code for o in c["outputs"])
    assert "fast mode" not in text, "outputs were stored from a fast run: `make execute` runs in full mode"


def test_ci_runs_the_readme_test_command():
    """CI must run what the README tells a newcomer to run, so the README never lies.

    The README's test command is `make test`; CI runs `make ci`, which the README describes and
    which runs `make test` first.
    """
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "make test   #" in readme and "\nmake ci\n" in ci
    assert "`make ci`, which is `make test` and then" in readme
    ci_target = next(line for line in makefile.splitlines() if line.startswith("ci:"))
    assert ci_target.split("##")[0].split()[1:] == ["test", "run", "browser-test", "compat", "parity"]


def test_committed_notebooks_carry_a_kernelspec_and_no_machine_specific_metadata():
    """JupyterLab marks a notebook without kernelspec or language_info modified on opening."""
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        metadata = json.loads(path.read_text())["metadata"]
        assert metadata.get("kernelspec", {}).get("name") == "python3", f"{path.name}: run `make sync`"
        assert metadata.get("language_info", {}).get("name") == "python", f"{path.name}: run `make sync`"
        assert "version" not in metadata["language_info"], f"{path.name}: the Python version of one machine"
