"""The installed wheel, built from the sdist, carries the data and loads it offline."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import REPO

CHECK = """
import india_russia_relations as irr, pathlib, sys
path = irr.datapackage_path()
assert "site-packages" in path.parts, path
counts = {t: len(irr.records(t)) for t in irr.TABLES}
assert all(counts.values()), counts
assert not any(m in sys.modules for m in ("pandas", "frictionless", "pyarrow"))
print(irr.__version__, sum(counts.values()))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel built from the sdist installed in it."""
    pytest.importorskip("build")
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    # `python -m build` builds the sdist, then the wheel from that sdist.
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    wheel = next(dist.glob("*.whl"))
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
    )
    return env_dir


def _run(env_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return subprocess.run(
        list(args), cwd=env_dir, env=env, capture_output=True, text=True, check=False
    )


def test_wheel_from_sdist_loads_every_table(installed: Path) -> None:
    result = _run(installed, str(installed / "bin" / "python"), "-c", CHECK)
    assert result.returncode == 0, result.stderr
    version, total = result.stdout.split()
    assert int(total) > 0
    assert version == _pyproject_version()


def test_installed_irr_validates_the_installed_data(installed: Path) -> None:
    result = _run(installed, str(installed / "bin" / "irr"), "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "site-packages" in result.stdout


def _pyproject_version() -> str:
    import tomllib

    with (REPO / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def test_installed_irr_cite_names_the_installed_version(installed: Path) -> None:
    result = _run(installed, str(installed / "bin" / "irr"), "cite")
    assert result.returncode == 0, result.stderr
    assert f"(version {_pyproject_version()})" in result.stdout


def test_the_installed_wheel_carries_the_site_templates_and_writes_the_site(
    installed: Path,
) -> None:
    bin_dir = installed / "bin"
    without = _run(installed, str(bin_dir / "irr"), "site", str(installed / "no-site"))
    assert without.returncode == 1
    assert "pip install 'india-russia-relations[site]'" in without.stderr
    pip = _run(installed, str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "jinja2")
    assert pip.returncode == 0, pip.stderr
    result = _run(installed, str(bin_dir / "irr"), "site", str(installed / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    for page in ("index.html", "style.css", "site.js", "records/india.html", "tables/visits.html"):
        assert (installed / "site" / page).is_file(), page
