"""The case figures: every title inside the figure, no title over another case's axes."""
from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import convlib as cl
from convlib.draw.core import TEXT_PT
from convlib.draw.sizes import case_gallery_figure, draw_case, draw_layout
from convlib.transposed.cases import case_view, frame_cells

GALLERIES = [
    (["no_padding_no_strides", "arbitrary_padding_no_strides", "same_padding_no_strides",
      "full_padding_no_strides"], 2),
    (["no_padding_strides", "padding_strides", "padding_strides_odd"], 3),
    (["non_square", "asymmetric_same_padding", "dilation"], 3),
    ([f"{n}_transposed" for n in ("no_padding_strides", "padding_strides", "padding_strides_odd",
                                  "dilation", "non_square")], 3),
]


def boxes(fig):
    """(renderer, the case titles) after a full draw."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    titles = [t for t in fig.findobj(lambda a: hasattr(a, "get_text")) if a_title(t)]
    return renderer, titles


def a_title(text) -> bool:
    return text.get_visible() and "\n" in text.get_text() and "→ o=" in text.get_text()


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
@pytest.mark.parametrize("names, columns", GALLERIES)
def test_gallery_titles_fit_and_do_not_overlap(names, columns):
    fig, update = case_gallery_figure(len(names), columns=columns)
    update([case_view(n, frame_cells(n, 6)[-1]) for n in names])
    renderer, titles = boxes(fig)
    assert len(titles) == len(names)
    page = fig.bbox
    extents = [t.get_window_extent(renderer) for t in titles]
    for box in extents:
        assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 and box.y1 <= page.y1
        assert box.height > 0
    for n, a in enumerate(extents):                       # no title over another title
        assert not any(a.overlaps(b) for b in extents[n + 1:])
    for text, box in zip(titles, extents):                # nor over any axes
        assert not any(box.overlaps(ax.get_window_extent(renderer)) for ax in fig.axes)
    assert all(t.get_fontsize() >= TEXT_PT for t in titles)


def test_single_case_title_fits():
    fig = draw_case(case_view("padding_strides_odd_transposed", 3))
    renderer, titles = boxes(fig)
    box = titles[0].get_window_extent(renderer)
    assert fig.bbox.y1 >= box.y1 and fig.bbox.x1 >= box.x1


def test_layout_formula_wraps_a_dropped_window():
    lay_h, lay_w = cl.sizes.windows.layouts_2d((5, 5), (2, 2), stride=2, padding=1, op="pool",
                                               ceil_mode=True)
    fig = draw_layout(lay_h, lay_w, (0, 0))
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    box = fig._suptitle.get_window_extent(canvas.get_renderer())
    assert fig._suptitle.get_text().count("\n") == 3      # each axis: formula, then the drop
    assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 and box.y1 <= fig.bbox.y1
