"""Time convlib's whole-model tools on ResNet-50 at 224 x 224 (target: under 3 s each).

Run: ``.venv/bin/python benchmarks/bench_models.py [--repeat R] [--threads N]``.

Measured: `receptive_field` and `summary` on ResNet-50 at 224, and
`compare_counters` (torchinfo, ptflops, thop, fvcore, FlopCounterMode, convlib)
on ResNet-18 at 224. The first call in a process also pays for lazy imports
(torch's dispatch machinery, the counting tools), so it is printed apart. On a
loaded machine ``--threads 1`` is often faster (OpenMP threads wait for cores).

The model is ``convlib.zoo.resnet50()`` when `convlib.zoo` is importable; otherwise a
minimal local ResNet-50 with torchvision's layer layout (`local_resnet50`) stands in,
and the script says so. One function per measurement; each prints the median of R runs.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import convlib as cl  # noqa: E402


class Bottleneck(nn.Module):
    """torchvision's Bottleneck: 1x1, 3x3 (stride here), 1x1 x4, and the shortcut."""
    def __init__(self, c_in: int, width: int, stride: int) -> None:
        super().__init__()
        c_out = 4 * width
        self.conv1, self.bn1 = nn.Conv2d(c_in, width, 1, bias=False), nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3, self.bn3 = nn.Conv2d(width, c_out, 1, bias=False), nn.BatchNorm2d(c_out)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None if stride == 1 and c_in == c_out else nn.Sequential(
            nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        out += x if self.downsample is None else self.downsample(x)
        return self.relu(out)


def local_resnet50() -> nn.Module:
    """ResNet-50 with torchvision's module names (conv1, layer1..4, avgpool, fc)."""
    model = nn.Module()
    model.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
    model.bn1, model.relu = nn.BatchNorm2d(64), nn.ReLU(inplace=True)
    model.maxpool = nn.MaxPool2d(3, 2, 1)
    c_in = 64
    for i, (width, blocks, stride) in enumerate([(64, 3, 1), (128, 4, 2), (256, 6, 2),
                                                 (512, 3, 2)]):
        layer = []
        for b in range(blocks):
            layer.append(Bottleneck(c_in, width, stride if b == 0 else 1))
            c_in = 4 * width
        setattr(model, f"layer{i + 1}", nn.Sequential(*layer))
    model.avgpool, model.fc = nn.AdaptiveAvgPool2d(1), nn.Linear(2048, 1000)

    def forward(x: torch.Tensor) -> torch.Tensor:
        x = model.maxpool(model.relu(model.bn1(model.conv1(x))))
        for i in range(1, 5):
            x = getattr(model, f"layer{i}")(x)
        return model.fc(torch.flatten(model.avgpool(x), 1))
    model.forward = forward
    return model


def resnet50() -> tuple[nn.Module, str]:
    try:
        from convlib import zoo
        return zoo.resnet50(), "convlib.zoo.resnet50()"
    except ImportError:
        return local_resnet50(), "local_resnet50() (convlib.zoo is not importable here)"


def median_seconds(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_receptive_field(model: nn.Module, repeat: int) -> None:
    table = cl.receptive_field(model, 224)
    seconds = median_seconds(lambda: cl.receptive_field(model, 224), repeat)
    pool5 = next(r for r in table.rows if r.name == "layer4.2.add")
    print(f"receptive_field(resnet50, 224): {seconds:.2f} s (target < 3 s); "
          f"{len(table.rows)} rows; layer4 field {pool5.size}, jump {pool5.jump}")


def first_and_median(call, repeat: int) -> tuple[float, float]:
    """(first call, median of `repeat` further calls), in seconds."""
    t0 = time.perf_counter()
    call()
    return time.perf_counter() - t0, median_seconds(call, repeat)


def bench_summary(model: nn.Module, repeat: int) -> None:
    first, seconds = first_and_median(lambda: cl.summary(model, (3, 224, 224)), repeat)
    s = cl.summary(model, (3, 224, 224))
    print(f"summary(resnet50, 3x224x224): {seconds:.2f} s (target < 3 s; first call "
          f"{first:.2f} s); {len(s.rows)} rows, {s.total_macs / 1e9:.3f} GMACs, "
          f"receptive field {'shown' if s.has_field else 'absent'}")


def bench_compare_counters(repeat: int) -> None:
    model = cl.zoo.resnet18()
    first, seconds = first_and_median(
        lambda: cl.compare_counters(model, (3, 224, 224)), repeat)
    c = cl.compare_counters(model, (3, 224, 224))
    print(f"compare_counters(resnet18, 3x224x224): {seconds:.2f} s (first call {first:.2f} s); "
          f"{len(c.rows) - 1} tools, all differences explained: {c.explained}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement")
    parser.add_argument("--threads", type=int, default=None, help="torch threads")
    args = parser.parse_args()
    torch.set_num_threads(args.threads or max(1, torch.get_num_threads()))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)")
    model, source = resnet50()
    print(f"model: {source}")
    bench_receptive_field(model, args.repeat)
    bench_summary(model, args.repeat)
    bench_compare_counters(args.repeat)


if __name__ == "__main__":
    main()
