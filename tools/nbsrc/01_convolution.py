import sys; sys.path.insert(0, __import__("os").path.dirname(__file__))
from nbbuild import md, code, write

cells = [
md("slide", r"""
# 01 · How a convolution is computed

A convolutional layer slides a small grid of weights (the **kernel**) over its input and, at
every position, computes one output value. This chapter computes those values one at a time,
then for many channels at once, and checks every number against PyTorch.

* one output value: window × kernel, summed, plus a bias, then an activation (ReLU)
* the kernel slides left to right, top to bottom, by the stride: the **same weights** everywhere
* RGB input: a kernel has one slice per input channel; $C_\text{out}$ kernels give $C_\text{out}$ feature maps
* deep-learning "convolution" is **cross-correlation**: the kernel is not flipped
* the whole layer as one matrix product (**im2col**)

Notation: input $x$ with $C_\text{in}$ channels of size $H \times W$ (one axis: $i$), kernel
$w$ of size $k \times k$, bias $b$, stride $s$, padding $p$, output $y$ with $C_\text{out}$ channels.
"""),
code("-", """
import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

import convlib as cl

cl.setup_notebook()
"""),
md("slide", r"""
## One output value

Put the kernel on the input, multiply the numbers it covers by the weights, add the products up,
add the bias, apply the activation:

$$y[r, c] = \mathrm{ReLU}\Big(b + \sum_{i=0}^{k-1} \sum_{j=0}^{k-1} x[s\,r + i,\; s\,c + j]\; w[i, j]\Big)$$

Worked example: a $5\times5$ input, a $3\times3$ kernel, stride 1, no padding. Small integers
(seeded) keep the arithmetic readable.
"""),
code("-", """
rng = np.random.default_rng(10)
x = rng.integers(0, 4, size=(5, 5)).astype(float)   # input, values 0..3
w = rng.integers(-1, 2, size=(3, 3)).astype(float)  # kernel, values -1..1
b = -2                                              # bias
xt, wt = torch.from_numpy(x)[None, None], torch.from_numpy(w)[None, None]  # (N, C, H, W) tensors
bt = torch.tensor([float(b)], dtype=torch.float64)
print("x =", x, "w =", w, f"b = {b}", sep="\\n")
"""),
md("subslide", r"""
### Step 1: the top-left window

`cl.conv_step` computes one step: the window, the products, their sum, the bias, the ReLU.
Orange: the window on the input and the products; dark green: the output cell being computed.
"""),
code("-", """
first = cl.conv_step(x, w, b, step=0)
print(first.equation())
cl.draw.draw_conv_step(first)
"""),
code("-", """
theirs = F.relu(F.conv2d(xt, wt, bt))[0, 0]
cl.compare(f"y{first.cell}", first.value, theirs[first.cell].item())
"""),
md("subslide", r"""
### Step 2: one pixel to the right

The next window starts one column to the right (stride 1). Here the sum plus the bias is negative,
so ReLU turns it into 0.
"""),
code("-", """
second = cl.conv_step(x, w, b, step=1)
print(second.equation())
cl.compare(f"y{second.cell}", second.value, theirs[second.cell].item())
cl.draw.draw_conv_step(second)
"""),
md("subslide", r"""
### All nine values

Doing every step gives the whole output map. `cl.conv2d_loops` is the plain loop version of the
formula (read its source with `cl.conv2d_loops??`); `cl.conv2d` is the fast one. Both agree with
`F.conv2d`. Note that `F.conv2d` itself has **no activation**: ReLU is a separate step.
"""),
code("-", """
ours = np.maximum(cl.conv2d_loops(x[None, None], w[None, None], np.array([float(b)]))[0, 0], 0)
cl.compare("ReLU(conv2d_loops)", ours, theirs)
cl.compare("ReLU(conv2d)", np.maximum(cl.conv2d(x[None, None], w[None, None], np.array([float(b)])), 0), F.relu(F.conv2d(xt, wt, bt)))
print(ours)
"""),
md("slide", r"""
## The kernel slides: left to right, top to bottom

Step $j$ fills output cell $(r, c) = (\lfloor j / o_W \rfloor,\; j \bmod o_W)$; its window starts at
padded position $(s\,r,\; s\,c)$. With stride 2 and padding 1 the windows jump two pixels and the
first ones read the zero padding:
"""),
code("-", """
n = cl.conv_step(x, w, b, stride=2, padding=1).n_steps
steps = [cl.conv_step(x, w, b, stride=2, padding=1, step=j) for j in range(n)]
print("output cell:         ", *[s_.cell for s_ in steps])
print("window starts (r, c):", *[s_.origin for s_ in steps])
cl.compare("outputs, stride 2, padding 1", steps[-1].output, F.relu(F.conv2d(xt, wt, bt, stride=2, padding=1))[0, 0])
"""),
md("subslide", r"""
### Step through it yourself

Move *output cell* (or press ▶) to watch the window slide and the output fill up; change the
stride, the padding, the bias, or switch ReLU off. The line above the picture gives the arithmetic
of the current step and the output-size formula.

*Sliders need a live kernel; without one you see the stored picture.*
"""),
code("-", """
explorer = cl.widgets.conv_step_explorer(x, w, bias=b)
explorer
"""),
md("subslide", r"""
### Without a kernel

The same nine steps as a self-contained animation: it plays in exported slides and on the static
site, where the sliders cannot recompute.
"""),
code("-", """
cl.widgets.animate(explorer, "step", range(explorer.state.n_steps), interval=1000)
""", tags=["nbval-ignore-output"]),
md("slide", r"""
## Weight sharing

The kernel does not change while it slides: the same $k^2$ weights and one bias serve every output
cell. A layer that gave each of the 9 outputs its own weights on all 25 inputs (a fully connected
layer) would need many more parameters:
"""),
code("-", """
conv, dense = torch.nn.Conv2d(1, 1, kernel_size=3), torch.nn.Linear(25, 9)
cl.compare("Conv2d(1, 1, 3) parameters", cl.conv2d_params(1, 1, 3), sum(p.numel() for p in conv.parameters()))
cl.compare("Linear(25, 9) parameters", cl.linear_params(25, 9), sum(p.numel() for p in dense.parameters()))
print("output cells sharing the conv's weights:", cl.conv_output_size(5, 3) ** 2)
"""),
md("subslide", r"""
### Shift the input, the output shifts

Because every position uses the same weights, a pattern gives the same response wherever it is:
move the input 2 rows down and 1 column right and the output moves by the same amount
(*translation equivariance*). Orange on the outputs: the block that moved unchanged.
"""),
code("-", """
img = np.zeros((7, 7)); img[1:4, 1] = 1; img[3, 1:4] = 1   # an L shape
moved = cl.shift2d(img, 2, 1)
y, y_moved = (cl.conv2d(a[None, None], w[None, None])[0, 0] for a in (img, moved))
cl.compare("conv(img)", y, F.conv2d(torch.from_numpy(img)[None, None], wt)[0, 0])
cl.compare("conv(moved img)", y_moved, F.conv2d(torch.from_numpy(moved)[None, None], wt)[0, 0])
assert np.array_equal(y_moved[2:, 1:], y[:-2, :-1])
print("conv(moved img)[2:, 1:] == conv(img)[:-2, :-1]:", np.array_equal(y_moved[2:, 1:], y[:-2, :-1]))
"""),
code("-", """
same = np.zeros(y.shape, bool), np.zeros(y.shape, bool)
same[0][:-2, :-1], same[1][2:, 1:] = True, True          # orange on the outputs: equal blocks
cl.draw.draw_grids([img, y, moved, y_moved], ["input", "output", "input moved (2, 1)", "output of moved input"],
                   ["input", "output", "input", "output"], highlight=[img > 0, same[0], moved > 0, same[1]])
"""),
md("slide", r"""
## Many channels: an RGB input

A colour image has 3 channels, so one kernel has shape $(C_\text{in}, k, k)$: one $k\times k$ slice
per channel. Each slice is applied to its own channel, the **per-channel sums are added**, then the
one bias: one output value. $C_\text{out}$ kernels give $C_\text{out}$ feature maps:

$$y[o, r, c] = b[o] + \sum_{ch=0}^{C_\text{in}-1} \sum_{i,j} x[ch,\; s\,r + i,\; s\,c + j]\; w[o, ch, i, j]$$

Worked example: a $5\times5\times3$ input, two $3\times3\times3$ filters, stride 2, padding 1.
"""),
code("-", """
rng = np.random.default_rng(1)
x_rgb = rng.integers(0, 3, size=(3, 5, 5)).astype(float)       # (C_in, H, W)
W_rgb = rng.integers(-1, 2, size=(2, 3, 3, 3)).astype(float)   # (C_out, C_in, k, k)
b_rgb = np.array([1.0, 0.0])                                   # one bias per filter
print(cl.windows.formula_text(cl.windows.axis_layout(5, 3, stride=2, padding=1)))
cl.compare("output shape (C_out, H, W)", cl.conv2d(x_rgb, W_rgb, b_rgb, stride=2, padding=1).shape,
           tuple(F.conv2d(torch.from_numpy(x_rgb), torch.from_numpy(W_rgb), stride=2, padding=1).shape))
"""),
md("subslide", r"""
### One output value = three partial sums + one bias

The centre cell of the first feature map: each row is one input channel (with its padding), its
kernel slice, and the products. The three partial sums add up, then the bias is added once.
"""),
code("-", """
centre = cl.conv_step(x_rgb, W_rgb[0], b_rgb[0], stride=2, padding=1, step=4, activation="none")
print("partial sums per channel:", centre.partial_sums)
y_rgb = F.conv2d(torch.from_numpy(x_rgb), torch.from_numpy(W_rgb), torch.from_numpy(b_rgb), stride=2, padding=1)
cl.compare(f"feature map 0, cell {centre.cell}", centre.value, y_rgb[0][centre.cell].item())
"""),
code("-", """
cl.draw.draw_channel_sums(centre, ["R", "G", "B"], "feature map 0")
"""),
md("subslide", r"""
### Two filters, two feature maps

The second filter has its own 27 weights and its own bias; it slides over the same input and gives
the second feature map. The output is $3\times3\times2$.
"""),
code("-", """
maps = cl.conv2d(x_rgb, W_rgb, b_rgb, stride=2, padding=1)
cl.compare("both feature maps", maps, y_rgb)
cl.draw.draw_grids(list(maps), [f"feature map {o} (bias {b_rgb[o]:g})" for o in range(len(maps))], ["output"] * len(maps))
"""),
md("slide", r"""
## Cross-correlation, not convolution

In mathematics and signal processing, *convolution* flips the kernel (rotates it by 180°) before
sliding it; sliding it unflipped is *cross-correlation*. What deep-learning libraries call
convolution is cross-correlation. scipy has both:
"""),
code("-", """
torch_out = F.conv2d(xt, wt)[0, 0].numpy()
corr = scipy.signal.correlate2d(x, w, mode="valid")
true_conv = scipy.signal.convolve2d(x, w, mode="valid")
cl.compare("cl.conv2d", cl.conv2d(x[None, None], w[None, None])[0, 0], torch_out)
print("F.conv2d == scipy correlate2d:", np.allclose(torch_out, corr))
print("F.conv2d == scipy convolve2d: ", np.allclose(torch_out, true_conv))
"""),
md("subslide", r"""
A true convolution is a cross-correlation with the flipped kernel. `cl.convolve2d` does exactly
that, and matches both scipy and `F.conv2d` with `w.flip(-1, -2)`:
"""),
code("-", """
ours = cl.convolve2d(x[None, None], w[None, None])[0, 0]
cl.compare("true convolution (F.conv2d with flipped kernel)", ours, F.conv2d(xt, wt.flip(-1, -2))[0, 0])
assert np.allclose(ours, true_conv)
cl.draw.draw_grids([w, cl.flip_kernel(w), corr, true_conv],
                   ["kernel w", "w flipped", "cross-correlation\\n(F.conv2d)", "convolution\\n(scipy convolve2d)"],
                   ["kernel", "kernel", "output", "output"])
"""),
md("subslide", r"""
For a learned kernel the difference does not matter: a network trained with cross-correlation
simply learns the flipped kernel. It matters when you copy a kernel from a textbook (an edge
detector, a blur that is not symmetric) or compare with `scipy.signal.convolve2d`.
"""),
md("slide", r"""
## One matrix product: im2col

Each output value is a dot product of a flattened window with the flattened kernel. Stack every
window as a **column** (im2col, `F.unfold` in PyTorch) and the whole layer is one matrix product:
`weight.reshape(C_out, -1) @ cols`, then reshape to the output map and add the bias.
"""),
code("-", """
cols = cl.im2col(x[None], 3)                       # (C k k, number of windows)
cl.compare("im2col", cols, F.unfold(xt, 3)[0])
flat = w.reshape(1, -1) @ cols                       # (1, 9): one value per window
cl.compare("w @ cols + b, reshaped", (flat + b).reshape(1, 3, 3), F.conv2d(xt, wt, bt)[0])
print("cols:", cols.shape, " weight row:", w.reshape(1, -1).shape, " product:", flat.shape)
"""),
md("subslide", r"""
Column $j$ holds the window of step $j$ (orange); its dot product with the weight row gives output
$j$ (dark green), before the bias. Here: step 2 of the worked example.
"""),
code("-", """
assert np.array_equal(cols[:, second.step], second.window.ravel())
cl.draw.draw_im2col(w.reshape(1, -1), cols, flat, column=second.step)
"""),
md("subslide", r"""
### The RGB example as one product

With 3 channels a column holds all $3 \cdot 3 \cdot 3 = 27$ window values, and each filter is one row
of the weight matrix: two filters, two rows, two feature maps. Chapter 03 writes the same
computation the other way round, as one big (mostly zero) matrix applied to the flattened input,
and transposes it.
"""),
code("-", """
cols_rgb = cl.im2col(x_rgb, 3, stride=2, padding=1)
cl.compare("im2col (RGB)", cols_rgb, F.unfold(torch.from_numpy(x_rgb)[None], 3, stride=2, padding=1)[0])
prod = W_rgb.reshape(2, -1) @ cols_rgb + b_rgb[:, None]
cl.compare("W @ cols + b, reshaped", prod.reshape(2, 3, 3), y_rgb)
print("weights:", W_rgb.reshape(2, -1).shape, " cols:", cols_rgb.shape, " product:", prod.shape)
"""),
md("slide", "## Exercises"),
code("-", """
ex_step = cl.conv_step(x, w, b, step=4)
cl.Exercise(f"Worked example (bias {b}, ReLU): compute output cell {ex_step.cell} by hand.",
            answer=ex_step.value,
            hint="Window rows {0}–{2}, cols {1}–{3}; multiply by the kernel, add up, add the bias, then ReLU.".format(
                *ex_step.origin, *(np.array(ex_step.origin) + len(w) - 1)),
            explanation=ex_step.equation().replace("\\n", "; "))
"""),
code("fragment", """
cl.Exercise("RGB example (5×5×3 input, two 3×3×3 filters, stride 2, padding 1): output shape H, W, C_out?",
            answer=(*cl.conv_output_size((5, 5), 3, stride=2, padding=1), len(W_rgb)),
            hint="o = ⌊(i + 2p − k)/s⌋ + 1 per axis; one feature map per filter.",
            explanation=cl.windows.formula_text(cl.windows.axis_layout(5, 3, stride=2, padding=1)) + " per axis, 2 filters")
"""),
code("fragment", """
cl.Exercise("RGB example: how many multiplications does one output value take?",
            answer=cl.conv2d_macs(3, 1, 3, output_size=1),
            hint="One per kernel weight: k × k × C_in.",
            explanation="3 × 3 per channel, 3 channels; the bias is an addition, not a multiplication.")
"""),
code("fragment", """
cl.Exercise("RGB example: shape of the im2col matrix (rows, columns)?",
            answer=cl.im2col(x_rgb, 3, stride=2, padding=1).shape,
            hint="Rows: values in one window (all channels). Columns: number of windows.",
            explanation="C_in·k·k = {} rows (one per weight of a filter), o_H·o_W = {} windows.".format(
                W_rgb[0].size, cl.conv_output_size(5, 3, stride=2, padding=1) ** 2))
"""),
md("slide", r"""
## Common mistakes

**1. "`groups=1` is the number of kernels."** A source article says so. `groups` is the number of
**groups** the input channels are split into; the number of kernels is `out_channels`. With
`groups=1` every kernel sees all input channels; with `groups=3` each sees one:
"""),
code("-", """
for g in (1, 3):
    layer = torch.nn.Conv2d(3, 6, kernel_size=3, groups=g)
    print(f"groups={g}: weight {tuple(layer.weight.shape)} -> {layer.weight.shape[0]} kernels, each over {layer.weight.shape[1]} input channel(s)")
    cl.compare(f"  parameters, groups={g}", cl.conv2d_params(3, 6, 3, groups=g), sum(p.numel() for p in layer.parameters()))
"""),
code("fragment", """
w_g = torch.randn(6, 1, 3, 3, dtype=torch.float64)
cl.compare("conv2d with groups=3", cl.conv2d(x_rgb, w_g.numpy(), groups=3), F.conv2d(torch.from_numpy(x_rgb), w_g, groups=3))
for f in (lambda: torch.nn.Conv2d(3, 6, kernel_size=3, groups=2),
          lambda: cl.conv2d(x_rgb, np.zeros((6, 1, 3, 3)), groups=2)):
    try:
        f()
    except ValueError as err:
        print(f"{type(err).__name__}: {err}")
"""),
md("subslide", r"""
**2. "A deep-learning convolution flips the kernel."** It does not: `F.conv2d` is cross-correlation
(above). A true convolution of the flipped kernel gives the same output as the layer:
"""),
code("-", """
cl.compare("convolve2d(x, flip(w)) vs F.conv2d(x, w)", cl.convolve2d(x[None, None], cl.flip_kernel(w)[None, None]), F.conv2d(xt, wt))
"""),
md("subslide", r"""
**3. "A 3×3 filter has 9 weights."** Only on a one-channel input. On RGB it has $3 \cdot 3 \cdot 3$,
and the bias is one number per filter, added once after the channel sums, not once per channel:
"""),
code("-", """
layer = torch.nn.Conv2d(3, 2, kernel_size=3)
cl.compare("weights per filter", cl.conv2d_params(3, 1, 3, bias=False), layer.weight[0].numel())
cl.compare("biases", cl.conv2d_params(3, 2, 3) - cl.conv2d_params(3, 2, 3, bias=False), layer.bias.numel())
"""),
md("subslide", r"""
**4. "`nn.Conv2d` includes the activation."** It does not: its output can be negative; ReLU is a
separate layer (`nn.ReLU`) or function.
"""),
code("-", """
raw = F.conv2d(xt, wt, bt)
print("negative values in the conv output:", int((raw < 0).sum()), "; after ReLU:", int((F.relu(raw) < 0).sum()))
cl.compare("negatives (convlib pre-activation)", int((first.pre_output < 0).sum()), int((raw < 0).sum()))
"""),
md("subslide", r"""
**Next:** [02 · Feature-map size, padding and pooling](02_feature_map_size.ipynb) computes the
output size for every stride, padding and kernel.
"""),
]
write(sys.argv[1], cells, title="01 How a convolution is computed")
