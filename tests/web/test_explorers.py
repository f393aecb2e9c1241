"""convlib.web: the kernel-free explorers' HTML (their arithmetic is tested in Chromium by
tests/browser/test_explorers_js.py)."""
from __future__ import annotations

import re

import pytest

import convlib as cl
from convlib import web


@pytest.mark.parametrize("name", list(web.KERNEL_FREE))
def test_html_is_deterministic_marked_and_self_contained(name):
    first, second = (cl.widgets.kernel_free(name)._repr_html_() for _ in range(2))
    assert first == second
    assert f'data-explorer="{name}"' in first
    assert web.script() in first
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", first)  # nothing from a CDN


def test_initial_values_follow_the_python_explorer():
    ex = cl.widgets.receptive_field_explorer(render=False)
    js = cl.widgets.kernel_free("receptive_field")
    assert {k: v for k, v in js.values.items() if k in ex.controls} == ex.values


def test_bad_name_or_argument_is_refused():
    with pytest.raises(ValueError, match="`name` must be one of"):
        cl.widgets.kernel_free("nope")
    with pytest.raises(ValueError, match="unknown argument"):
        cl.widgets.kernel_free("transposed", groups=2)
