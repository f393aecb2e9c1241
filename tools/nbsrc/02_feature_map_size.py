import sys; sys.path.insert(0, __import__("os").path.dirname(__file__))
from nbbuild import md, code, write

cells = [
md("slide", r"""
# 02 · Feature-map size, padding and pooling

How big is the output of a convolution or pooling layer? This chapter derives the
rule, shows where each pixel goes, and checks every number against PyTorch.

* the output-size formula, and why it **floors**
* padding to keep the size, and why even kernels need **asymmetric** padding
* TensorFlow's `SAME` / `VALID` versus PyTorch's `padding`
* pooling and `ceil_mode`
* every rule per axis: non-square inputs and kernels

Notation: input size $i$, kernel $k$, stride $s$, padding $p$, dilation $d$, output size $o$.
"""),
code("-", """
import math

import torch
import torch.nn.functional as F

import convlib as cl

cl.setup_notebook()
"""),
md("slide", r"""
## One axis at a time

A window of $k$ taps (spread $d$ apart) starts at padded position $0$ and moves by $s$.
It spans $d(k-1)+1$ cells, so it fits in the padded input $i + 2p$ at
$\lfloor (i + 2p - d(k-1) - 1)/s \rfloor + 1$ start positions:

$$o = \left\lfloor \frac{i + 2p - d(k-1) - 1}{s} \right\rfloor + 1$$

With $d = 1$ this is the familiar $o = \lfloor (i + 2p - k)/s \rfloor + 1$.
Worked example: a $5\times5$ input, $3\times3$ kernel, stride 2, padding 1.
"""),
code("-", """
ours = cl.conv_output_size((5, 5), 3, stride=2, padding=1)
layer = torch.nn.Conv2d(in_channels=3, out_channels=2, kernel_size=3, stride=2, padding=1)
theirs = layer(torch.zeros(1, 3, 5, 5)).shape
cl.compare("output H, W", ours, tuple(theirs[-2:]))
print("torch output shape (N, C, H, W):", tuple(theirs))
"""),
md("subslide", r"""
### Where the windows fall

Blue: the input; grey: zero padding; orange: the cells the first output reads; dots: where each
window starts. The formula with its numbers is printed on top.
"""),
code("-", """
lay_h, lay_w = cl.windows.layouts_2d((5, 5), (3, 3), stride=2, padding=1)
cl.draw.draw_layout(lay_h, lay_w, (0, 0))
"""),
md("slide", r"""
## Explore

Move the sliders: input $H, W$, kernel $k_H, k_W$, stride, padding, dilation, the padding
mode (PyTorch explicit padding, PyTorch `'same'`, TensorFlow `SAME` / `VALID`), convolution or
max pooling (with `ceil_mode`). The *output cell* slider (or ▶) steps through the windows.
A combination PyTorch refuses shows a short message instead of a picture.

*Sliders need a live kernel; without one you see the stored picture.*
"""),
code("-", """
explorer = cl.widgets.feature_map_explorer(H=7, W=6, kH=3, kW=2, stride=2, padding=1)
explorer
"""),
md("subslide", r"""
### Without a kernel

The same explorer stepping through its output cells, as a self-contained animation (it plays in
exported slides and on the static site, where sliders cannot recompute).
"""),
code("-", """
cl.widgets.animate(explorer, "window", range(0, 16, 2))
""", tags=["nbval-ignore-output"]),
md("slide", r"""
## The floor drops pixels

With $i = 7$, $k = 5$, $s = 3$ and no padding, a second window would start at 3 and need
cells 3–7: there is no cell 7. The last two input columns are never read.
"""),
code("-", """
ours = cl.conv_output_size(7, 5, stride=3)
theirs = F.conv1d(torch.zeros(1, 1, 7), torch.zeros(1, 1, 5), stride=3).shape[-1]
cl.compare("o for i=7, k=5, s=3", ours, theirs)
lay = cl.windows.axis_layout(7, 5, stride=3)
print("window 0 reads input cells", lay.taps(0), "; cells", sorted(set(range(7)) - set(lay.taps(0))), "are never read")
"""),
md("slide", r"""
## Padding that keeps the size

At stride 1, $o = i + 2p - k + 1$, so $o = i$ needs $p = (k-1)/2$: an integer only for **odd** $k$.
For even $k$ symmetric padding gives one pixel too many or too few.
"""),
code("-", """
i = 8
print(" k   p=(k-1)//2   o (convlib)   o (torch)")
for k in range(1, 8):
    p = (k - 1) // 2
    o = cl.conv_output_size(i, k, padding=p)
    o_torch = F.conv1d(torch.zeros(1, 1, i), torch.zeros(1, 1, k), padding=p).shape[-1]
    assert o == o_torch
    print(f"{k:2d}   {p:9d}   {o:11d}   {o_torch:9d}   {'keeps size' if o == i else 'size changes'}")
"""),
md("subslide", r"""
### `padding='same'` pads the extra pixel right and bottom

PyTorch's `padding='same'` (stride 1 only) pads $d(k-1)$ in total per axis: $\lfloor d(k-1)/2 \rfloor$
before and the rest after. For a $4\times4$ kernel that is 1 on the left/top, 2 on the right/bottom.
Check: padding by hand with that split gives exactly torch's `'same'` result.
"""),
code("-", """
(top, bottom), (left, right) = cl.same_padding((4, 4))
print("same_padding((4, 4)):", (top, bottom), (left, right))
x, w = torch.randn(1, 1, 6, 7), torch.randn(1, 1, 4, 4)
by_hand = F.conv2d(F.pad(x, (left, right, top, bottom)), w)
cl.compare("'same' output", by_hand, F.conv2d(x, w, padding="same"))
"""),
code("-", """
cl.draw.draw_layout(*cl.windows.layouts_2d((6, 7), (4, 4), mode="same"), (0, 0))
"""),
md("slide", r"""
## TensorFlow's `SAME` and `VALID`

TensorFlow takes no padding number, only a mode:

* `VALID`: no padding, $o = \lceil (i - k + 1)/s \rceil$ (the same as PyTorch with $p = 0$);
* `SAME`: $o = \lceil i / s \rceil$, total padding $\max((o-1)s + k - i, 0)$, the **smaller half
  before** (left/top).

Worked example $i = 7$, $k = 5$, $s = 3$: `VALID` keeps one output, `SAME` gives three and pads 2 + 2.
We check TF's rule with torch by padding as TF would, then convolving.
"""),
code("-", """
for mode in ("VALID", "SAME"):
    o, before, after = cl.tf_padding(7, 5, stride=3, mode=mode)
    x = F.pad(torch.zeros(1, 1, 7), (before, after))
    o_torch = F.conv1d(x, torch.zeros(1, 1, 5), stride=3).shape[-1]
    cl.compare(f"{mode}: o (pad {before} + {after})", o, o_torch)
"""),
code("-", """
cl.draw.draw_layout(*cl.windows.layouts_2d((7, 7), (5, 5), stride=3, mode="tf_same"), (1, 2))
"""),
md("subslide", r"""
### Same size, different numbers: porting a model from TensorFlow

With an even total, TF `SAME` and PyTorch's symmetric `padding` agree. With an odd total they
do not: for $i = 6$, $k = 3$, $s = 2$ both give 3 outputs, but TF pads 0 before and 1 after while
`padding=1` pads 1 on both sides, so every window is shifted by one pixel.
"""),
code("-", """
o_tf, before, after = cl.tf_padding(6, 3, stride=2)
print(f"TF SAME: o={o_tf}, pad {before} before, {after} after;  PyTorch padding=1: o={cl.conv_output_size(6, 3, 2, 1)}")
x, w = torch.arange(6.0).view(1, 1, 6), torch.ones(1, 1, 3)
tf_like = F.conv1d(F.pad(x, (before, after)), w, stride=2).ravel()
torch_pad1 = F.conv1d(x, w, stride=2, padding=1).ravel()
print("input 0..5, kernel of ones:  TF SAME ->", tf_like.tolist(), "  padding=1 ->", torch_pad1.tolist())
assert not torch.equal(tf_like, torch_pad1)
"""),
md("slide", r"""
## Pooling and `ceil_mode`

Max pooling uses the same formula, with stride defaulting to the kernel size. By default it
**floors**. With `ceil_mode=True` it takes the ceiling, *except* that PyTorch drops a last window
that would start in the right padding (it must start inside the input or the left padding),
so `ceil_mode` does not always add one.
"""),
code("-", """
print(" i  k  s  p   floor  plain ceil  ceil_mode   torch (floor, ceil_mode)")
for i, k, s, p in [(5, 2, 2, 0), (6, 2, 2, 0), (5, 2, 2, 1), (7, 3, 2, 1)]:
    floor, ceil = (cl.pool_output_size(i, k, s, p, ceil_mode=c) for c in (False, True))
    plain = math.ceil((i + 2 * p - k) / s) + 1
    t = tuple(F.max_pool1d(torch.zeros(1, 1, i), k, s, p, ceil_mode=c).shape[-1] for c in (False, True))
    assert (floor, ceil) == t
    print(f"{i:2d} {k:2d} {s:2d} {p:2d}   {floor:5d}  {plain:10d}  {ceil:9d}   {t}")
"""),
md("subslide", r"""
The first row shows the usual effect of `ceil_mode`: one more window, which hangs past the input.
In the third row plain ceiling would also add a window, but it would start in the right padding:
PyTorch drops it (the picture shows the last window it keeps).
"""),
code("-", """
cl.draw.draw_layout(*cl.windows.layouts_2d((5, 5), (2, 2), stride=2, padding=1, op="pool", ceil_mode=True), (2, 2))
"""),
md("slide", r"""
## Non-square: every rule is per axis

Height and width are independent: each axis has its own $i$, $k$, $s$, $p$, $d$. convlib takes a
tuple $(H, W)$ for any argument and answers per axis.
"""),
code("-", """
kw = dict(kernel_size=(3, 5), stride=(1, 2), padding=(1, 0), dilation=(2, 1))
ours = cl.conv_output_size((28, 20), **kw)
theirs = torch.nn.Conv2d(1, 1, **kw)(torch.zeros(1, 1, 28, 20)).shape[-2:]
cl.compare("(H_out, W_out)", ours, tuple(theirs))
"""),
md("slide", "## Exercises"),
code("-", """
cl.Exercise("A 7×7 input, 5×5 kernel, stride 3, no padding: how many outputs per axis?",
            answer=cl.conv_output_size(7, 5, stride=3),
            hint="o = ⌊(i + 2p − k)/s⌋ + 1. The floor drops what does not fit.",
            explanation=cl.windows.formula_text(cl.windows.axis_layout(7, 5, stride=3)))
"""),
code("fragment", """
cl.Exercise("TensorFlow 'SAME', i = 7, k = 5, s = 3: padding before and after? (two numbers)",
            answer=cl.tf_padding(7, 5, stride=3, mode="SAME")[1:],
            hint="o = ⌈i/s⌉; total = (o − 1)s + k − i; the smaller half goes first.",
            explanation=cl.windows.formula_text(cl.windows.axis_layout(7, 5, stride=3, mode="tf_same")))
"""),
code("fragment", """
pool = dict(kernel_size=2, stride=2, padding=1, ceil_mode=True)
cl.Exercise("MaxPool2d(kernel_size=2, stride=2, padding=1, ceil_mode=True) on a 5×5 input: output size per axis?",
            answer=cl.pool_output_size(5, **pool),
            hint="Take the ceiling, then check where the last window would start.",
            explanation=cl.windows.formula_text(cl.windows.axis_layout(5, op="pool", **pool)))
"""),
code("fragment", """
cl.Exercise("PyTorch padding='same' with a 6-wide kernel and dilation 1: padding left and right?",
            answer=cl.same_padding(6),
            hint="Total d(k − 1); the smaller half goes left.",
            explanation=cl.windows.formula_text(cl.windows.axis_layout(9, 6, mode="same")))
"""),
md("slide", r"""
## Common mistakes

**1. "$o = \lceil (i - k + 2p)/s \rceil + 1$ for convolution and max pooling."** A source article
gives this. For convolution PyTorch always floors; for pooling it is `ceil_mode=True` without the
last-window rule, while the default floors. Let torch find where it is wrong:
"""),
code("-", """
source = lambda i, k, s, p: math.ceil((i - k + 2 * p) / s) + 1
def torch_sizes(i, k, s, p):
    x = torch.zeros(1, 1, i)
    return (F.conv1d(x, torch.zeros(1, 1, k), stride=s, padding=p).shape[-1],
            F.max_pool1d(x, k, s, p).shape[-1], F.max_pool1d(x, k, s, p, ceil_mode=True).shape[-1])
cases = [(i, k, s, p) for i in range(1, 10) for k in range(1, 6) for s in range(1, 4)
         for p in range(0, k // 2 + 1) if k <= i + 2 * p]
wrong = [[c for c in cases if source(*c) != torch_sizes(*c)[n]] for n in range(3)]
for n, what in enumerate(["conv", "max pool (default)", "max pool, ceil_mode"]):
    print(f"{what:20s}: source formula wrong in {len(wrong[n]):3d} of {len(cases)} cases, e.g. (i, k, s, p) = {wrong[n][-1]}")
"""),
code("fragment", """
i, k, s, p = next(c for c in wrong[0] if c[0] >= 5)
cl.compare(f"conv o for (i, k, s, p) = {(i, k, s, p)}", cl.conv_output_size(i, k, s, p), torch_sizes(i, k, s, p)[0])
print("source formula says", source(i, k, s, p))
"""),
md("subslide", r"""
**2. "$p = (k-1)/2$ keeps the size."** Only for odd $k$ at stride 1 (table above); even kernels need
asymmetric padding, which `padding='same'` applies (extra pixel right/bottom), and TF `SAME` too.

**3. "`padding='same'` works with any stride."** PyTorch refuses it for stride > 1, and so does convlib:
"""),
code("-", """
for f in (lambda: F.conv2d(torch.zeros(1, 1, 5, 5), torch.zeros(1, 1, 3, 3), stride=2, padding="same"),
          lambda: cl.conv_output_size(5, 3, stride=2, padding="same")):
    try:
        f()
    except (RuntimeError, ValueError) as err:
        print(f"{type(err).__name__}: {err}")
"""),
md("subslide", r"""
**4. "`ceil_mode=True` adds one output."** Not when the extra window would start in the right padding
(the pooling table above).

**5. Mixing up H and W.** The source writes $W$ where $H$ is meant. Every rule applies per axis with
that axis's own sizes; a non-square input with a non-square kernel makes such slips visible.

**Next:** [03 · Transposed convolution](03_transposed_convolution.ipynb) runs the formula backwards.
"""),
]
write(sys.argv[1], cells, title="02 Feature-map size, padding and pooling")
