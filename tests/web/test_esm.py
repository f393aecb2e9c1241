"""convlib.web.esm: each explorer's ES modules joined into one module (its arithmetic
and drawing are tested in Chromium by tests/browser/explorers/)."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from convlib import web
from convlib.web import esm as bundle_module

NAMES = web.explorer_names()


def test_every_explorer_module_is_found():
    assert {"feature_map", "transposed", "receptive_field"} <= set(NAMES)
    assert "core" not in NAMES and "shapes" not in NAMES  # shared modules have no default


@pytest.mark.parametrize("name", NAMES)
def test_a_bundle_holds_each_module_once_dependencies_first(name):
    src = web.bundle(name)
    modules = re.findall(r"^// ---- (\S+)$", src, re.M)
    assert modules[0] == "core.js" and modules[-1] == f"{name}.js"
    assert len(modules) == len(set(modules))
    assert not re.search(r"^\s*import\b", src, re.M)
    assert re.findall(r"^export\b.*$", src, re.M) == ["export default widget;"]


@pytest.mark.skipif(not shutil.which("node"), reason="node checks the module's syntax")
@pytest.mark.parametrize("name", NAMES)
def test_a_bundle_is_one_valid_es_module(tmp_path, name):
    path = tmp_path / f"{name}.mjs"
    path.write_text(web.bundle(name), encoding="utf-8")
    # a name declared twice across the joined modules is a SyntaxError here
    subprocess.run(["node", "--check", str(path)], check=True)


def test_static_html_is_deterministic_self_contained_and_hints_without_script():
    values = {"stride": 2, "mode": "torch"}
    first, second = (web.static_html("feature_map", values) for _ in range(2))
    assert first == second
    assert 'data-explorer-static="feature_map"' in first
    assert "&quot;stride&quot;: 2" in first          # the values, escaped into the div
    assert bundle_module.HINT in first and "JavaScript" not in first.split("<script")[0]
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", first)  # nothing from a CDN


def test_an_unknown_explorer_is_refused():
    with pytest.raises(ValueError, match="`name` must be one of"):
        web.bundle("nope")


def test_a_module_that_cannot_be_joined_is_refused(monkeypatch):
    monkeypatch.setattr(bundle_module, "_read", lambda m: 'export * from "./core.js";\n')
    bundle_module._joined.cache_clear()
    try:
        with pytest.raises(ValueError, match="cannot bundle"):
            bundle_module._strip("x.js", main=True)
    finally:
        bundle_module._joined.cache_clear()
