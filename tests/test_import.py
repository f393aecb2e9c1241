"""A bare ``import convlib`` stays light: heavy libraries load only when a name needs them."""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import convlib as cl

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "matplotlib", "ipywidgets", "scipy", "IPython")


def loaded_after(code: str) -> set[str]:
    """Top-level packages of `HEAVY` in ``sys.modules`` after running `code` in a fresh Python."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, env=env, cwd=ROOT).stdout
    return {m for m in json.loads(out.splitlines()[-1]) if m.split(".")[0] in HEAVY}


def test_bare_import_loads_no_heavy_library():
    assert loaded_after("import convlib") == set()


def test_pure_functions_load_no_heavy_library():
    code = ("import convlib as cl\ncl.conv_output_size(5, 3)\ncl.receptive_field([cl.Layer(3)])\n"
            "cl.conv2d_macs(3, 8, 3, output_size=8)")
    assert loaded_after(code) == set()


def test_draw_loads_matplotlib_but_not_torch():
    got = loaded_after("import convlib as cl\ncl.draw")
    assert any(m.startswith("matplotlib") for m in got)
    assert not any(m.startswith("torch") for m in got)


@pytest.mark.parametrize("name", sorted(cl._WHERE))
def test_every_exported_name_resolves(name):
    module = importlib.import_module(f"convlib.{cl._WHERE[name]}")
    assert getattr(cl, name) is getattr(module, name)


def test_submodules_resolve_and_dir_lists_them():
    listed = dir(cl)
    for module in cl._SUBMODULES - set(cl._WHERE):
        assert getattr(cl, module).__name__ == f"convlib.{module}"
        assert module in listed
    assert set(cl.__all__) <= set(listed)


def test_a_function_named_like_its_module_stays_the_function():
    import convlib.flops  # noqa: F401  (imports convlib.summary, the module)
    assert callable(cl.summary) and cl.summary.__module__ == "convlib.summary"


def test_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        cl.no_such_name
