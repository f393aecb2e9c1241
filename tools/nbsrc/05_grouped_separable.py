import sys; sys.path.insert(0, __import__("os").path.dirname(__file__))
from nbbuild import md, code, write

cells = [
md("slide", r"""
# 05 · Grouped, depthwise-separable and other cheap convolutions

A standard convolution connects every output channel to every input channel through a
$k\times k$ kernel. This chapter removes connections and checks, against PyTorch, what each
trick saves:

* **grouped** convolution: $g$ groups, parameters and MACs $1/g$
* **channel shuffle**: a fixed permutation that lets information cross the groups
* **pointwise group** convolution and the cost of ResNet, ResNeXt and ShuffleNet blocks
* **spatially separable** kernels (Sobel), and a kernel that does not separate
* **depthwise separable** convolution (MobileNet): cost ratio $1/C_{out} + 1/k^2$
* the **1×1** convolution: channel mixing, and fewer channels before an expensive conv

Notation: channels $C_{in}$, $C_{out}$, groups $g$, kernel $k$, output size
$H_{out}\times W_{out}$; in a bottleneck block $C$ outer and $m$ inner channels on an $H\times W$ map.
A MAC is one multiply-accumulate; [chapter 07](07_counting.ipynb) counts them in detail.
"""),
code("-", """
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import convlib as cl

cl.setup_notebook()
"""),
md("slide", r"""
## Grouped convolution

Split the $C_{in}$ input channels into $g$ groups of $C_{in}/g$. Group $j$ gets its own
$C_{out}/g$ filters, each $k\times k\times C_{in}/g$; the $g$ results are concatenated. The weight
tensor has shape $(C_{out},\ C_{in}/g,\ k,\ k)$. Check: a grouped conv is $g$ separate convs, side by side.
"""),
code("-", """
x = torch.randn(1, 8, 6, 6)
conv = nn.Conv2d(8, 6, 3, groups=2, bias=False)
print("weight shape (C_out, C_in/g, k, k):", tuple(conv.weight.shape))
halves = [F.conv2d(xj, wj) for xj, wj in zip(x.chunk(2, dim=1), conv.weight.chunk(2, dim=0))]
assert torch.allclose(torch.cat(halves, dim=1), conv(x), atol=1e-6)
print("groups=2 == two separate convolutions, concatenated: True")
cl.compare("cl.conv2d(groups=2), numpy", cl.conv2d(x.numpy(), conv.weight.detach().numpy(), groups=2), conv(x))
"""),
md("subslide", r"""
### What it saves: $1/g$

$$\text{params} = k_h k_w \tfrac{C_{in}}{g} C_{out} + C_{out} \qquad
\text{MACs} = k_h k_w \tfrac{C_{in}}{g} C_{out} H_{out} W_{out}$$

Each filter reads $1/g$ of the channels, so weights and MACs are $1/g$ of a standard conv's (the
$C_{out}$ biases are not divided). The MACs are checked with PyTorch's own counter
(`FlopCounterMode`, 2 FLOPs per MAC; `cl.count_flops` runs it). With $g = C_{in}$ the conv is *depthwise*.
"""),
code("-", """
print(" g   params (= numel)        MACs   MACs / standard")
for g in (1, 2, 4, 8, 16):
    cost = cl.grouped_conv_cost(16, 16, 3, groups=g, output_size=8)
    conv = nn.Conv2d(16, 16, 3, groups=g)
    assert cost.params == sum(p.numel() for p in conv.parameters())
    assert 2 * cost.macs == cl.count_flops(conv, (16, 10, 10)).total
    print(f"{g:2d}   {cost.params:16,d}  {cost.macs:10,d}   1/{g:<2d} = {cost.macs_ratio:.4f}")
"""),
md("slide", r"""
## Explore: which channels does each filter see?

Left: input channels and filters, coloured by group, a line for every channel a filter reads.
Right: the same as a $C_{out}\times C_{in}$ matrix, the block-diagonal part of a standard weight
tensor that the grouped conv keeps. A $g$ that does not divide both channel counts shows the short
message PyTorch gives.

*Sliders need a live kernel; without one you see the stored picture.*
"""),
code("-", """
grouped = cl.widgets.groups_explorer(in_channels=12, out_channels=8, groups=4)
grouped
"""),
md("fragment", r"""
*Without a kernel:* the same explorer with g = 1, 2, 4 (the values that divide both channel counts) (a self-contained animation that also plays in exported slides and on the static site).
"""),
code("-", """
cl.widgets.animate(grouped, "groups", [1, 2, 4])
""", tags=["nbval-ignore-output"]),
md("subslide", r"""
### $g$ must divide $C_{in}$ and $C_{out}$

Otherwise the channels cannot be split evenly. PyTorch refuses the layer, and so does convlib:
"""),
code("-", """
for c_in, c_out, g in [(8, 8, 3), (6, 4, 4), (8, 6, 4)]:
    try:
        nn.Conv2d(c_in, c_out, 3, groups=g)
    except ValueError as err:
        print(f"torch   Conv2d({c_in}, {c_out}, 3, groups={g}): {err}")
    try:
        cl.grouped_conv_cost(c_in, c_out, 3, groups=g)
    except ValueError as err:
        print(f"convlib {' ' * 25}{err}")
"""),
md("slide", r"""
## Channel shuffle

Stack two grouped convs and each output still sees only its own group: the groups never talk.
ShuffleNet inserts a **channel shuffle**: write the $C$ channels as a $g\times C/g$ table row by
row, transpose it, read it row by row. Reshape, transpose, reshape: a fixed permutation.
"""),
code("-", """
c, g = 12, 3
perm = cl.shuffle_permutation(c, g)
print("output channel j comes from input channel perm[j]:", perm.tolist())
x = torch.randn(2, c, 4, 4)
by_hand = x.view(2, g, c // g, 4, 4).transpose(1, 2).reshape(2, c, 4, 4)
assert torch.equal(by_hand, nn.ChannelShuffle(g)(x))
cl.compare("cl.channel_shuffle (numpy)", cl.channel_shuffle(x.numpy(), g), nn.ChannelShuffle(g)(x))
cl.compare("x[:, perm]", x.numpy()[:, perm], nn.ChannelShuffle(g)(x))
"""),
code("-", """
cl.draw.draw_shuffle(perm, g).figure
"""),
md("subslide", r"""
### Why shuffle: who depends on whom

Two grouped $1\times1$ convs ($C = 12$, $g = 3$), without and with a shuffle between them. A cell is
filled when the output channel (row) depends on the input channel (column). PyTorch's answer: set all
weights to 1, feed one input channel at a time, see which outputs are non-zero.
"""),
code("-", """
def reach(*layers):
    net = nn.Sequential(*layers)
    for p in net.parameters():
        nn.init.ones_(p)
    with torch.no_grad():
        return (net(torch.eye(c).view(c, c, 1, 1))[:, :, 0, 0] != 0).T.numpy().astype(int)
gconv = lambda: nn.Conv2d(c, c, 1, groups=g, bias=False)
without = cl.stacked_dependency(c, [g, g]).astype(int)
shuffled = cl.stacked_dependency(c, [g, g], shuffle=True).astype(int)
cl.compare("no shuffle: dependency matrix", without, reach(gconv(), gconv()))
cl.compare("with shuffle", shuffled, reach(gconv(), nn.ChannelShuffle(g), gconv()))
"""),
code("-", """
cl.draw.draw_dependency({"grouped 1×1, grouped 1×1": without, "… with a shuffle between": shuffled})
"""),
md("slide", r"""
## Pointwise group convolution and bottleneck blocks

A bottleneck block squeezes $C$ channels to $m$ with a $1\times1$ conv, applies a $3\times3$ conv, and
expands back with a $1\times1$ conv. MACs on an $H\times W$ map (stride 1):

| block | $1\times1$ in | $3\times3$ | $1\times1$ out | MACs |
|---|---|---|---|---|
| ResNet | $C\to m$ | $m\to m$ | $m\to C$ | $HW(2Cm + 9m^2)$ |
| ResNeXt | $C\to m$ | $g$ groups | $m\to C$ | $HW(2Cm + 9m^2/g)$ |
| ShuffleNet | $g$ groups, then shuffle | depthwise | $g$ groups | $HW(2Cm/g + 9m)$ |

Once the $3\times3$ is cheap, the $1\times1$ convs dominate; ShuffleNet groups them too
(**pointwise group convolution**) and needs the shuffle so the groups can mix. `cl.bottleneck_block`
builds each block's residual branch in torch:
"""),
code("-", """
C, m, size = 240, 60, 28
for kind in cl.BOTTLENECKS:
    block = cl.bottleneck_block(kind, C, m, groups=3)
    flops = cl.count_flops(block, (C, size, size)).total
    cl.compare(f"{kind:10s} g=3, MACs", cl.bottleneck_macs(kind, C, m, groups=3, size=size), flops // 2)
"""),
md("subslide", r"""
The ShuffleNet branch layer by layer: the grouped $1\times1$ convs cost $Cm/g\cdot HW$ each, the
depthwise $3\times3$ only $9m\cdot HW$; shuffle, BatchNorm and ReLU cost no MACs.
"""),
code("-", """
table = cl.summary(cl.bottleneck_block("shufflenet", C, m, groups=3), (C, size, size))
assert table.total_macs == cl.bottleneck_macs("shufflenet", C, m, groups=3, size=size)
table
"""),
md("subslide", r"""
### Cost against $g$

Lines: the formulas; circles: `cl.summary` of the torch block built with that $g$ (each also
checked against `FlopCounterMode`). ResNet has no groups; ResNeXt only groups the $3\times3$, so its
$2Cm$ term stays; ShuffleNet divides the $1\times1$ term by $g$.
"""),
code("-", """
gs = [1, 2, 3, 4, 6, 12]
formula = {k: [cl.bottleneck_macs(k, C, m, g, size) for g in gs] for k in cl.BOTTLENECKS}
measured = {}
for k in cl.BOTTLENECKS:
    blocks = [cl.bottleneck_block(k, C, m, g) for g in gs]
    measured[k] = [cl.summary(b, (C, size, size)).total_macs for b in blocks]
    assert [cl.count_flops(b, (C, size, size)).total for b in blocks] == [2 * n for n in measured[k]]
assert measured == formula
cl.draw.draw_bottleneck_costs(gs, formula, measured, title=f"C = {C}, m = {m}, {size}×{size}")
"""),
md("slide", r"""
## Spatially separable convolution

The Sobel kernel is a column times a row, $K = c\,r^\top$. Convolving with $c$ ($3\times1$), then with
$r$ ($1\times3$), gives exactly the $3\times3$ result, for $k_h + k_w$ instead of $k_h k_w$
multiplications per output value.
"""),
code("-", """
sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
column, row = cl.separate_kernel(sobel_x)
assert np.array_equal(np.outer(column, row), sobel_x)
cl.draw.draw_outer_product(column, row, sobel_x, title="Sobel x = column × row")
"""),
code("-", """
x = np.random.randn(1, 1, 8, 8)
two_steps = cl.conv2d(cl.conv2d(x, column.reshape(1, 1, 3, 1)), row.reshape(1, 1, 1, 3))
full = F.conv2d(torch.tensor(x), torch.tensor(sobel_x, dtype=torch.float64).view(1, 1, 3, 3))
cl.compare("3×1 then 1×3 (numpy) vs 3×3 (torch)", two_steps, full)
sep = nn.Sequential(nn.Conv2d(1, 1, (3, 1)), nn.Conv2d(1, 1, (1, 3)))
macs_sep = cl.conv2d_macs(1, 1, (3, 1), (30, 32)) + cl.conv2d_macs(1, 1, (1, 3), (30, 30))
cl.compare("MACs, 32×32 input, 3×1 then 1×3", macs_sep, cl.count_flops(sep, (1, 32, 32)).total // 2)
cl.compare("MACs, 32×32 input, 3×3", cl.conv2d_macs(1, 1, 3, 30), cl.count_flops(nn.Conv2d(1, 1, 3), (1, 32, 32)).total // 2)
"""),
md("subslide", r"""
### Not every kernel separates: the rank test

$K = c\,r^\top$ exactly when $K$ has rank 1: one non-zero singular value. The Laplace kernel has two,
so no column and row multiply to it (it is a *sum* of two separable kernels).
"""),
code("-", """
laplace = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]])
for name, k in [("Sobel x", sobel_x), ("Laplace", laplace)]:
    torch_rank = int(torch.linalg.matrix_rank(torch.tensor(k, dtype=torch.float64)))
    cl.compare(f"{name:8s} rank", cl.kernel_rank(k), torch_rank)
    print("         singular values:", np.round(np.linalg.svd(k, compute_uv=False), 3))
try:
    cl.separate_kernel(laplace)
except ValueError as err:
    print("ValueError:", err)
"""),
md("slide", r"""
## Depthwise separable convolution (MobileNet)

Replace one $k\times k$ conv $C_{in}\to C_{out}$ by

1. a **depthwise** $k\times k$ conv: `groups = C_in`, one filter per channel, $k^2 C_{in} H_{out}W_{out}$ MACs;
2. a **pointwise** $1\times1$ conv $C_{in}\to C_{out}$: $C_{in} C_{out} H_{out}W_{out}$ MACs.

Against the standard $k^2 C_{in} C_{out} H_{out} W_{out}$:
$$\frac{k^2 C_{in} + C_{in} C_{out}}{k^2 C_{in} C_{out}} = \frac{1}{C_{out}} + \frac{1}{k^2}$$
"""),
code("-", """
cost = cl.depthwise_separable_cost(32, 64, 3, output_size=56)
print(cl.separable_cost_text(cost))
standard, separable = nn.Conv2d(32, 64, 3, padding=1), cl.depthwise_separable_block(32, 64, 3)
cl.compare("standard MACs", cost.standard_macs, cl.count_flops(standard, (32, 56, 56)).total // 2)
cl.compare("separable MACs", cost.separable_macs, cl.count_flops(separable, (32, 56, 56)).total // 2)
cl.compare("standard params", cost.standard_params, sum(p.numel() for p in standard.parameters()))
cl.compare("separable params", cost.separable_params, sum(p.numel() for p in separable.parameters()))
"""),
code("-", """
table = cl.summary(separable, (32, 56, 56))
assert (table.total_params, table.total_macs) == (cost.separable_params, cost.separable_macs)
table
"""),
md("subslide", r"""
### A standard conv with a constrained kernel

Without biases, depthwise then pointwise *is* a standard conv whose kernel for output $o$ and input
channel $c$ is $P_{oc}\,D_c$: every $k\times k$ slice is a multiple of one per-channel kernel. It
can express fewer functions than a standard conv; that is the price of the saving.
"""),
code("-", """
block = cl.depthwise_separable_block(4, 6, 3, bias=False)
D, P = block[0].weight, block[1].weight             # (4, 1, 3, 3) and (6, 4, 1, 1)
W = P * D.transpose(0, 1)                        # (6, 4, 3, 3): W[o, c] = P[o, c] · D[c]
x = torch.randn(1, 4, 7, 7)
assert torch.allclose(block(x), F.conv2d(x, W, padding=1), atol=1e-5)
print("depthwise + pointwise == one conv with kernel P[o, c]·D[c]:", tuple(W.shape))
"""),
md("slide", r"""
## Explore: standard against depthwise separable

Sliders for $C_{in}$, $C_{out}$, $k$ and the output size. Left: parameters and MACs (the
depthwise part is tiny). Right: the ratio $1/C_{out} + 1/k^2$; it approaches $1/k^2$ for many
output channels and exceeds 1 for a $1\times1$ kernel, where "separable" only adds a layer.
"""),
code("-", """
cl.widgets.separable_explorer(in_channels=32, out_channels=64, kernel_size=3, output_size=56)
"""),
md("subslide", r"""
For a $3\times3$ kernel and the channel counts of real networks the ratio is close to $1/9$:
about 8 to 9 times fewer MACs. (Built on torch's `meta` device: shapes and counts, no memory.)
"""),
code("-", """
print("C_out   ratio (counts)   1/C_out + 1/k²   times cheaper")
for c_out in (32, 64, 128, 256, 512, 1024):
    cost = cl.depthwise_separable_cost(c_out, c_out, 3, output_size=14)
    with torch.device("meta"):
        std, sep = nn.Conv2d(c_out, c_out, 3, padding=1), cl.depthwise_separable_block(c_out, c_out, 3)
    ratio = cl.count_flops(sep, (c_out, 14, 14)).total / cl.count_flops(std, (c_out, 14, 14)).total
    assert abs(ratio - cost.macs_ratio) < 1e-12 and abs(ratio - cost.formula_ratio) < 1e-12
    print(f"{c_out:5d}   {cost.macs_ratio:14.4f}   {cost.formula_ratio:14.4f}   {1 / cost.macs_ratio:13.2f}")
"""),
md("slide", r"""
## The 1×1 convolution

A $1\times1$ conv never looks at neighbours: at every pixel it multiplies the $C_{in}$ channel values
by a $C_{out}\times C_{in}$ matrix. It **mixes channels**, which is why it follows the depthwise conv.
"""),
code("-", """
x, conv = torch.randn(1, 8, 5, 5), nn.Conv2d(8, 3, 1, bias=False)
M = conv.weight[:, :, 0, 0].detach().numpy()            # (C_out, C_in)
cl.compare("matrix product at every pixel (numpy)", np.einsum("oc,nchw->nohw", M, x.numpy()), conv(x))
"""),
md("subslide", r"""
### Fewer channels before an expensive conv

GoogLeNet's trick: a $5\times5$ conv from 192 to 32 channels on a $28\times28$ map, directly or after
a $1\times1$ conv that first reduces 192 channels to 16.
"""),
code("-", """
direct = nn.Conv2d(192, 32, 5, padding=2)
reduced = nn.Sequential(nn.Conv2d(192, 16, 1), nn.Conv2d(16, 32, 5, padding=2))
macs_direct = cl.conv2d_macs(192, 32, 5, 28)
macs_reduced = cl.conv2d_macs(192, 16, 1, 28) + cl.conv2d_macs(16, 32, 5, 28)
cl.compare("direct 5×5 MACs", macs_direct, cl.count_flops(direct, (192, 28, 28)).total // 2)
cl.compare("1×1 to 16, then 5×5 MACs", macs_reduced, cl.count_flops(reduced, (192, 28, 28)).total // 2)
print(f"the 1×1 reduction saves a factor {macs_direct / macs_reduced:.1f}")
"""),
md("slide", "## Exercises"),
code("-", """
cl.Exercise("Parameters of nn.Conv2d(64, 128, kernel_size=3, groups=4), with bias?",
            answer=cl.conv2d_params(64, 128, 3, groups=4),
            hint="k·k·(C_in/g)·C_out + C_out",
            explanation=cl.grouped_cost_text(cl.grouped_conv_cost(64, 128, 3, groups=4)).splitlines()[0])
"""),
code("fragment", """
perm = cl.shuffle_permutation(12, 3)
cl.Exercise("Channel shuffle with 12 channels and g = 3: which input channel lands at output position 4?",
            answer=int(perm[4]),
            hint="Write 0..11 as a 3×4 table row by row, read it column by column.",
            explanation=f"The new order is {perm.tolist()}.")
"""),
code("fragment", """
cl.Exercise("Depthwise separable 3×3 conv with C_out = 128: its MACs as a fraction of a standard conv's?"
            " (4 decimals)",
            answer=round(cl.separable_macs_ratio(128, 3), 4),
            hint="1/C_out + 1/k²",
            explanation=cl.separable_cost_text(cl.depthwise_separable_cost(128, 128, 3)).splitlines()[-1])
"""),
code("fragment", """
cl.Exercise("Parameters of the depthwise conv nn.Conv2d(32, 32, 3, groups=32), with bias?",
            answer=cl.conv2d_params(32, 32, 3, groups=32),
            hint="One 3×3 filter per channel, and one bias per filter.",
            explanation=cl.grouped_cost_text(cl.grouped_conv_cost(32, 32, 3, groups=32)).splitlines()[0])
"""),
code("fragment", """
cl.Exercise("MACs of a ShuffleNet bottleneck branch: C = 240, m = 60, g = 3, on a 28×28 map?",
            answer=cl.bottleneck_macs("shufflenet", 240, 60, groups=3, size=28),
            hint="HW(2Cm/g + 9m)",
            explanation=f"28·28·(2·240·60/3 + 9·60) = {cl.bottleneck_macs('shufflenet', 240, 60, 3, 28):,}")
"""),
md("slide", r"""
## Common mistakes

**1. "The depthwise conv has $k^2 C_{in} + 1$ parameters."** A source article adds one bias. A
depthwise conv has $C_{in}$ filters, each with its own bias: $+C_{in}$.
"""),
code("-", """
c_in, k = 32, 3
dw = nn.Conv2d(c_in, c_in, k, groups=c_in)
cl.compare("depthwise params", cl.conv2d_params(c_in, c_in, k, groups=c_in), sum(p.numel() for p in dw.parameters()))
print(f"source k²·C_in + 1 = {k * k * c_in + 1}; the bias has shape {tuple(dw.bias.shape)}: one per channel")
"""),
md("subslide", r"""
**2. Cost computed with the input size.** The source multiplies by the input $H, W$. The rule uses
the **output** size: at stride 2 (MobileNet's downsampling layers) that is 4 times fewer positions.
"""),
code("-", """
c_in, c_out, i = 32, 64, 112
o = cl.conv_output_size(i, 3, stride=2, padding=1)
block = cl.depthwise_separable_block(c_in, c_out, 3, stride=2)
ours = cl.depthwise_separable_cost(c_in, c_out, 3, output_size=o).separable_macs
cl.compare(f"MACs, {i}×{i} -> {o}×{o}", ours, cl.count_flops(block, (c_in, i, i)).total // 2)
wrong = cl.depthwise_separable_cost(c_in, c_out, 3, output_size=i).separable_macs
print(f"with the input size: {wrong:,}, {wrong / ours:.0f}× too many")
"""),
md("subslide", r"""
**3. "Channel shuffle mixes the channels randomly."** It has no parameters and no randomness: the same
permutation under any seed, and shuffling again with $C/g$ groups undoes it.
"""),
code("-", """
x = torch.arange(12.0).view(1, 12, 1, 1)
orders = []
for seed in (0, 1, 2):
    torch.manual_seed(seed)
    orders.append(nn.ChannelShuffle(3)(x).flatten().long().tolist())
assert orders[0] == orders[1] == orders[2] == cl.shuffle_permutation(12, 3).tolist()
print("same order for seeds 0, 1, 2:", orders[0], "; parameters:", sum(p.numel() for p in nn.ChannelShuffle(3).parameters()))
twice = nn.ChannelShuffle(4)(nn.ChannelShuffle(3)(x))
assert torch.equal(twice, x)
print("shuffle with g = 3, then with g = 12/3 = 4:", twice.flatten().long().tolist())
"""),
md("subslide", r"""
**4. "Any number of groups works."** $g$ must divide both $C_{in}$ and $C_{out}$ (PyTorch's refusal is
shown above, and in the explorer).

**5. "Fewer MACs means proportionally faster."** MACs count arithmetic, not time: depthwise and grouped
convs move as much data as they compute on, so their speed-up on real hardware is usually smaller
than $g$ or $1/(1/C_{out} + 1/k^2)$. Measure before you rely on it.

**Next:** [06 · Receptive field](06_receptive_field.ipynb): how far each unit sees.
"""),
]
write(sys.argv[1], cells, title="05 Grouped, depthwise-separable and other cheap convolutions")
