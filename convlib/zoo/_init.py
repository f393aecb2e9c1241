"""Weight initialisation shared by the zoo (torchvision's recipes, no download)."""
from __future__ import annotations

from torch import nn

__all__ = ["init_weights"]


def init_weights(model: nn.Module, *, linear_std: float | None = 0.01) -> nn.Module:
    """Kaiming-normal convolutions (fan_out, ReLU), BN weight 1 / bias 0, zero biases.

    Linear layers get N(0, linear_std^2) weights (VGG, MobileNetV2) or keep
    PyTorch's default when ``linear_std`` is None (ResNet).
    """
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Linear) and linear_std is not None:
            nn.init.normal_(m.weight, 0, linear_std)
            nn.init.zeros_(m.bias)
    return model
