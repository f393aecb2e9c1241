"""The set-up files agree: one set of pins for pip, conda and Binder."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONDA_NAMES = {"pytorch": "torch"}   # conda-forge name -> PyPI name


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines) -> dict[str, str]:
    out = {}
    for line in lines:
        line = line.split("#")[0].strip()
        m = re.match(r"^([A-Za-z0-9_.\-]+)\s*==\s*([^\s;]+)", line)
        if m:
            out[norm(m.group(1))] = m.group(2).split("+")[0]
    return out


def top_level() -> dict[str, str]:
    return pins((ROOT / "requirements.in").read_text().splitlines())


def lock() -> dict[str, str]:
    return pins((ROOT / "requirements.lock").read_text().splitlines())


def test_lock_pins_every_top_level_requirement_at_the_same_version():
    locked = lock()
    for name, version in top_level().items():
        assert locked.get(name) == version, f"{name}: requirements.in {version}, lock {locked.get(name)}"


def test_torch_is_pinned_to_the_cpu_wheel_version():
    assert top_level()["torch"] == "2.13.0" and lock()["torch"] == "2.13.0"


def test_environment_yml_holds_the_same_packages_and_versions():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = {}, {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip = pins(dep["pip"])
        elif "=" in dep:
            name, version = dep.split("=")[:2]
            conda[norm(CONDA_NAMES.get(name, name))] = version
    conda.pop("python")
    assert {**conda, **pip} == top_level()
    assert "python=3.11" in env["dependencies"]


def test_binder_installs_the_lock_with_cpu_torch_and_the_package():
    lines = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    assert "-r ../requirements.lock" in lines and "-e ." in lines
    assert any("download.pytorch.org/whl/cpu" in line for line in lines)
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and ci.strip().splitlines()[-1] == "make test"


def test_repo2docker_builds_binder_from_the_lock_without_docker(tmp_path):
    """repo2docker --no-build prints the Dockerfile Binder would build: Python 3.11,
    the whole repository copied, then binder/requirements.txt (the lock, CPU torch,
    convlib editable) installed."""
    import shutil
    import subprocess
    import sys

    clone = tmp_path / "repo"
    clone.mkdir()
    for name in ("binder", "convlib", "notebooks", "requirements.lock", "pyproject.toml",
                 "README.md", "environment.yml"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, clone / name)
    r2d = Path(sys.executable).parent / "repo2docker"
    out = subprocess.run([str(r2d), "--no-build", "--debug", "--no-run", str(clone)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    dockerfile = out.stdout + out.stderr
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in dockerfile
    copy_all = dockerfile.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    assert copy_all < dockerfile.index('-r "binder/requirements.txt"')  # -e . needs the repo
    assert "Building conda environment for python=3.11" in dockerfile  # binder/runtime.txt
