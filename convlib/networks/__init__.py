"""Real networks (chapter 08).

* ``plans``: sizes through real networks: which inputs divide cleanly, the U-Net plan
* ``resnet_layouts``: ResNet-50 with its stride moved or a pooling shortcut
* ``fields``: which input makes an autograd field check exact; how concentrated an
  effective field is against the image
* ``costs``: ResNet-50's MACs per layout; measured time per image
* ``diagnose``: `explain_shapes`, the first shape error in a model, explained

Submodules load on first use (``convlib.networks.plans``); the public names
are re-exported at the top (``convlib.<name>``).
"""
from .._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, ["plans", "resnet_layouts", "fields", "costs", "diagnose"])
