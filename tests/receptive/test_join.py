"""convlib.receptive.join: receptive-field rows (anything with `name`, `size`, `jump`)
joined onto summary rows by name, geometry-keeping layers taking their input's field."""
from __future__ import annotations

from types import SimpleNamespace as Row

import convlib as cl
from convlib.receptive.join import field_rows, join_fields

from ..counting.test_summary import Bottleneck, small_cnn


def test_join_fields_by_graph_names():
    """Rows with `name`, `size`, `jump` (as a graph-aware receptive_field gives) join by
    name; BN and ReLU take their input's field; the add has its own row."""
    model = Bottleneck()
    s = cl.summary(model, (64, 16, 16), field=False)
    graph = [Row(name="conv1", size=1, jump=1), Row(name="conv2", size=3, jump=2),
             Row(name="conv3", size=3, jump=2), Row(name="downsample.0", size=1, jump=2),
             Row(name="add", size=3, jump=2)]
    sources = {"bn1": "conv1", "relu": "bn1", "bn2": "conv2", "bn3": "conv3",
               "downsample.1": "downsample.0"}
    rows = {r.name: r for r in join_fields(list(s.rows), graph, dict(model.named_modules()),
                                           sources)}
    assert (rows["bn2"].rf_size, rows["bn2"].rf_jump) == (3, 2)
    assert (rows["relu"].rf_size, rows["downsample.1"].rf_size) == (1, 1)
    assert (rows["add"].rf_size, rows["conv3"].rf_jump) == (3, 2)


def test_field_rows_says_why_when_missing():
    rows, note = field_rows(small_cnn()[:4], (1, 1, 12, 12))
    assert note is None and [r.size for r in rows] == [3, 4]
    rows, note = field_rows(small_cnn(), (1, 1, 12, 12))      # Flatten, Linear
    if rows is None:
        assert note.startswith("receptive_field cannot model this network: ValueError")
    assert field_rows(small_cnn(), (1, 12))[1] == "2-D inputs (C, H, W) only"
