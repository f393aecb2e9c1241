"""convlib.widgets.browser: a browser explorer is a widget whose control values are synced
traits, displayed with a static twin (its drawing is tested in Chromium)."""
from __future__ import annotations

import pytest

from convlib.widgets.browser import browser_explorer

VALUES = dict(input_size=3, kernel_size=3, stride=2, padding=1, output_padding=1,
              dilation=1, cell=0)


def test_python_sets_and_reads_the_controls_and_they_are_synced():
    ex = browser_explorer("transposed", **VALUES)
    ex.stride = 3
    assert ex.stride == 3 and ex.values == {**VALUES, "stride": 3}
    state = ex.get_state()
    assert state["stride"] == 3 and "export default widget;" in state["_esm"]


def test_the_display_carries_the_widget_and_a_static_twin_of_the_current_values():
    ex = browser_explorer("transposed", **VALUES)
    ex.padding = 2
    data, _ = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["text/plain"] == repr(ex) and repr(ex).startswith("TransposedBrowser(")
    assert 'data-explorer-static="transposed"' in data["text/html"]
    assert "&quot;padding&quot;: 2" in data["text/html"]


def test_bad_names_and_values_are_refused():
    with pytest.raises(ValueError, match="`name` must be one of"):
        browser_explorer("nope", **VALUES)
    with pytest.raises(ValueError, match="`stride` must be a bool, int, float, str or list"):
        browser_explorer("transposed", **{**VALUES, "stride": (1, 2)})
