import sys; sys.path.insert(0, __import__("os").path.dirname(__file__))
from nbbuild import md, code, write

cells = [
md("slide", r"""
# 03 · Transposed convolution

Convolution maps a large input to a small output. A **transposed convolution** goes the other
way: it spreads each input value over a window of the output. This chapter builds it three ways,
derives its output size, and shows why it can paint checkerboards.

* convolution as a matrix $C$, and its transpose $C^\top$: one input reaches many outputs
* three views with the same numbers: scatter, zero insertion, $C^\top$ (and autograd)
* the output size $o = (i - 1)s - 2p + d(k - 1) + op + 1$, and why `output_padding` exists
* uneven overlap: checkerboard artifacts, and resize-then-convolve

Notation: input size $i$, kernel $k$, stride $s$, padding $p$, dilation $d$, output padding $op$,
output size $o$. "Input" and "output" are those of the transposed convolution.
"""),
code("-", """
import numpy as np
import torch
import torch.nn.functional as F

import convlib as cl
from convlib import upsampling

cl.setup_notebook()
torch.set_default_dtype(torch.float64)  # float64 everywhere: convlib and torch agree to ~1e-15
"""),
md("slide", r"""
## Convolution as a matrix

A $4\times4$ input $x$, a $3\times3$ kernel $w$, stride 1, no padding: a $2\times2$ output $y$.
Flatten $x$ to 16 numbers and $y$ to 4: the convolution is a matrix product $y = C x$ with a
$4\times16$ matrix $C$. We give the kernel the distinct values 1 … 9 so every tap is visible.
"""),
code("-", """
w = torch.arange(1.0, 10.0).view(1, 1, 3, 3)          # w00 … w22 = 1 … 9
x = torch.randn(1, 1, 4, 4)
C = cl.conv_matrix((4, 4), w[0, 0].numpy())
print("C has shape", C.shape)
cl.compare("C @ x  vs  F.conv2d(x, w)", (C @ x.view(16).numpy()).reshape(2, 2), F.conv2d(x, w)[0, 0])
"""),
md("subslide", r"""
### $C$ cell by cell

Row $(r, c)$ of $C$ is output $y_{rc}$: the kernel laid over the flattened input at that window's
position, zeros elsewhere. Every row holds the same nine weights, shifted.
"""),
code("-", """
taps = cl.transposed_layout.conv_matrix_taps((4, 4), 3)    # which w_ab sits in each entry (-1: zero)
assert np.array_equal(C, np.where(taps >= 0, w.view(9).numpy()[taps], 0))
x_names = [f"x{r}{c}" for r in range(4) for c in range(4)]
y_names = [f"y{r}{c}" for r in range(2) for c in range(2)]
cl.draw.draw_conv_matrix(taps, 3, y_names, x_names, title="C (4×16): y = C x").figure
"""),
md("subslide", r"""
### $C^\top$: from 4 numbers back to 16

$C^\top$ is $16\times4$: it takes a $2\times2$ array to a $4\times4$ one. Column $y_{rc}$ of
$C^\top$ is row $y_{rc}$ of $C$, so **one input value reaches nine outputs** (one-to-many),
each scaled by a different weight.
"""),
code("-", """
cl.draw.draw_conv_matrix(taps.T, 3, x_names, y_names, title="Cᵀ (16×4)", cell=0.36).figure
"""),
code("fragment", """
e = torch.zeros(1, 1, 2, 2)
e[0, 0, 0, 0] = 1.0                                    # a single input value y00 = 1
spread = F.conv_transpose2d(e, w)
cl.compare("outputs y00 reaches", int((taps[0] >= 0).sum()), int((spread != 0).sum()))
cl.compare("their values: Cᵀ e  vs  conv_transpose2d(e, w)", (C.T @ e.view(4).numpy()).reshape(4, 4), spread[0, 0])
cl.draw.draw_spread(taps[0], 3, (2, 2), 0, (4, 4))
"""),
md("slide", r"""
## Three views, one result

* **Scatter**: every input value adds a scaled copy of the kernel into the output, at $s$ times its
  position; then $p$ rows and columns are cropped from each border.
* **Zero insertion**: put $s - 1$ zeros between input values, pad $d(k-1) - p$ zeros around, and
  run an ordinary stride-1 convolution with the kernel **flipped**.
* **Matrix**: $C^\top y$, with $C$ the matrix of the convolution that maps the output size back to $i$.

It is also the **gradient of the convolution** with respect to its input: autograd computes
exactly $C^\top$ times the incoming gradient.
"""),
code("-", """
def scatter(y, w, s, p):
    \"\"\"Every input value adds its scaled kernel at s × its position; then crop p.\"\"\"
    k, n = w.shape[-1], y.shape[-1]
    full = np.zeros(((n - 1) * s + k,) * 2)
    for (r, c), v in np.ndenumerate(y):
        full[r * s:r * s + k, c * s:c * s + k] += v * w
    return full[p:full.shape[0] - p, p:full.shape[1] - p]
"""),
code("-", """
for i, s, p in [(4, 1, 0), (5, 2, 1)]:
    o = cl.conv_output_size(i, 3, s, p)                 # the convolution maps i -> o
    y, x = torch.randn(1, 1, o, o), torch.zeros(1, 1, i, i, requires_grad=True)
    F.conv2d(x, w, stride=s, padding=p).backward(y)    # autograd: x.grad = Cᵀ y
    yn, wn, want = y.numpy(), w.numpy(), F.conv_transpose2d(y, w, stride=s, padding=p)[0, 0]
    print(f"--- {o}×{o} -> {i}×{i}, k=3, s={s}, p={p}; every view vs torch's conv_transpose2d:")
    cl.compare("  scatter", scatter(yn[0, 0], wn[0, 0], s, p), want)
    cl.compare("  zero insertion", cl.transpose_as_conv(yn, wn, s, p)[0, 0], want)
    cl.compare("  Cᵀ y", (cl.conv_matrix((i, i), wn[0, 0], s, p).T @ yn.ravel()).reshape(i, i), want)
    cl.compare("  convlib conv_transpose2d", cl.conv_transpose2d(yn, wn, stride=s, padding=p)[0, 0], want)
    cl.compare("  autograd x.grad", x.grad[0, 0], want)
"""),
md("subslide", r"""
### Zero insertion is wasteful

The stretched input is mostly zeros: with stride 2 about three products in four multiply an
inserted or padding zero. Frameworks scatter instead (convlib's `conv_transpose2d` does too).
Count the products that touch an input value: that is the transposed convolution of ones by ones.
"""),
code("-", """
i, k, s = 6, 3, 2
o = cl.conv_transpose_output_size(i, k, s)
useful = int(cl.conv_transpose2d(np.ones((1, 1, i, i)), np.ones((1, 1, k, k)), stride=s).sum())
theirs = F.conv_transpose2d(torch.ones(1, 1, i, i), torch.ones(1, 1, k, k), stride=s)
cl.compare("products with an input value", useful, int(theirs.sum()))
total = o * o * k * k
print(f"stretched-input convolution: {o}×{o} outputs × {k * k} taps = {total} products; "
      f"{useful} of them ({useful / total:.0%}) touch an input value")
"""),
md("slide", r"""
## Output size

Zero insertion gives $(i - 1)s + 1$ cells; padding adds $2(d(k-1) - p)$ and output padding $op$;
a stride-1 convolution with a kernel spanning $d(k-1)+1$ then removes $d(k-1)$:

$$o = (i - 1)\,s - 2p + d\,(k - 1) + op + 1$$

Worked example: $i = 3$, $k = 3$, $s = 2$, $p = 1$, $op = 1$.
"""),
code("-", """
lay = cl.transposed_layout.transposed_axis(3, 3, stride=2, padding=1, output_padding=1)
print(cl.transposed_layout.transposed_formula_text(lay))
print(cl.transposed_layout.stretch_text(lay))
layer = torch.nn.ConvTranspose2d(4, 2, kernel_size=3, stride=2, padding=1, output_padding=1)
cl.compare("output H, W", (lay.output_size,) * 2, tuple(layer(torch.zeros(1, 4, 3, 3)).shape[-2:]))
"""),
md("slide", r"""
## Explore

Sliders: input size $i$, kernel $k$, stride $s$, padding $p$, output padding $op$, dilation $d$,
and the output cell whose window is shown. Left: the stretched input (blue: input values, white:
inserted zeros, light grey: padding zeros, dark grey: output padding, pink: cells cropped because
$p > d(k-1)$; orange: what the cell reads). Right: how many input values each output window holds.
A combination PyTorch refuses (e.g. $op \ge$ both $s$ and $d$, or $o < 1$) shows a short message.

*Sliders need a live kernel; without one you see the stored picture.*
"""),
code("-", """
transposed = cl.widgets.transposed_explorer(input_size=3, kernel_size=3, stride=2, padding=1, output_padding=1)
transposed
"""),
md("fragment", r"""
*Without a kernel:* the same explorer stepping through output cells (a self-contained animation that also plays in exported slides and on the static site).
"""),
code("-", """
cl.widgets.animate(transposed, "cell", range(0, 36, 5))
""", tags=["nbval-ignore-output"]),
md("fragment", r"""
The counts on the right are exactly `conv_transpose2d` of an all-ones input with an all-ones
kernel, padding, output padding and dilation included:
"""),
code("-", """
view = cl.transposed_layout.transposed_view(4, 3, stride=2, padding=1, output_padding=1, dilation=2)
ones = F.conv_transpose2d(torch.ones(1, 1, 4, 4), torch.ones(1, 1, 3, 3), stride=2, padding=1, output_padding=1, dilation=2)
cl.compare("window counts, i=4, k=3, s=2, p=1, op=1, d=2", view.counts, ones[0, 0])
"""),
md("slide", r"""
## Why `output_padding` exists

A strided convolution **floors**: with $k = 3$, $s = 2$, $p = 1$ both $i = 5$ and $i = 6$ give
$o = 3$. Going back, the transposed convolution cannot know which size you want. `output_padding`
($0 \le op < s$, or $< d$) picks it: one extra row and column at the bottom and right.
"""),
code("-", """
print(" o  k  s  p  d   sizes i with the same o: (i, op)   checked: conv(i) = o, ConvTranspose2d(o, op) = i")
for o, k, s, p, d in [(3, 3, 2, 1, 1), (4, 3, 3, 0, 1), (4, 2, 2, 0, 1), (3, 3, 2, 0, 2)]:
    sizes = cl.transpose_input_sizes(o, k, s, p, d)
    for i, op in sizes:
        conv = torch.nn.Conv2d(1, 1, k, s, p, dilation=d)(torch.zeros(1, 1, i, i)).shape[-1]
        back = torch.nn.ConvTranspose2d(1, 1, k, s, p, op, dilation=d)(torch.zeros(1, 1, o, o)).shape[-1]
        assert (conv, back) == (o, i)
    print(f"{o:2d} {k:2d} {s:2d} {p:2d} {d:2d}   {str(sizes):34s}  ✓")
"""),
md("fragment", r"""
PyTorch can choose $op$ for you: `ConvTranspose2d.forward(y, output_size=...)`.
"""),
code("-", """
layer = torch.nn.ConvTranspose2d(1, 1, kernel_size=3, stride=2, padding=1)
for i, op in cl.transpose_input_sizes(3, 3, stride=2, padding=1):
    got = layer(torch.zeros(1, 1, 3, 3), output_size=[i, i]).shape[-1]
    cl.compare(f"output_size=[{i}, {i}] (op={op})", cl.conv_transpose_output_size(3, 3, 2, 1, op), got)
"""),
md("slide", r"""
## Uneven overlap: the checkerboard

In the scatter view, input $n$ writes its $k$ taps to outputs $ns, \dots, ns + k - 1$. When $s$
does not divide $k$, neighbouring outputs receive **different numbers of taps**: $\lceil k/s \rceil$
or $\lfloor k/s \rfloor$. With a 2-D kernel the counts multiply: a checkerboard.
Each map below is `overlap_counts` ($i = 3$, no padding), checked against torch's transposed
convolution of ones by ones.
"""),
code("-", """
cases = []
for k in (2, 3, 4, 5):
    row = []
    for s in (1, 2, 3):
        counts = cl.overlap_counts((k, k), (s, s), (3, 3))
        ones = F.conv_transpose2d(torch.ones(1, 1, 3, 3), torch.ones(1, 1, k, k), stride=s)
        cl.compare(f"k={k}, s={s}", counts, ones[0, 0])
        uneven = cl.transposed_layout.uneven_overlap(k, s)
        row.append((f"k={k}, s={s}: {'uneven' if uneven else 'even'}", counts))
    cases.append(row)
"""),
code("subslide", """
cl.draw.draw_overlap_cases(cases)
"""),
md("subslide", r"""
### Any $k$ and $s$

The interior is even exactly when $s$ divides $k$ ($k = 4, s = 2$: every output gets 2 taps per axis).
"""),
code("-", """
cl.widgets.overlap_explorer(kernel_size=3, stride=2, input_size=4)
"""),
code("fragment", """
for k in range(1, 8):
    for s in range(1, 5):
        assert cl.transposed_layout.uneven_overlap(k, s) == (k % s != 0)
print("uneven overlap exactly when s does not divide k: checked for k = 1..7, s = 1..4 ✓")
"""),
md("slide", r"""
## The artifact on an image

Three randomly initialised (seeded) upsamplers, each $\times 8$ in three steps, on an $8\times8$
image: transposed convolutions with $k = 3, s = 2$ (uneven overlap) and $k = 4, s = 2$ (even
overlap), and **resize-then-convolve**: nearest-neighbour $\times 2$ (`nn.Upsample`, i.e.
`F.interpolate(mode="nearest")`) then a $3\times3$ convolution.
With `positive=True` every weight is the absolute value of PyTorch's default initialisation
(biases 0): each layer is a random blur, the kind of smoothing filter an upsampler learns.
"""),
code("-", """
models = {"ConvTranspose k=3, s=2": upsampling.transposed_stack(3, seed=0, positive=True),
          "ConvTranspose k=4, s=2": upsampling.transposed_stack(4, seed=0, positive=True),
          "nearest ×2 + conv 3×3": upsampling.resize_conv_stack(3, seed=0, positive=True)}
print(models["ConvTranspose k=3, s=2"])
print(models["nearest ×2 + conv 3×3"][:2])
"""),
code("subslide", """
inputs = {"flat": np.ones((1, 1, 8, 8)), "smooth": upsampling.smooth_image(8)}
outs = {}
for name, model in models.items():
    for label, img in inputs.items():
        outs[name, label] = upsampling.numpy_forward(model, img)     # convlib's numpy ops
        with torch.no_grad():
            cl.compare(f"{name}, {label} input", outs[name, label], model(torch.from_numpy(img)))
"""),
code("subslide", """
rows = [[img] + [outs[name, label] for name in models] for label, img in inputs.items()]
cl.draw.draw_images(rows, ["input 8×8", *models], row_labels=list(inputs))
"""),
md("subslide", r"""
A flat input makes the pattern measurable: away from the borders (8 pixels dropped) the output
should be flat too. `period` finds how often the interior repeats (three stride-2 layers: every
$2^3 = 8$ pixels) and `ripple` is its $(\max - \min) / \text{mean}$.
"""),
code("-", """
for name, model in models.items():
    ours = outs[name, "flat"]
    with torch.no_grad():
        theirs = model(torch.from_numpy(inputs["flat"])).numpy()
    period, ripple = (lambda y: upsampling.period(y, margin=8)), (lambda y: round(upsampling.ripple(y, margin=8), 3))
    cl.compare(f"{name:24s} repeats every (rows, cols)", period(ours), period(theirs))
    cl.compare(f"{name:24s} ripple", ripple(ours), ripple(theirs))
"""),
md("fragment", r"""
$k = 4, s = 2$ evens the *overlap*, so its ripple is far smaller, yet not zero: each output phase
($j \bmod s$) sums different random taps. With equal weights (all ones) it is flat, and the uneven
kernel is not. Resize-then-convolve applies the same weights at every output: a flat input stays
flat whatever the weights. (Drop `positive=True` and the pattern swamps the image.)
"""),
code("-", """
for k in (3, 4):
    model = upsampling.transposed_stack(k, seed=0)
    for layer in model[::2]:                      # ConvTranspose2d layers: all-ones weights, no bias
        torch.nn.init.ones_(layer.weight)
        torch.nn.init.zeros_(layer.bias)
    ours = upsampling.period(upsampling.numpy_forward(model, inputs["flat"]), margin=8)
    with torch.no_grad():
        theirs = upsampling.period(model(torch.from_numpy(inputs["flat"])).numpy(), margin=8)
    cl.compare(f"all-ones k={k}, s=2: repeats every", ours, theirs)
"""),
md("slide", "## Exercises"),
code("-", """
cl.Exercise("ConvTranspose2d(kernel_size=3, stride=2, padding=1, output_padding=1) on a 7×7 input: output size per axis?",
            answer=cl.conv_transpose_output_size(7, 3, stride=2, padding=1, output_padding=1),
            hint="o = (i − 1)s − 2p + d(k − 1) + op + 1",
            explanation=cl.transposed_layout.transposed_formula_text(cl.transposed_layout.transposed_axis(7, 3, 2, 1, 1)))
"""),
code("fragment", """
sizes = cl.transpose_input_sizes(4, 3, stride=3)
cl.Exercise("Conv2d(kernel_size=3, stride=3) returned a 4×4 map. Which input sizes could it have had? (all, ascending)",
            answer=tuple(i for i, _ in sizes),
            hint="The floor sends s consecutive sizes to the same o.",
            explanation=f"(input size, output_padding that recovers it): {sizes}")
"""),
code("fragment", """
cl.Exercise("ConvTranspose2d(kernel_size=5, stride=2): how many taps land on an interior output? "
            "(two numbers, smaller first)",
            answer=cl.transposed_layout.interior_counts(5, 2),
            hint="Output j gets taps j − n·s for every n with 0 ≤ j − n·s < k.",
            explanation=cl.transposed_layout.overlap_text(cl.transposed_layout.overlap_view(5, 2, 4)))
"""),
code("fragment", """
op = next(op for i, op in cl.transpose_input_sizes(4, 3, stride=2, padding=1) if i == 8)
cl.Exercise("ConvTranspose2d(kernel_size=3, stride=2, padding=1) on a 4×4 input: which output_padding gives 8×8?",
            answer=op, hint="Without output padding: (4 − 1)·2 − 2·1 + 3 = 7.",
            explanation=cl.transposed_layout.transposed_formula_text(cl.transposed_layout.transposed_axis(4, 3, 2, 1, op)))
"""),
md("slide", r"""
## Common mistakes

**1. "$o = (i - 1)s - 2p + k$."** A source article gives this. It forgets dilation and output
padding; it is right only when $d = 1$ and $op = 0$. Let torch find the counterexamples:
"""),
code("-", """
source = lambda i, k, s, p, op, d: (i - 1) * s - 2 * p + k
def torch_size(i, k, s, p, op, d):
    try:
        return F.conv_transpose1d(torch.zeros(1, 1, i), torch.zeros(1, 1, k), stride=s, padding=p,
                                  output_padding=op, dilation=d).shape[-1]
    except RuntimeError:                     # PyTorch refuses this combination
        return None
grid = [(i, k, s, p, op, d) for i in range(1, 6) for k in range(1, 5) for s in range(1, 4)
        for p in range(3) for op in range(3) for d in range(1, 4)]
cases = [(c, torch_size(*c)) for c in grid]
cases = [(c, o) for c, o in cases if o is not None]
assert all(cl.conv_transpose_output_size(*c) == o for c, o in cases)
wrong = [(c, o) for c, o in cases if source(*c) != o]
print(f"convlib matches torch in all {len(cases)} valid cases; the source formula is wrong in {len(wrong)}")
"""),
code("fragment", """
print("(i, k, s, p, op, d)   torch   source")
for what in (lambda c: c[5] > 1 and c[4] == 0, lambda c: c[4] > 0 and c[5] == 1):   # dilation; output padding
    c, o = next((c, o) for c, o in wrong if what(c) and c[0] >= 3 and c[1] >= 2)
    print(f"{str(c):20s}  {o:5d}   {source(*c):6d}")
assert all(source(*c) == o for c, o in cases if c[4] == 0 and c[5] == 1)
print("with op = 0 and d = 1 the source agrees with torch everywhere ✓")
"""),
md("subslide", r"""
**2. "Deconvolution undoes a convolution."** The name is misleading. A transposed convolution is
the *adjoint* $C^\top$ (the gradient), not the inverse $C^{-1}$: $C$ maps 16 numbers to 4, so no
matrix can recover $x$. A `ConvTranspose2d` layer learns its own weights; it does not reuse or
invert a convolution's.
"""),
code("-", """
x, w = torch.randn(1, 1, 4, 4), torch.randn(1, 1, 3, 3)
back = cl.conv_transpose2d(cl.conv2d(x.numpy(), w.numpy()), w.numpy())
cl.compare("conv_transpose2d(conv2d(x, w), w)", back, F.conv_transpose2d(F.conv2d(x, w), w))
print(f"same shape as x: {back.shape == tuple(x.shape)};  largest |difference| from x: {np.abs(back - x.numpy()).max():.2f}")
C = cl.conv_matrix((4, 4), w[0, 0].numpy())
rank, torch_rank = int(np.linalg.matrix_rank(C)), int(torch.linalg.matrix_rank(torch.from_numpy(C)))
cl.compare("rank of C (16 inputs -> 4 outputs)", rank, torch_rank)
"""),
md("subslide", r"""
**3. "`output_padding` adds zeros."** It adds one side only (bottom and right), and those cells are
*computed*: with $p > 0$ they are outputs that padding would otherwise crop, not zeros.
"""),
code("-", """
y, w = torch.randn(1, 1, 3, 3), torch.randn(1, 1, 3, 3)
with_op = cl.conv_transpose2d(y.numpy(), w.numpy(), stride=2, padding=1, output_padding=1)
cl.compare("op=1", with_op, F.conv_transpose2d(y, w, stride=2, padding=1, output_padding=1))
without_op = F.conv_transpose2d(y, w, stride=2, padding=1)
cl.compare("op=1 without its last row and column  vs  torch op=0", with_op[..., :-1, :-1], without_op)
print("the extra last row:", np.round(with_op[0, 0, -1], 2))
"""),
md("subslide", r"""
**4. "Transposed convolution is convolution with the same kernel."** In the zero-insertion view the
kernel is **flipped** (and its in/out channels swapped); only a symmetric kernel hides the difference.
"""),
code("-", """
y, w = torch.randn(1, 1, 3, 3), torch.randn(1, 1, 3, 3)
q = cl.transposed_layout.transposed_axis(3, 3, stride=2).before       # d(k − 1) − p zeros around
stretched = F.pad(torch.from_numpy(cl.insert_zeros(y.numpy(), 2)), (q, q, q, q))
want = F.conv_transpose2d(y, w, stride=2)
cl.compare("stride-1 conv of the stretched input with the flipped kernel", F.conv2d(stretched, w.flip(-1, -2)), want)
print("the same without flipping equal too?", torch.allclose(F.conv2d(stretched, w), want))
"""),
md("-", r"""
**Next:** [04 · Dilated convolution](04_dilated_convolution.ipynb) spreads the *kernel* instead of the input.
"""),
]
write(sys.argv[1], cells, title="03 Transposed convolution")
