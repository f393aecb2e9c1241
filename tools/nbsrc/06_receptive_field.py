import sys; sys.path.insert(0, __import__("os").path.dirname(__file__))
from nbbuild import md, code, write

cells = [
md("slide", r"""
# 06 · Receptive field

Which input pixels can one unit of a deep layer see? This chapter computes that region, the
unit's **receptive field**, two ways, and checks both against PyTorch's autograd: the pixels
whose gradient is non-zero are the pixels the unit sees.

* top-down: from one top unit back to the input
* bottom-up: jump, size and start of every layer's field, and where each unit's field sits
* a stack builder: the field of any unit, drawn on the input, with its table
* the effective receptive field: most of the weight sits near the centre
* fields larger than the image; dilation and padding, which move the centre

Notation: layer $l$ reads map $l-1$ and writes map $l$ (map 0 is the input), with kernel $k_l$,
stride $s_l$, padding $p_l$, dilation $d_l$. In input pixels: $j_l$ the **jump** (distance between
neighbouring units of map $l$), $r_l$ the field **size**, $\mathit{start}_l$ the centre of the
first unit's field (pixel $x$ is centred at $x$).
"""),
code("-", """
import torch
from torch import nn

import convlib as cl
from convlib import Layer

cl.setup_notebook()
"""),
md("slide", r"""
## Top-down: from one unit back to the input

One unit of the top map $L$ is one pixel of that map: $RF_L = 1$. Layer $l$ computes each of
those $RF_l$ units from a $k_l$-wide window, and the windows of neighbouring units start $s_l$
apart, so together they read

$$RF_{l-1} = (RF_l - 1)\, s_l + k_l$$

units of map $l-1$. (Often written $RF_i = (RF_{i+1} - 1)\, s_i + k_i$ with the layer numbered
by the map it reads; starting from $RF_{L-1} = k_L$ is the same after one step.)
Worked example: a $7\times7$ stride-2 conv, a $3\times3$ stride-2 conv, a $3\times3$ conv.
"""),
code("-", """
kernels, strides = [7, 3, 3], [2, 2, 1]
print("\\n".join(cl.field_stacks.top_down_steps(kernels, strides)))
"""),
md("subslide", r"""
### Check with torch: where does the gradient reach?

Backpropagate from one output unit of the real PyTorch stack (random weights) and look at the
input pixels whose gradient is non-zero: their bounding box has exactly $RF_0$ rows and columns.
"""),
code("-", """
stem = nn.Sequential(nn.Conv2d(1, 1, 7, stride=2), nn.Conv2d(1, 1, 3, stride=2), nn.Conv2d(1, 1, 3))
x = torch.randn(1, 1, 41, 41, requires_grad=True)
stem(x)[0, 0, 2, 2].backward()
reached = cl.mask_bounds(x.grad[0, 0] != 0)   # (first, last) row and column
rf = cl.receptive_field_top_down(kernels, strides)
cl.compare("(RF_0, RF_0) vs rows, columns reached by torch's gradient", (rf, rf), cl.bounds_size(reached))
"""),
md("slide", r"""
## Bottom-up: jump, size and start

Going up instead, keep three numbers per layer, all in input pixels:

$$j_l = j_{l-1}\, s_l, \qquad r_l = r_{l-1} + (k_l - 1)\, d_l\, j_{l-1}, \qquad
\mathit{start}_l = \mathit{start}_{l-1} + \Big(\frac{(k_l - 1)\, d_l}{2} - p_l\Big)\, j_{l-1}$$

with $j_0 = r_0 = 1$, $\mathit{start}_0 = 0$. A step between neighbouring units of map $l-1$ is
$j_{l-1}$ input pixels; a kernel spans $(k_l - 1) d_l$ such steps (dilation enters through the
effective kernel $d_l(k_l-1)+1$). Padding only shifts where the first window starts.
Unit $u$ of map $l$ is centred at $\mathit{start}_l + u\, j_l$ and sees the pixels
$\mathit{start}_l + u\, j_l \pm (r_l - 1)/2$.

Worked example on a $32\times32$ input: two $3\times3$ convs (the second with stride 2), a
$2\times2$ max pool, a dilated $3\times3$ conv ($d = 2$, $p = 2$).
"""),
code("-", """
layers = [Layer(3, 1, 1, name="conv1"), Layer(3, 2, 1, name="conv2"),
          Layer(2, kind="pool", name="pool"), Layer(3, 1, 2, 2, name="conv3")]
table = cl.receptive_field(layers, 32)
table
"""),
code("-", """
print("\\n".join(cl.field_stacks.bottom_up_steps(layers, 32)))
model = cl.torch_stack(layers)
cl.compare("output size (last map)", table.output_size, model(torch.zeros(1, 1, 32, 32)).shape[-1])
"""),
md("subslide", r"""
### Every row against autograd

For each layer, take the centre unit of its map and backpropagate through the stack up to that
layer (`cl.field_state` calls `cl.empirical_receptive_field`: a copy of the stack with all weights
1, so no gradient cancels and max pooling passes gradient to its whole window). The analytic
field and the bounding box of the non-zero gradient must be the same pixels.
"""),
code("-", """
for n in range(1, len(layers) + 1):
    state = cl.field_state(layers[:n], 32)   # unit: the centre of map n
    cl.compare(f"{layers[n - 1].name}, unit {state.unit}: rows, cols", state.bounds,
               cl.mask_bounds(state.field.mask))
"""),
md("subslide", r"""
### The analytic field over the gradient mask

Unit $(2, 5)$ of the last map. Orange to red: input pixels with a non-zero gradient (darker: more
paths lead from that pixel to the unit). Dashed: the analytic field; it pokes into the padding
at the top (grey), where there are no pixels to mark.
"""),
code("-", """
state = cl.field_state(layers, 32, unit=(2, 5))
cl.compare("field on the image vs autograd", cl.clip_bounds(state.bounds, 32), cl.mask_bounds(state.field.mask))
cl.draw.draw_fields(state)
"""),
md("slide", r"""
## Build a stack

Choose the number of layers and, per layer, kernel $k$, stride $s$, dilation $d$ and an optional
$2\times2$ max pool after it; padding is $0$ or $\lfloor d(k-1)/2 \rfloor$ on every conv. The
unit sliders pick a unit of the last feature map (green, right). On the input (left): the
analytic field (dashed box, `+` its centre) over the pixels autograd reaches (orange/red).
Above the figure: the bottom-up table, the unit's field, and the bounding box torch found.
A stack PyTorch refuses (a map shrinks below the kernel) shows a message instead.

*Sliders need a live kernel; without one you see the stored picture.*
"""),
code("-", """
field = cl.widgets.receptive_field_explorer()
field
"""),
md("fragment", r"""
*Without a kernel:* the same stack builder as layers are added one by one (a self-contained animation that also plays in exported slides and on the static site).
"""),
code("-", """
cl.widgets.animate(field, "n_layers", None)
""", tags=["nbval-ignore-output"]),
md("slide", r"""
## The small CNN's field

The convolutional part of the small CNN of chapter 07 on a $28\times28$ input:
Conv(1→25, 3) BN ReLU MaxPool(2) Conv(25→50, 3) BN ReLU MaxPool(2). `receptive_field` reads the
`nn.Sequential` directly; BatchNorm and ReLU keep the geometry and add no row.
"""),
code("-", """
small_cnn = nn.Sequential(nn.Conv2d(1, 25, 3), nn.BatchNorm2d(25), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(25, 50, 3), nn.BatchNorm2d(50), nn.ReLU(), nn.MaxPool2d(2))
cnn_table = cl.receptive_field(small_cnn, 28)
cnn_table
"""),
code("-", """
cl.compare("last map size", cnn_table.output_size, small_cnn.eval()(torch.zeros(1, 1, 28, 28)).shape[-1])
centre = cl.field_state(small_cnn, 28)
cl.compare(f"field of unit {centre.unit}", centre.bounds, cl.mask_bounds(centre.field.mask))
"""),
md("subslide", r"""
Each unit of the final $5\times5$ map sees a $10\times10$ patch, and neighbouring patches start
4 pixels apart. The last unit's field ends before the image does: the floors of chapter 02
dropped the last rows and columns, which no output unit sees at all.
"""),
code("-", """
last = cl.field_state(small_cnn, 28, unit=(4, 4))
last_row = cl.field_bounds(cnn_table, 4)[1]
cl.compare("last input row any unit sees", last_row, cl.mask_bounds(last.field.mask)[0][1])
print("input rows (and columns) no unit sees:", list(range(last_row + 1, 28)))
"""),
md("slide", r"""
## The effective receptive field

Inside the field, pixels do not count equally. Near the centre many paths lead to the unit, near
the edge few (one path to each corner). With the weights of a randomly initialised deep stack
(10 conv layers with ReLU) the gradient magnitude, averaged over random inputs, piles up in the
middle: most of the weight sits in a small central box.
"""),
code("-", """
deep = nn.Sequential(*[m for l in range(10) for m in (nn.Conv2d(1 if l == 0 else 8, 8, 3, padding=1), nn.ReLU())])
erf = cl.effective_receptive_field(deep, 27, n_inputs=32)
paths = cl.field_state(deep, 27)
cl.compare("analytic field vs non-zero gradient", paths.bounds, cl.mask_bounds(erf.mask))
share = cl.central_share(erf.grad, paths.bounds)
print(f"central box: {share.area:.0%} of the field's area holds {share.mass:.0%} of the gradient")
"""),
code("-", """
cl.draw.draw_effective_field(erf, paths.bounds, paths.field, label="random init + ReLU (32 inputs)")
"""),
md("subslide", r"""
### The effective field grows like $\sqrt{n}$

With all weights 1, the number of paths from a pixel to the unit is a sum of $n$ independent
steps in $\{-1, 0, 1\}$ (one per $3\times3$ layer): its spread is $\sqrt{2n/3}$ pixels while the
field grows as $2n + 1$. Deep stacks see far, but look mostly near the centre
(Luo et al., 2016, *Understanding the effective receptive field*).
"""),
code("-", """
print("layers n   field size r   spread of path counts   sqrt(2n/3)")
for n in (2, 4, 8, 16):
    state = cl.field_state(cl.build_stack([3] * n, padding="half"), 40)   # a 40×40 input
    spread = cl.gradient_spread(state.field.grad)[0]
    assert abs(spread - (2 * n / 3) ** 0.5) < 1e-5
    print(f"{n:8d}   {state.table.size:12d}   {spread:21.2f}   {(2 * n / 3) ** 0.5:10.2f}")
"""),
md("slide", r"""
## A field larger than the image

Six $3\times3$ convs with stride 2 and padding 1 on a $32\times32$ input: the field of the single
output unit is **127** pixels wide, far more than the 32 the image has. That is fine and normal:
the part outside the image is padding. The table reports the whole field, not the part
that fits; autograd marks every pixel of the image.
"""),
code("-", """
big = cl.field_state(cl.build_stack([3] * 6, [2] * 6, padding="half"), 32)
print(f"field size {big.table.size} on a {big.field.mask.shape[0]}-pixel image, rows {big.bounds[0]}")
cl.compare("pixels with a non-zero gradient", int(big.field.mask.sum()), big.field.mask.size)
cl.draw.draw_fields(big)
"""),
md("slide", r"""
## Padding and dilation move the centre

$\mathit{start}_l$ gains $\big((k_l-1)d_l/2 - p_l\big) j_{l-1}$ per layer: padding moves the
centre of the first unit's field back by $p_l j_{l-1}$; without padding, a wider (dilated)
kernel moves it forward. The size $r_l$ has no $p$ in it. Three $3\times3$ convs on $20\times20$,
unit $(6, 6)$, with padding 0 and 2:
"""),
code("-", """
padded = [cl.field_state([Layer(3, 1, p)] * 3, 20, unit=(6, 6)) for p in (0, 2)]
for p, state in zip((0, 2), padded):
    cl.compare(f"p={p}: start {state.table.start}, size {state.table.size}, rows", state.bounds[0],
               cl.mask_bounds(state.field.mask)[0])
cl.draw.draw_fields(*padded, titles=["padding 0", "padding 2"])
"""),
md("subslide", r"""
One $3\times3$ conv without padding, dilation 1, 2, 3: the effective kernel $d(k-1)+1$ is the
field size, and the first field's centre sits at $(k-1)d/2$. An even kernel (last row) puts the
centre between two pixels: the start ends in .5.
"""),
code("-", """
for k, d in [(3, 1), (3, 2), (3, 3), (2, 1)]:
    state = cl.field_state([Layer(k, dilation=d)], 9, unit=(0, 0))
    (first, last), _ = cl.mask_bounds(state.field.mask)
    cl.compare(f"k={k}, d={d}: k_eff = {cl.effective_kernel_size(k, d)}, field size", state.table.size, last - first + 1)
    print(f"      start {state.table.start}: the first field spans pixels {first}…{last}")
"""),
md("slide", "## Exercises"),
code("-", """
cl.Exercise("Three 3×3 convolutions with strides 2, 2, 1 (no dilation): receptive field on the input?",
            answer=cl.receptive_field_top_down([3, 3, 3], [2, 2, 1]),
            hint="Top-down: start from RF = 1 at the top, RF ← (RF − 1)·s + k, top layer first.",
            explanation="; ".join(cl.field_stacks.top_down_steps([3, 3, 3], [2, 2, 1])))
"""),
code("fragment", """
jump_stack = [Layer(3, 2, 1), Layer(2, kind="pool"), Layer(3, 1, 1)]
cl.Exercise("Conv 3×3 stride 2, max pool 2×2, conv 3×3 stride 1: how many input pixels apart are "
            "neighbouring units of the last map (the jump)?",
            answer=cl.receptive_field(jump_stack).jump,
            hint="j_l = j_{l−1}·s_l; a pool's stride is its kernel size.",
            explanation=" | ".join(cl.field_stacks.bottom_up_steps(jump_stack)))
"""),
code("fragment", """
pair = [Layer(3, 2, 1), Layer(3, 1, 1)]
cl.Exercise("Conv 3×3 stride 2 padding 1, then conv 3×3 padding 1. Which input pixels does unit 2 "
            "of the last map see along one axis (first and last)?",
            answer=cl.field_bounds(cl.receptive_field(pair), 2),
            hint="Centre = start + u·j; the field is centre ± (r − 1)/2.",
            explanation=" | ".join(cl.field_stacks.bottom_up_steps(pair)))
"""),
code("fragment", """
dilated = [Layer(3, 1, d, d) for d in (1, 2, 4)]
cl.Exercise("Three 3×3 convs with dilations 1, 2, 4 and padding p = d (sizes kept). Field size?",
            answer=cl.receptive_field(dilated).size,
            hint="r grows by (k − 1)·d·j per layer; padding does not change it.",
            explanation=" | ".join(cl.field_stacks.bottom_up_steps(dilated)))
"""),
md("slide", r"""
## Common mistakes

**1. "Ignore padding" read as "padding changes the size".** A source says to ignore padding when
computing the field; it is often read as "padding shrinks or grows the field". The size formula
has no $p$ in it. Padding moves the field (the start), not its size. Torch's gradient agrees: the
same interior unit of three $3\times3$ convs with $p = 0, 1, 2$:
"""),
code("-", """
for p in (0, 1, 2):
    state = cl.field_state([Layer(3, 1, p)] * 3, 20, unit=(6, 6))
    (first, last), _ = cl.mask_bounds(state.field.mask)
    cl.compare(f"p={p}: field size", state.table.size, last - first + 1)
    print(f"      start {state.table.start}: unit (6, 6) sees rows {first}…{last}")
"""),
md("subslide", r"""
**2. "Two stacked 3×3 convs are no better than one 5×5."** They see the same $5\times5$ field, with
fewer parameters ($2 \cdot 9 C^2$ against $25 C^2$ weights) and an extra nonlinearity in between,
so the pair can compute things one linear $5\times5$ layer cannot.
"""),
code("-", """
C = 64
two = nn.Sequential(nn.Conv2d(C, C, 3), nn.ReLU(), nn.Conv2d(C, C, 3))
one = nn.Conv2d(C, C, 5)
for name, net in [("two 3×3", two), ("one 5×5", one)]:
    state = cl.field_state(net, 9)
    cl.compare(f"{name}: field (rows, cols)", (state.table.size,) * 2, cl.bounds_size(cl.mask_bounds(state.field.mask)))
cl.compare("parameters, two 3×3", 2 * cl.conv2d_params(C, C, 3), sum(p.numel() for p in two.parameters()))
cl.compare("parameters, one 5×5", cl.conv2d_params(C, C, 5), sum(p.numel() for p in one.parameters()))
"""),
md("subslide", r"""
**3. "Pooling layers don't count."** A pool has a kernel and a stride like a conv: it widens the
field and multiplies the jump of every layer above it. Without its two pools the small CNN's
field would be half as wide:
"""),
code("-", """
no_pools = nn.Sequential(*[m for m in small_cnn if not isinstance(m, nn.MaxPool2d)])
state = cl.field_state(no_pools, 28)
cl.compare("without pools: size", state.table.size, cl.bounds_size(cl.mask_bounds(state.field.mask))[0])
print("with pools:", cnn_table.size, "  without:", state.table.size)
"""),
md("subslide", r"""
**4. "A field larger than the image is an error."** It is not (the section above): the unit sees
the whole image and a lot of padding. Nor does the whole field matter equally: the effective
receptive field is concentrated near the centre.

**Next:** [07 · Counting parameters and operations](07_counting.ipynb) counts what each layer costs.
"""),
]
write(sys.argv[1], cells, title="06 Receptive field")
