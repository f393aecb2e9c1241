import sys; sys.path.insert(0, __import__("os").path.dirname(__file__))
from nbbuild import md, code, write

cells = [
md("slide", r"""
# 07 · Counting parameters and operations

How big is a model, and how much arithmetic does one forward pass take? This chapter gives the
rule for each layer, checks every count against PyTorch, and reconciles the tools that count.

* **parameters**: the formula per layer, checked against `numel()`; buffers are not parameters
* **MACs** (multiply-accumulates) and **FLOPs**, and the worked example the source gets wrong
* PyTorch's LSTM has more parameters than Keras's
* a per-layer table for a small CNN, and what `torch.utils.flop_counter.FlopCounterMode` reports

Notation: kernel $k_h\times k_w$, channels $C_{in}$, $C_{out}$, groups $g$, output size
$H_{out}\times W_{out}$; for Linear `in`, `out`; for recurrent layers input size `in`, hidden size $h$.
"""),
code("-", """
from math import prod

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

import convlib as cl

cl.setup_notebook()
"""),
md("slide", r"""
## Parameters: what `numel()` counts

A model's parameter count is `sum(p.numel() for p in model.parameters())`. Per layer:

| layer | parameters |
|---|---|
| `Conv2d` | $k_h k_w (C_{in}/g)\, C_{out} + C_{out}$ (the bias only with `bias=True`) |
| `ConvTranspose2d` | $k_h k_w\, C_{in} (C_{out}/g) + C_{out}$ |
| `Linear` (Keras `Dense`) | $\text{in}\cdot\text{out} + \text{out}$ |
| `Embedding` | $\text{num}\cdot\text{dim}$ (a lookup table, no bias) |
| `BatchNorm2d` | $2C$ trainable ($\gamma, \beta$), plus $2C$ running statistics that are *buffers* |
| pooling, ReLU, Flatten | none |
"""),
code("-", """
layers = {"Conv2d(3, 10, 3)": (nn.Conv2d(3, 10, 3), cl.conv2d_params(3, 10, 3)),
          "Conv2d(16, 32, (3, 5), groups=4)": (nn.Conv2d(16, 32, (3, 5), groups=4),
                                               cl.conv2d_params(16, 32, (3, 5), groups=4)),
          "Conv2d(16, 32, 3, bias=False)": (nn.Conv2d(16, 32, 3, bias=False),
                                            cl.conv2d_params(16, 32, 3, bias=False)),
          "ConvTranspose2d(16, 8, 4, groups=2)": (nn.ConvTranspose2d(16, 8, 4, groups=2),
                                                  cl.conv_transpose2d_params(16, 8, 4, groups=2)),
          "Linear(1250, 1024)": (nn.Linear(1250, 1024), cl.linear_params(1250, 1024)),
          "Embedding(10000, 128)": (nn.Embedding(10000, 128), cl.embedding_params(10000, 128)),
          "BatchNorm2d(25)": (nn.BatchNorm2d(25), cl.batchnorm_params(25).trainable),
          "MaxPool2d(2)": (nn.MaxPool2d(2), cl.summary(nn.MaxPool2d(2), (1, 4, 4)).total_params),
          "ReLU()": (nn.ReLU(), cl.summary(nn.ReLU(), (1, 4, 4)).total_params)}
for name, (layer, ours) in layers.items():
    cl.compare(f"{name:36s} params", ours, sum(p.numel() for p in layer.parameters()))
"""),
md("subslide", r"""
### BatchNorm: parameters and buffers

BatchNorm learns a scale $\gamma$ and a shift $\beta$ per channel ($2C$ parameters). Its running
mean and variance ($2C$ more numbers) are saved with the model but are not trained: they are
buffers, so `parameters()` does not list them (nor does a parameter count).
"""),
code("-", """
bn = nn.BatchNorm2d(25)
counts = cl.batchnorm_params(25)
cl.compare("BatchNorm2d(25) trainable", counts.trainable, sum(p.numel() for p in bn.parameters()))
cl.compare("running mean + var", counts.buffers, bn.running_mean.numel() + bn.running_var.numel())
print("parameters:", [n for n, _ in bn.named_parameters()], " buffers:", [n for n, _ in bn.named_buffers()])
"""),
md("slide", r"""
## Operations: multiply-accumulates (MACs)

Every output value of a conv is a dot product of length $k_h k_w C_{in}/g$, so one forward pass
on one sample takes

$$\text{MACs} = k_h k_w \tfrac{C_{in}}{g}\, C_{out}\, H_{out} W_{out}$$

counted on the **output** size. The source's worked example: a $100\times100\times3$ input, ten
$3\times3$ filters, a $50\times50\times10$ output. Which stride and padding give 50?
"""),
code("-", """
for s, p in [(1, 0), (1, 1), (2, 0), (2, 1)]:
    o = cl.conv_output_size(100, 3, stride=s, padding=p)
    o_torch = nn.Conv2d(3, 10, 3, stride=s, padding=p)(torch.zeros(1, 3, 100, 100)).shape[-1]
    cl.compare(f"stride {s}, padding {p}: output size", o, o_torch)
"""),
md("subslide", r"""
### One output value: 27 multiplications, 27 additions

With stride 2 and padding 1, output value $(0, 0)$ of filter 0 multiplies its $3\times3\times3$ window
elementwise with the filter: 27 products. Adding them up takes 26 additions, and the bias one more: 27.
"""),
code("-", """
conv = nn.Conv2d(3, 10, 3, stride=2, padding=1)
x = torch.randn(1, 3, 100, 100)
out = conv(x)
window = F.pad(x, (1, 1, 1, 1))[0, :, 0:3, 0:3]          # what output (0, 0) of every filter reads
products = (window * conv.weight[0]).flatten()
assert torch.allclose(products.sum() + conv.bias[0], out[0, 0, 0, 0], atol=1e-6)
print(f"{products.numel()} multiplications, {products.numel() - 1} additions + 1 for the bias "
      f"= {products.numel()} additions: the sum equals torch's output value")
"""),
md("subslide", r"""
### The whole layer

$25{,}000$ output values, 27 of each: the source says $225{,}000$ additions, which is
$25{,}000 \times 9$: the additions of one $3\times3$ channel, not of all three. An arithmetic slip.
PyTorch's FLOP counter agrees with multiplications + additions:
"""),
code("-", """
values, per_value = out.numel(), conv.weight[0].numel()      # output values; k·k·C_in products each
mults = cl.conv2d_macs(3, 10, 3, output_size=out.shape[-1])
adds = values * (per_value - 1) + values                     # sum the products, then add the bias
print(f"{values:,} values × {per_value} = {mults:,} multiplications and {adds:,} additions")
with FlopCounterMode(display=False) as counter:
    conv(x)
cl.compare("multiplications + additions", mults + adds, counter.get_total_flops())
print(f"the source's additions: {values:,} × {prod(conv.kernel_size)} (one channel's k·k) = {values * prod(conv.kernel_size):,}")
"""),
md("slide", r"""
## MACs or FLOPs?

A **MAC** is one multiply and one add; **FLOPs** (floating-point operations) count them separately,
so **FLOPs = 2 × MACs**. `FlopCounterMode` counts FLOPs that way: $2\cdot k_h k_w C_{in} C_{out} H_{out}W_{out}$
for a conv, ignoring the bias. That is exact for a layer *with* a bias ($n$ products need $n-1$
additions, the bias is the $n$-th) and one addition per output too many without.

Many papers and tools report MACs under the name "FLOPs" (ResNet's "3.8 billion FLOPs" are
multiply-adds; fvcore counts one fused multiply-add as one flop). Always say which convention a number uses.
"""),
code("-", """
cases = [(nn.Conv2d(3, 10, 3, stride=2, padding=1), (3, 100, 100)), (nn.Linear(1250, 1024), (1250,)),
         (nn.Conv2d(16, 32, 3, groups=4), (16, 10, 10)), (nn.ConvTranspose2d(16, 8, 4, stride=2), (16, 7, 7))]
for layer, size in cases:
    table = cl.summary(layer, size)
    with FlopCounterMode(display=False) as counter:
        layer(torch.zeros(1, *size))
    name = repr(layer).replace("kernel_size=", "k=").replace(", stride=(1, 1)", "")
    cl.compare(f"{name:58s} 2 × MACs", 2 * table.total_macs, counter.get_total_flops())
"""),
md("subslide", r"""
A transposed conv is counted on its **input** size: each input value scatters a
$k_h k_w\, C_{out}/g$ block, $k_h k_w C_{in} (C_{out}/g) H_{in} W_{in}$ MACs
([chapter 03](03_transposed_convolution.ipynb)).
"""),
code("-", """
layer = nn.ConvTranspose2d(16, 8, 4, stride=2)
print("output shape:", tuple(layer(torch.zeros(1, 16, 7, 7)).shape))
cl.compare("MACs on the 7×7 input", cl.conv_transpose2d_macs(16, 8, 4, input_size=7),
           cl.count_flops(layer, (16, 7, 7)).total // 2)
"""),
md("slide", r"""
## PyTorch's LSTM against Keras's

An LSTM has 4 gates, each with an input matrix ($h\times \text{in}$), a recurrent matrix
($h\times h$) and a bias. Keras keeps **one** bias vector per gate: $4(\text{in} + h)h + 4h$.
PyTorch keeps **two**, `bias_ih` and `bias_hh`: $4(\text{in} + h)h + 8h$.
"""),
code("-", """
lstm = nn.LSTM(input_size=128, hidden_size=64, batch_first=True)
for name, p in lstm.named_parameters():
    print(f"{name:13s} {str(tuple(p.shape)):11s} {p.numel():6,d}")
cl.compare("PyTorch LSTM(128, 64)", cl.lstm_params(128, 64), sum(p.numel() for p in lstm.parameters()))
keras_like = sum(p.numel() for n, p in lstm.named_parameters() if not n.startswith("bias_hh"))
cl.compare("Keras LSTM(64) on 128 features (torch without bias_hh)", cl.lstm_params(128, 64, style="keras"), keras_like)
"""),
md("subslide", r"""
### The second bias adds nothing

The two biases only ever appear as their sum $b_{ih} + b_{hh}$. Fold one into the other and the
outputs do not change: Keras's single bias is just as expressive, PyTorch's $4h$ extra parameters
are redundant (kept for cuDNN compatibility).
"""),
code("-", """
merged = nn.LSTM(128, 64, batch_first=True)
merged.load_state_dict(lstm.state_dict())
with torch.no_grad():
    merged.bias_ih_l0 += merged.bias_hh_l0
    merged.bias_hh_l0.zero_()
x = torch.randn(1, 5, 128)
assert torch.allclose(lstm(x)[0], merged(x)[0], atol=1e-6)
print("same outputs with bias_ih + bias_hh folded into one vector: True")
"""),
md("subslide", r"""
The same for the other recurrent layers, stacked and bidirectional (a stacked layer reads $h$, or
$2h$ when bidirectional). Keras's GRU with its default `reset_after=True` keeps two biases too.
"""),
code("-", """
cases = [(nn.RNN(10, 20), cl.rnn_params(10, 20), cl.rnn_params(10, 20, style="keras")),
         (nn.GRU(10, 20), cl.gru_params(10, 20), cl.gru_params(10, 20, style="keras")),
         (nn.LSTM(8, 16, num_layers=2, bidirectional=True),
          cl.lstm_params(8, 16, num_layers=2, bidirectional=True),
          cl.lstm_params(8, 16, num_layers=2, bidirectional=True, style="keras"))]
for layer, ours, keras in cases:
    name = repr(layer)
    cl.compare(f"{name:44s}", ours, sum(p.numel() for p in layer.parameters()))
    print(f"{'':44s}   Keras-style count: {keras:,}")
"""),
md("subslide", r"""
### An LSTM's operations are not counted

Neither `FlopCounterMode` nor `cl.summary` counts the LSTM: both report 0. Each time step costs
$4h(\text{in} + h)$ MACs (the two matrix products of all four gates), plus the gate nonlinearities.
"""),
code("-", """
steps = 5
with FlopCounterMode(display=False) as counter:
    lstm(torch.zeros(1, steps, 128))
print("FlopCounterMode:", counter.get_total_flops(), "  cl.summary MACs:", cl.summary(lstm, (steps, 128)).total_macs)
per_step = lstm.weight_ih_l0.numel() + lstm.weight_hh_l0.numel()       # 4h·in + 4h·h
print(f"by hand: {steps} steps × 4h(in + h) = {steps} × {per_step:,} = {steps * per_step:,} MACs")
"""),
md("slide", r"""
## A whole model, layer by layer

The source's small CNN for $28\times28$ images: Conv(1→25, 3) BN ReLU MaxPool(2),
Conv(25→50, 3) BN ReLU MaxPool(2), Linear(50·5·5 → 1024) ReLU, Linear(1024 → 128) ReLU, Linear(128 → 10).
First, where does $5\times5$ come from?
"""),
code("-", """
model = nn.Sequential(
    nn.Conv2d(1, 25, 3), nn.BatchNorm2d(25), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(25, 50, 3), nn.BatchNorm2d(50), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
    nn.Linear(50 * 5 * 5, 1024), nn.ReLU(), nn.Linear(1024, 128), nn.ReLU(), nn.Linear(128, 10)).eval()
sizes = [28]
for step in (lambda i: cl.conv_output_size(i, 3), lambda i: cl.pool_output_size(i, 2)) * 2:
    sizes.append(step(sizes[-1]))
print(" -> ".join(map(str, sizes)))
cl.compare("H, W before Flatten", (sizes[-1], sizes[-1]), tuple(model[:8](torch.zeros(1, 1, 28, 28)).shape[-2:]))
"""),
code("subslide", """
table = cl.summary(model, (1, 28, 28))
table
"""),
md("subslide", r"""
### Checking the table

Total against `numel()`, and every layer's row against its formula:
"""),
code("-", """
cl.compare("total params", table.total_params, sum(p.numel() for p in model.parameters()))
formula = {"0": cl.conv2d_params(1, 25, 3), "1": cl.batchnorm_params(25).trainable,
           "4": cl.conv2d_params(25, 50, 3), "5": cl.batchnorm_params(50).trainable,
           "9": cl.linear_params(50 * 5 * 5, 1024), "11": cl.linear_params(1024, 128),
           "13": cl.linear_params(128, 10)}
for row in table.rows:
    if row.params:
        numel = sum(p.numel() for p in model[int(row.name)].parameters())
        cl.compare(f"layer {row.name:>2s} {row.type:11s} params", formula[row.name], numel)
"""),
code("-", """
macs = {"0": cl.conv2d_macs(1, 25, 3, sizes[1]), "4": cl.conv2d_macs(25, 50, 3, sizes[3]),
        "9": cl.linear_macs(1250, 1024), "11": cl.linear_macs(1024, 128), "13": cl.linear_macs(128, 10)}
flops = cl.count_flops(model, (1, 28, 28))
for name, ours in macs.items():
    cl.compare(f"layer {name:>2s} MACs (torch: FlopCounterMode / 2)", ours, flops.by_layer[name] // 2)
"""),
md("subslide", r"""
### Parameters live in the first Linear layer, operations in the convs

The convs hold under 1% of the parameters but about half of the MACs; the first Linear layer holds almost
90% of the parameters. Parameter count and compute are different questions.
"""),
code("-", """
cl.draw.draw_layer_costs(table, title="small CNN on a 28×28 input")
"""),
md("subslide", r"""
A saved model (`state_dict`) holds more numbers than the parameter count: the BatchNorm buffers,
including a one-element `num_batches_tracked` counter per BatchNorm.
"""),
code("-", """
stored = sum(t.numel() for t in model.state_dict().values())
buffers = cl.batchnorm_params(25).buffers + cl.batchnorm_params(50).buffers
counters = sum(1 for n, _ in model.named_buffers() if n.endswith("num_batches_tracked"))
cl.compare("numbers in the state_dict", table.total_params + buffers + counters, stored)
print(f"= {table.total_params:,} parameters + {buffers} running statistics + {counters} counters")
"""),
md("slide", r"""
## The same model through `FlopCounterMode`

PyTorch's built-in counter, without printing its own table (`display=False`), on the same input:
"""),
code("-", """
with FlopCounterMode(display=False) as counter:
    model(torch.zeros(1, 1, 28, 28))
print(f"FlopCounterMode total: {counter.get_total_flops():,}")
for op, n in counter.get_flop_counts()["Global"].items():
    print(f"   {str(op):18s} {n:12,d}")
cl.compare("2 × cl.summary total MACs", table.total_flops, counter.get_total_flops())
"""),
md("subslide", r"""
### Every difference, explained

Layer by layer, `FlopCounterMode` is exactly twice the summary's MACs:

1. **MACs vs FLOPs**: it counts 2 per multiply-add (`aten.convolution`, and `aten.addmm` for Linear).
2. **Bias**: neither counts the bias additions (by the argument above, "2 × MACs" happens to equal
   multiplications + additions *including* the bias).
3. **What both skip**: BatchNorm, ReLU and max pooling do arithmetic too, but neither tool counts it.
"""),
code("-", """
print("layer  type          summary MACs   2 × MACs     FlopCounterMode")
for row in table.rows:
    counted = flops.by_layer.get(row.name, 0)
    assert counted == 2 * row.macs
    print(f"{row.name:>5s}  {row.type:11s} {row.macs:13,d} {2 * row.macs:11,d} {counted:16,d}")
"""),
code("subslide", """
skipped = cl.uncounted_ops(model, (1, 28, 28))
for r in skipped:
    print(f"{r.name:>5s}  {r.type:11s}  {r.what:15s} {r.count:9,d}")
total = sum(r.count for r in skipped)
print(f"not counted: {total:,} operations, {100 * total / (total + counter.get_total_flops()):.1f}% of all arithmetic")
"""),
md("subslide", r"""
4. **Batch size**: `cl.summary` counts one sample; `FlopCounterMode` counts whatever you run.
5. **Training**: a backward pass computes the gradient for the weights and for the input of every layer,
   each about as costly as the forward pass, except that the first layer needs no input gradient:
   $3\times$ forward minus the first conv's $2\cdot$MACs.
"""),
code("-", """
with FlopCounterMode(display=False) as counter:
    model(torch.zeros(8, 1, 28, 28))
cl.compare("batch of 8", 8 * table.total_flops, counter.get_total_flops())
with FlopCounterMode(display=False) as counter:
    model(torch.zeros(1, 1, 28, 28)).sum().backward()
cl.compare("forward + backward", 3 * table.total_flops - 2 * table.rows[0].macs, counter.get_total_flops())
"""),
md("subslide", r"""
Other tools (torchinfo, fvcore, ptflops, …) print similar tables; before comparing their numbers,
check the same five points: MACs or FLOPs, bias, which layers, batch size, forward only or training.
"""),
md("slide", "## Exercises"),
code("-", """
cl.Exercise("Parameters of nn.Conv2d(3, 10, kernel_size=3) (with bias)?",
            answer=cl.conv2d_params(3, 10, 3),
            hint="k·k·C_in·C_out + C_out: each of the 10 filters is 3×3×3, plus a bias.",
            explanation=f"3·3·3·10 + 10 = {cl.conv2d_params(3, 10, 3)}")
"""),
code("fragment", """
cl.Exercise("Parameters of a Keras LSTM with 64 units on 128 input features?",
            answer=cl.lstm_params(128, 64, style="keras"),
            hint="4(in + h)h + 4h: one bias per gate in Keras.",
            explanation=f"PyTorch's nn.LSTM(128, 64) has {cl.lstm_params(128, 64):,}: a second bias per gate.")
"""),
code("fragment", """
cl.Exercise("Total FLOPs that FlopCounterMode reports for nn.Conv2d(25, 50, 3) on a 13×13 input?",
            answer=2 * cl.conv2d_macs(25, 50, 3, output_size=cl.conv_output_size(13, 3)),
            hint="MACs on the 11×11 output, then 2 FLOPs per MAC.",
            explanation=f"2 · 3·3·25·50·11·11 = {2 * cl.conv2d_macs(25, 50, 3, 11):,}")
"""),
code("fragment", """
cl.Exercise("nn.BatchNorm2d(50): trainable parameters and running-statistics values? (two numbers)",
            answer=tuple(cl.batchnorm_params(50)),
            hint="γ and β per channel; running mean and variance per channel.",
            explanation="2C trainable; 2C buffers, which parameters() does not list.")
"""),
md("slide", r"""
## Common mistakes

**1. A Conv2D count without the input channels.** A source article counts $(k_h k_w + 1)\,C_{out}$: each
filter as if it were $k_h\times k_w$. A filter spans all $C_{in}/g$ input channels.
"""),
code("-", """
conv = nn.Conv2d(25, 50, 3)
cl.compare("Conv2d(25, 50, 3) params", cl.conv2d_params(25, 50, 3), sum(p.numel() for p in conv.parameters()))
source = (prod(conv.kernel_size) + 1) * conv.out_channels
print(f"source (k·k + 1)·C_out = {source:,}; weight shape (C_out, C_in, k, k) = {tuple(conv.weight.shape)}")
"""),
md("subslide", r"""
**2. An Embedding labelled "Dense".** The source's layer table calls the Embedding layer `Dense`.
An Embedding is a lookup table: no bias, and no multiply-adds at all (FlopCounterMode counts 0); a
Dense layer of the same shape has a bias and does `in · out` MACs per input vector.
"""),
code("-", """
emb, dense = nn.Embedding(10000, 128), nn.Linear(10000, 128)
cl.compare("Embedding(10000, 128) params", cl.embedding_params(10000, 128), sum(p.numel() for p in emb.parameters()))
cl.compare("Linear(10000, 128) params   ", cl.linear_params(10000, 128), sum(p.numel() for p in dense.parameters()))
cl.compare("Embedding FLOPs, one token  ", cl.summary(emb, 1, dtype=torch.long).total_flops,
           cl.count_flops(emb, 1, dtype=torch.long).total)
cl.compare("Linear FLOPs, one input     ", cl.summary(dense, 10000).total_flops, cl.count_flops(dense, 10000).total)
"""),
md("subslide", r"""
**3. 225,000 additions.** For the $100\times100\times3 \to 50\times50\times10$ conv there are as many
additions as multiplications, $675{,}000$ (27 per output value, the bias included); computed above.

**4. Cost computed with the input size.** Multiplying by $H_{in}W_{in} = 100\cdot100$ instead of
$H_{out}W_{out} = 50\cdot50$ gives 4 times too much:
"""),
code("-", """
conv = nn.Conv2d(3, 10, 3, stride=2, padding=1)
right = cl.conv2d_macs(3, 10, 3, output_size=cl.conv_output_size(100, 3, stride=2, padding=1))
cl.compare("MACs on the 50×50 output", right, cl.count_flops(conv, (3, 100, 100)).total // 2)
wrong = cl.conv2d_macs(3, 10, 3, output_size=100)
print(f"with the 100×100 input: {wrong:,} ({wrong // right}× too many)")
"""),
md("subslide", r"""
**5. The depthwise bias.** A depthwise conv has $k^2 C_{in} + C_{in}$ parameters, not $k^2C_{in} + 1$
([chapter 05](05_grouped_separable.ipynb)).

**6. "BatchNorm has $4C$ parameters."** $2C$ are trainable parameters; the running mean and variance
are buffers.

**Back to the start:** [00 · Index](00_index.ipynb): this was the last chapter.
"""),
]
write(sys.argv[1], cells, title="07 Counting parameters and operations")
