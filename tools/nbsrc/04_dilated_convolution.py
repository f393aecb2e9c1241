import sys; sys.path.insert(0, __import__("os").path.dirname(__file__))
from nbbuild import md, code, write

cells = [
md("slide", r"""
# 04 · Dilated (atrous) convolution

A dilated convolution spreads its kernel's taps apart: the same nine weights of a $3\times3$
kernel cover a $5\times5$ or $7\times7$ patch. This chapter shows the gaps, the output size, how
fast the receptive field grows when such layers are stacked, and the holes that repeated equal
dilations leave ("gridding").

* the effective kernel size $k_\text{eff} = k + (k-1)(d-1)$ and the output size
* receptive fields of stacked dilated layers: exponential growth at a linear parameter cost
* gridding: which input pixels a unit actually reads, and schedules that avoid holes
* padding and dilation: where a unit's field sits

Notation: input size $i$, kernel $k$, stride $s$, padding $p$, dilation $d$, output size $o$,
receptive field $RF$.
"""),
code("-", """
import itertools

import numpy as np
import torch
import torch.nn.functional as F

import convlib as cl
from convlib import dilated_layout

cl.setup_notebook()
torch.set_default_dtype(torch.float64)  # float64 everywhere: convlib and torch agree to ~1e-15
"""),
md("slide", r"""
## Gaps between the taps

Dilation $d$ puts $d - 1$ gaps between neighbouring taps ($d = 1$: an ordinary kernel). A kernel
of $k$ taps then spans

$$k_\text{eff} = k + (k - 1)(d - 1) = d(k - 1) + 1$$

PyTorch agrees: $k_\text{eff}$ is the smallest input a dilated convolution accepts.
"""),
code("-", """
def torch_k_eff(k, d):
    \"\"\"The smallest input length F.conv1d accepts with this kernel and dilation.\"\"\"
    for i in itertools.count(1):
        try:
            F.conv1d(torch.zeros(1, 1, i), torch.zeros(1, 1, k), dilation=d)
            return i
        except RuntimeError:
            pass

for d in (1, 2, 3):
    cl.compare(dilated_layout.k_eff_text(3, d), cl.effective_kernel_size(3, d), torch_k_eff(3, d))
"""),
code("-", """
masks = [cl.dilated_kernel_mask((3, 3), (d, d)) for d in (1, 2, 3)]
cl.draw.draw_dilated_kernels(masks, 3, [f"d={d}: {m.shape[0]}×{m.shape[1]}" for d, m in zip((1, 2, 3), masks)])
"""),
md("subslide", r"""
### A dilated kernel is a large kernel full of zeros

Place the nine weights at the taps of a $k_\text{eff}\times k_\text{eff}$ array of zeros: an
ordinary convolution with it gives exactly the dilated convolution. Only the nine weights are
parameters, whatever $d$.
"""),
code("-", """
w, x = torch.randn(1, 1, 3, 3), torch.randn(1, 1, 9, 9)
for d in (2, 3):
    mask = cl.dilated_kernel_mask((3, 3), (d, d))
    big = np.zeros(mask.shape)
    big[mask] = w.view(9).numpy()
    cl.compare(f"d={d}: convlib conv2d with the {big.shape[0]}×{big.shape[1]} kernel  vs  torch dilation={d}",
               cl.conv2d(x.numpy(), big[None, None]), F.conv2d(x, w, dilation=d))
    cl.compare(f"d={d}: parameters of Conv2d(16, 32, 3)", cl.conv2d_params(16, 32, 3),
               sum(t.numel() for t in torch.nn.Conv2d(16, 32, 3, dilation=d).parameters()))
"""),
md("slide", r"""
## Output size

The window now spans $k_\text{eff}$ cells, so the formula of chapter 02 holds with $k_\text{eff}$:

$$o = \left\lfloor \frac{i + 2p - d(k-1) - 1}{s} \right\rfloor + 1$$

Worked example: $i = 9$, $k = 3$, $d = 2$, $p = 1$, $s = 1$: padding 1 no longer keeps the size.
"""),
code("-", """
lay = cl.windows.axis_layout(9, 3, stride=1, padding=1, dilation=2)
print(cl.windows.formula_text(lay))
layer = torch.nn.Conv2d(3, 8, kernel_size=3, padding=1, dilation=2)
cl.compare("output H, W", (lay.output_size,) * 2, tuple(layer(torch.zeros(1, 3, 9, 9)).shape[-2:]))
"""),
md("slide", r"""
## Explore

Sliders: input size $i$, kernel $k$, dilation $d$, stride $s$, padding $p$ (or `padding='same'`),
and the output cell whose window is shown. Left: the kernel with its gaps. Middle: the padded
input (grey: padding; orange: the taps of the cell; `+`: the centre of its field). Right: the output.
Invalid combinations (a kernel wider than the padded input, `'same'` with a stride) show a message.

*Sliders need a live kernel; without one you see the stored picture.*
"""),
code("-", """
dilated = cl.widgets.dilated_explorer(input_size=9, kernel_size=3, dilation=2, stride=1, padding=1)
dilated
"""),
md("fragment", r"""
*Without a kernel:* the same explorer as the dilation grows from 1 to 4 (a self-contained animation that also plays in exported slides and on the static site).
"""),
code("-", """
cl.widgets.animate(dilated, "dilation", range(1, 5))
""", tags=["nbval-ignore-output"]),
md("slide", r"""
## The receptive field of stacked dilated layers

Each stride-1 layer adds $d(k-1)$ to the receptive field: $RF = 1 + (k-1)\sum_l d_l$. Doubling
the dilation at every layer ($d = 1, 2, 4, 8$) makes the field grow **exponentially**
($2^{L+1} - 1$ for $k = 3$) while the weights grow linearly. Each size from `receptive_field` is
checked against `empirical_receptive_field`: the input pixels whose gradient, back from the
centre unit of a 41×41 image, is non-zero (autograd).
"""),
code("-", """
schedules = {"d = 1, 1, 1, 1": [1, 1, 1, 1], "d = 1, 2, 4, 8": [1, 2, 4, 8]}
sizes = {name: [] for name in schedules}
for name, ds in schedules.items():
    for depth in range(1, len(ds) + 1):
        layers = [cl.Layer(3, padding="same", dilation=d) for d in ds[:depth]]
        ours = cl.receptive_field(layers).size
        rows = np.flatnonzero(cl.empirical_receptive_field(layers, 41).mask.any(axis=1))
        cl.compare(f"d = {ds[:depth]}: RF", ours, int(rows[-1] - rows[0] + 1))
        sizes[name].append(ours)
"""),
code("subslide", """
print(cl.receptive_field([cl.Layer(3, padding="same", dilation=d) for d in (1, 2, 4, 8)], 41))
cl.draw.draw_receptive_growth(sizes)
"""),
md("slide", r"""
## Gridding: the field has holes

The receptive field is a *bounding box*. Which pixels inside it does the unit actually read?
Count the chains of taps from the centre unit down to each input pixel (`gridding_mask`; with
all-ones weights this is the gradient). Three layers with $d = 2$: every offset is a sum of
multiples of 2, so odd rows and columns are **never read**. A mixed schedule $d = 1, 2, 5$
covers every pixel of its (larger) field.
"""),
code("-", """
def autograd_paths(dilations, k=3):
    \"\"\"d(centre output)/d(input) of unpadded stride-1 convolutions with all-ones weights.\"\"\"
    size = cl.receptive_field([cl.Layer(k, dilation=d) for d in dilations]).size
    x = torch.ones(1, 1, size, size, requires_grad=True)
    y = x
    for d in dilations:
        y = F.conv2d(y, torch.ones(1, 1, k, k), dilation=d)
    y.sum().backward()                          # a single output: the centre unit
    return x.grad[0, 0]
"""),
code("-", """
views = {ds: dilated_layout.gridding_view(ds) for ds in [(2, 2, 2), (1, 2, 5)]}
for ds, view in views.items():
    cl.compare(f"paths for dilations {ds}", view.counts, autograd_paths(ds))
    print("   ", dilated_layout.gridding_text(view))
cl.draw.draw_gridding(list(views.values()), [f"dilations {', '.join(map(str, ds))}" for ds in views])
"""),
md("subslide", r"""
### Inside a real network

Dilated segmentation networks pad (`padding='same'`) so the map keeps its size. On a 21×21 image
the map of the centre unit is the same pattern, and `empirical_receptive_field` (autograd through
an all-ones copy of the stack) finds the same counts.
"""),
code("-", """
for ds in [(2, 2, 2), (1, 2, 5)]:
    layers = [cl.Layer(3, padding="same", dilation=d) for d in ds]
    ours = cl.gridding_mask(ds, 3, input_size=21)
    cl.compare(f"dilations {ds}, padding='same', 21×21", ours, cl.empirical_receptive_field(layers, 21).grad)
    print(f"    pixels read: {int((ours > 0).sum())} of the {cl.receptive_field(layers).size ** 2} in the field")
"""),
md("subslide", r"""
### Which schedules leave holes?

A common factor $g > 1$ of all dilations always leaves holes (every reachable offset is a multiple
of $g$). No common factor is not enough: with $d = 1, 5$ the offsets $\pm 2, \pm 3$ are
unreachable. Schedules such as $1, 2, 5$ (the "hybrid dilated convolution" rule of Wang et al.,
2018) fill the field. Try it:
"""),
code("-", """
for ds in [(1, 5), (2, 4), (1, 2, 5), (1, 2, 3)]:
    holes, paths = dilated_layout.holes_1d(ds), autograd_paths(ds)
    grad = paths[:, (paths.shape[1] - 1) // 2].numpy()          # the centre column
    torch_holes = [int(i) - (len(grad) - 1) // 2 for i in np.flatnonzero(grad == 0)]
    cl.compare(f"dilations {ds}: offsets never read", holes, torch_holes)
"""),
code("subslide", """
cl.widgets.gridding_explorer(dilations=(2, 2, 2), kernel_size=3)
"""),
md("slide", r"""
## Padding and dilation: where the field sits

With a **fixed** padding, dilation moves the field: output unit $u$ reads taps centred on input
pixel $u s + d(k-1)/2 - p$, not on $u$, and the map shrinks. `padding='same'` pads $d(k-1)/2$ on
each side (for odd $k$) so unit $u$ stays centred on pixel $u$. Checked with autograd: the
first and last input pixels with a non-zero gradient of output $u$.
"""),
code("-", """
i, u, rows = 12, 4, []
for d in (1, 2, 3):
    for mode, pad in (("torch", 1), ("same", "same")):
        lay = cl.windows.axis_layout(i, 3, padding=1, dilation=d, mode=mode)
        centre = dilated_layout.field_centre(lay, u)
        x = torch.zeros(1, 1, i, requires_grad=True)
        F.conv1d(x, torch.ones(1, 1, 3), padding=pad, dilation=d)[0, 0, u].backward()
        read = torch.nonzero(x.grad[0, 0]).ravel()
        cl.compare(f"d={d}, padding={pad!r}: unit {u}'s field centre", float(centre), (read[0] + read[-1]).item() / 2)
        label = f"d={d}, padding={pad!r}: {lay.output_size} outputs, unit {u} centred on pixel {centre}"
        rows.append((label, lay, u, centre))
"""),
code("subslide", """
cl.draw.draw_field_shift(rows)
"""),
md("slide", "## Exercises"),
code("-", """
cl.Exercise("A 3×3 kernel with dilation 4: how wide is the patch it covers (k_eff)?",
            answer=cl.effective_kernel_size(3, 4),
            hint="k − 1 gaps of d − 1 cells each, plus the k taps.",
            explanation=dilated_layout.k_eff_text(3, 4))
"""),
code("fragment", """
cl.Exercise("Conv2d(kernel_size=3, padding=1, dilation=2) on a 32×32 input: output size per axis?",
            answer=cl.conv_output_size(32, 3, stride=1, padding=1, dilation=2),
            hint="Padding 1 was enough for d = 1 only.",
            explanation=cl.windows.formula_text(cl.windows.axis_layout(32, 3, padding=1, dilation=2)))
"""),
code("fragment", """
cl.Exercise("Which padding per side keeps the size for kernel 3, dilation 4, stride 1?",
            answer=cl.same_padding(3, dilation=4)[0],
            hint="Total padding d(k − 1), split in two.",
            explanation=f"same_padding(3, dilation=4) = {cl.same_padding(3, dilation=4)}")
"""),
code("fragment", """
table = cl.receptive_field([cl.Layer(3, dilation=d) for d in (1, 2, 4)])
cl.Exercise("Three stacked 3×3 layers with dilations 1, 2, 4 (stride 1): receptive field size?",
            answer=table.size, hint="RF = 1 + (k − 1)·Σd",
            explanation=str(table))
"""),
code("fragment", """
view = dilated_layout.gridding_view((2, 2, 2))
cl.Exercise(f"Dilations 2, 2, 2 (3×3 kernels): how many of the {view.size}×{view.size} field's pixels "
            "does the centre unit read?",
            answer=view.read, hint="Only even offsets are reachable along each axis.",
            explanation=dilated_layout.gridding_text(view))
"""),
md("slide", r"""
## Common mistakes

**1. "$o = \lfloor (i + 2p - k)/s \rfloor + 1$."** The usual formula (chapter 02's with $d = 1$) has
no dilation: it is right only for $d = 1$ (or $k = 1$). Let torch find the counterexamples:
"""),
code("-", """
no_d = lambda i, k, s, p, d: (i + 2 * p - k) // s + 1
def torch_size(i, k, s, p, d):
    try:
        return F.conv1d(torch.zeros(1, 1, i), torch.zeros(1, 1, k), stride=s, padding=p, dilation=d).shape[-1]
    except RuntimeError:                     # the dilated kernel does not fit
        return None
grid = itertools.product(range(1, 10), range(1, 5), range(1, 4), range(3), range(1, 4))
cases = [(c, o) for c in grid if (o := torch_size(*c)) is not None]
assert all(cl.conv_output_size(*c) == o for c, o in cases)
wrong = [(c, o) for c, o in cases if no_d(*c) != o]
assert all(c[4] > 1 and c[1] > 1 for c, _ in wrong)
c, o = next((c, o) for c, o in wrong if c[0] >= 8 and c[1] == 3)
print(f"convlib matches torch in all {len(cases)} valid cases; without d the formula is wrong in {len(wrong)}, "
      f"e.g. (i, k, s, p, d) = {c}: torch {o}, formula {no_d(*c)}")
"""),
md("subslide", r"""
**2. "$k_\text{eff} = k \cdot d$."** The gaps sit *between* taps: $k - 1$ of them, so
$k_\text{eff} = d(k-1) + 1$, smaller than $kd$ whenever $d > 1$.
"""),
code("-", """
for k, d in [(3, 2), (3, 4), (5, 2)]:
    cl.compare(f"k={k}, d={d}: k_eff (k·d would say {k * d})", cl.effective_kernel_size(k, d), torch_k_eff(k, d))
"""),
md("subslide", r"""
**3. "$p = (k - 1)/2$ keeps the size."** Only at $d = 1$. With dilation the window is $k_\text{eff}$
wide: pad $d(k-1)/2$ (what `padding='same'` does), or the map shrinks by $2(d-1)$ per layer for $k = 3$.
"""),
code("-", """
print(" d   p=(k-1)//2 -> o (convlib, torch)   same_padding -> o (convlib, torch)")
for d in (1, 2, 3, 4):
    p_naive, (p_same, _) = (3 - 1) // 2, cl.same_padding(3, dilation=d)
    o_naive, o_same = (cl.conv_output_size(12, 3, padding=p, dilation=d) for p in (p_naive, p_same))
    t_naive, t_same = (F.conv1d(torch.zeros(1, 1, 12), torch.zeros(1, 1, 3), padding=p, dilation=d).shape[-1]
                       for p in (p_naive, p_same))
    assert (o_naive, o_same) == (t_naive, t_same)
    print(f"{d:2d}   p={p_naive} -> {o_naive:2d}, {t_naive:2d}                  p={p_same} -> {o_same:2d}, {t_same:2d}")
"""),
md("subslide", r"""
**4. "A field of size $RF$ sees every pixel in it."** Stacked equal dilations leave holes
(gridding, above): check the *mask*, not just the size.

**5. "$d = 2$ means two zeros between taps."** PyTorch's `dilation=1` is an ordinary kernel;
$d$ puts $d - 1$ gaps (the "atrous rate" of DeepLab uses the same convention).
"""),
code("-", """
for d in (1, 2, 3):
    mask = cl.dilated_kernel_mask(3, d)
    x = torch.zeros(1, 1, len(mask), requires_grad=True)
    F.conv1d(x, torch.ones(1, 1, 3), dilation=d)[0, 0, 0].backward()   # which inputs does the output read?
    taps = "".join("■" if m else "·" for m in mask)
    cl.compare(f"dilation={d}: taps {taps}", mask.astype(int), (x.grad[0, 0] != 0).int())
"""),
md("-", r"""
**Next:** [05 · Grouped, depthwise-separable and other cheap convolutions](05_grouped_separable.ipynb)
cuts the cost of a convolution instead of widening it.
"""),
]
write(sys.argv[1], cells, title="04 Dilated convolution")
