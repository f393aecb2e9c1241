import sys; sys.path.insert(0, __import__("os").path.dirname(__file__))
from nbbuild import md, code, write

cells = [
md("slide", r"""
# Convolution arithmetic, interactively

How a convolutional layer computes, what size it produces, how far it sees, and what it costs:
seven short chapters, each with drawings, sliders, self-check exercises and a "Common mistakes"
section. **Every number a chapter shows is computed by the course's helper package `convlib` and
checked against PyTorch in the notebook itself**, and every rule is given per axis, so non-square
inputs, asymmetric padding, dilation, groups and `output_padding` are covered throughout.
"""),
md("slide", r"""
## Chapters

| # | Chapter | You will be able to |
|---|---------|---------------------|
| 01 | [How a convolution is computed](01_convolution.ipynb) | compute one output value by hand, for one and for many channels; tell cross-correlation from convolution; see a convolution as a matrix product (im2col) |
| 02 | [Feature-map size, padding and pooling](02_feature_map_size.ipynb) | predict any output size (PyTorch and TensorFlow padding, pooling with `ceil_mode`) |
| 03 | [Transposed convolution](03_transposed_convolution.ipynb) | compute a transposed convolution three ways, choose `output_padding`, avoid checkerboard artifacts |
| 04 | [Dilated convolution](04_dilated_convolution.ipynb) | use dilation to grow the field without parameters, and avoid gridding |
| 05 | [Grouped and separable convolutions](05_grouped_separable.ipynb) | cut parameters and operations with groups, channel shuffle, depthwise-separable and 1×1 convolutions |
| 06 | [Receptive field](06_receptive_field.ipynb) | compute how far a unit sees, and check it with autograd |
| 07 | [Counting parameters and operations](07_counting.ipynb) | count parameters and MACs of any layer and model, and reconcile the tools that count them |
"""),
md("subslide", r"""
## How to run it

* **On your machine:** clone the repository and run `make lab` (it creates `.venv`, installs the
  pinned packages and `convlib`, and opens JupyterLab here). `make test` runs every check.
* **On Binder:** the *launch binder* badge in the README opens this notebook in JupyterLab in your
  browser, nothing to install.
* **As slides:** every notebook carries slide metadata. In JupyterLab use the *Render as slides*
  button (jupyterlab-rise); sliders work there too.
* **Sliders need a live kernel.** On GitHub or in an exported page you see the stored pictures,
  not the interaction: run the notebook (*Run → Run All Cells*) to move them.
"""),
md("slide", r"""
## Glossary

Many learners first meet these terms in Chinese articles; here they are side by side.

| English | 中文 | Meaning in this course |
|---------|------|------------------------|
| convolution | 卷积 | sliding a kernel over the input and summing products (in deep learning: cross-correlation, no flip) |
| feature map | 特征图 | one output channel of a convolutional layer |
| kernel / filter | 卷积核 | the learned weights, shape $(C_{in}/g, k_H, k_W)$ per output channel |
| stride | 步长 | how far the window moves between outputs, $s$ |
| padding | 填充 | zeros added around the input, $p$ (or a mode: `'same'`, TF `SAME` / `VALID`) |
| transposed convolution | 转置卷积 | the gradient of a convolution with respect to its input; upsamples |
| dilated (atrous) convolution | 空洞卷积 | kernel taps spread $d$ apart |
| grouped convolution | 分组卷积 | channels split into $g$ groups convolved separately |
| depthwise-separable convolution | 深度可分离卷积 | a per-channel (depthwise) conv followed by a 1×1 (pointwise) conv |
| receptive field | 感受野 | the input region one output unit depends on |
| parameter count | 参数量 | number of learned values |
| operation count | 计算量 | multiply-accumulates (MACs) or FLOPs per forward pass |

Notation used everywhere: input size $i$ (or $H, W$), kernel $k$, stride $s$, padding $p$,
dilation $d$, output padding $op$, groups $g$, channels $C_{in}$, $C_{out}$, output size $o$.
"""),
md("subslide", r"""
## Is everything here?

This cell checks that every chapter linked above exists, and that every chapter notebook in the
folder is linked, so the table never points to a missing page.
"""),
code("-", r"""
import json
import re
from pathlib import Path

index = json.loads(Path("00_index.ipynb").read_text(encoding="utf-8"))
linked = re.findall(r"\]\((\d\d_\w+\.ipynb)\)", "".join("".join(c["source"]) for c in index["cells"]))
on_disk = sorted(p.name for p in Path(".").glob("0[1-9]_*.ipynb"))
assert sorted(set(linked)) == on_disk, (linked, on_disk)
print("\n".join(on_disk))
"""),
md("slide", r"""
## Where the numbers come from

`convlib` (in the repository's `convlib/` folder) holds the formulas, numpy reference
implementations of every operation, receptive-field and cost counters, the drawings and the
sliders, each tested against PyTorch with property-based tests over thousands of random
configurations. A notebook imports it as `import convlib as cl` and stays short; when a chapter
shows a number, the cell beside it shows torch agreeing.

Start with [01 · How a convolution is computed](01_convolution.ipynb).
"""),
]
write(sys.argv[1], cells, title="Convolution arithmetic, interactively")
