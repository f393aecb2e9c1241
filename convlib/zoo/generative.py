"""Encoder-decoder and generator networks: the original U-Net and the DCGAN generator.

U-Net (Ronneberger et al. 2015): a contracting path of double 3x3 convs
(valid, so each loses 2 pixels) and 2x2 max pools, an expanding path of 2x2
up-convolutions (ConvTranspose2d(k=2, s=2) doubles the size), each followed by
crop-and-copy (the skip is centre-cropped to the upsampled size, concatenated)
and a double conv, then a 1x1 conv to the classes. 572 -> 388:

    572 -> 568 | 284 -> 280 | 140 -> 136 | 68 -> 64 | 32 -> 28      (down, convs)
    28 -> 56 -> 52 | 104 -> 100 | 200 -> 196 | 392 -> 388             (up, convs)

DCGAN generator (Radford et al. 2016) in two layouts:

* `dcgan_generator`, PyTorch's DCGAN tutorial: z of 100 channels at 1x1,
  ConvTranspose2d(k=4, s=1, p=0) to 4x4x512, then four ConvTranspose2d(k=4, s=2, p=1),
  each doubling the size, o = (i - 1) s - 2p + k = 2i, to 64x64x3.
* `dcgan_paper_generator`, the paper's Figure 1 and the authors' code
  (Newmu/dcgan_code, ``faces/train_uncond_dcgan.py``): z projected by a dense layer
  to 4x4x1024, then four 5x5 transposed convs with stride 2 and padding 2; their
  ``deconv`` returns exactly twice the input size, which in PyTorch needs
  ``output_padding=1``: o = (i - 1) 2 - 4 + 5 + 1 = 2i.

Both have BN + ReLU between and Tanh last.
"""
from __future__ import annotations

import torch
from torch import nn

__all__ = ["UNet", "center_crop", "double_conv", "unet", "dcgan_generator", "dcgan_paper_generator"]


def double_conv(c_in: int, c_out: int, padding: int = 0) -> nn.Sequential:
    """Two 3x3 convs with ReLU; valid (padding 0) loses 4 pixels per axis: o = i - 4."""
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=padding), nn.ReLU(inplace=True),
                         nn.Conv2d(c_out, c_out, 3, padding=padding), nn.ReLU(inplace=True))


def center_crop(x: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """The central ``size`` window of ``x`` (..., H, W): rows (H - h) // 2 onward.

    >>> center_crop(torch.arange(16.).view(1, 1, 4, 4), (2, 2)).flatten().tolist()
    [5.0, 6.0, 9.0, 10.0]
    """
    (h, w), (th, tw) = x.shape[-2:], size
    top, left = (h - th) // 2, (w - tw) // 2
    return x[..., top:top + th, left:left + tw]


class UNet(nn.Module):
    """`depth` down and up steps; widths base, 2 base, ..., 2^depth base.

    ``padding=1`` gives the common 'same' variant, whose output has the input's
    size when it is divisible by 2^depth.
    """

    def __init__(self, in_channels: int = 1, num_classes: int = 2, base: int = 64,
                 depth: int = 4, padding: int = 0):
        super().__init__()
        widths = [base * 2 ** i for i in range(depth + 1)]
        self.down = nn.ModuleList(double_conv(c_in, c, padding)
                                  for c_in, c in zip([in_channels] + widths[:-1], widths))
        self.pool = nn.MaxPool2d(2, stride=2)
        self.up = nn.ModuleList(nn.ConvTranspose2d(c, c // 2, 2, stride=2)
                                for c in reversed(widths[1:]))
        self.up_conv = nn.ModuleList(double_conv(c, c // 2, padding)
                                     for c in reversed(widths[1:]))
        self.head = nn.Conv2d(base, num_classes, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skips = []
        for i, block in enumerate(self.down):
            x = block(x if i == 0 else self.pool(x))
            skips.append(x)
        skips.pop()   # the bottom of the U has no skip
        for up, block in zip(self.up, self.up_conv):
            x = up(x)
            skip = center_crop(skips.pop(), tuple(x.shape[-2:]))   # crop-and-copy
            x = block(torch.cat((skip, x), dim=1))
        return self.head(x)


def unet(in_channels: int = 1, num_classes: int = 2, base: int = 64, padding: int = 0) -> UNet:
    """The original U-Net: 1 input channel, 2 classes, valid convs; 572x572 -> 388x388.

    >>> unet(base=4)(torch.zeros(1, 1, 572, 572)).shape
    torch.Size([1, 2, 388, 388])
    """
    return UNet(in_channels, num_classes, base, padding=padding)


def dcgan_generator(nz: int = 100, ngf: int = 64, channels: int = 3) -> nn.Sequential:
    """DCGAN generator: (N, nz, 1, 1) -> (N, channels, 64, 64).

    >>> dcgan_generator()(torch.zeros(2, 100, 1, 1)).shape
    torch.Size([2, 3, 64, 64])
    """
    def up(c_in: int, c_out: int, stride: int = 2, padding: int = 1) -> list[nn.Module]:
        return [nn.ConvTranspose2d(c_in, c_out, 4, stride, padding, bias=False),
                nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]

    return nn.Sequential(*up(nz, ngf * 8, 1, 0), *up(ngf * 8, ngf * 4), *up(ngf * 4, ngf * 2),
                         *up(ngf * 2, ngf),
                         nn.ConvTranspose2d(ngf, channels, 4, 2, 1, bias=False), nn.Tanh())


def dcgan_paper_generator(nz: int = 100, ngf: int = 128, channels: int = 3) -> nn.Sequential:
    """DCGAN generator as the authors built it: (N, nz) -> (N, channels, 64, 64).

    A dense layer (no bias) projects z to 8 ngf x 4 x 4 (1024 x 4 x 4), BatchNorm1d and
    ReLU, then four ConvTranspose2d(k=5, s=2, p=2, output_padding=1), o = 2i.

    >>> dcgan_paper_generator()(torch.zeros(2, 100)).shape
    torch.Size([2, 3, 64, 64])
    """
    def up(c_in: int, c_out: int) -> nn.ConvTranspose2d:
        return nn.ConvTranspose2d(c_in, c_out, 5, 2, 2, output_padding=1, bias=False)

    return nn.Sequential(nn.Linear(nz, ngf * 8 * 4 * 4, bias=False),
                         nn.BatchNorm1d(ngf * 8 * 4 * 4), nn.ReLU(inplace=True),
                         nn.Unflatten(1, (ngf * 8, 4, 4)),
                         up(ngf * 8, ngf * 4), nn.BatchNorm2d(ngf * 4), nn.ReLU(inplace=True),
                         up(ngf * 4, ngf * 2), nn.BatchNorm2d(ngf * 2), nn.ReLU(inplace=True),
                         up(ngf * 2, ngf), nn.BatchNorm2d(ngf), nn.ReLU(inplace=True),
                         up(ngf, channels), nn.Tanh())
