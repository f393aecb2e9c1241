"""convlib.zoo against the published figures (torchvision's metadata): parameter
counts exactly, MACs at 1x3x224x224 by FlopCounterMode (FLOPs / 2) and by
convlib.counting.summary, rounded as published; torchvision's module names; U-Net and
DCGAN shapes. The big classifiers are built on the meta device (no weights
allocated); FlopCounterMode and summary only need shapes."""
from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

import convlib as cl
from convlib import zoo

# name: (parameters, GMACs at 1x3x224x224 as published)
PUBLISHED = {
    "alexnet": (61_100_840, "0.714"),
    "vgg16": (138_357_544, "15.47"),
    "resnet18": (11_689_512, "1.814"),
    "resnet50": (25_557_032, "4.089"),
    "mobilenet_v2": (3_504_872, "0.301"),
    "shufflenet_v2_x1_0": (2_278_604, "0.145"),
}

# keys of torchvision's state_dicts (so pretrained weights would load by name)
TORCHVISION_KEYS = {
    "alexnet": ["features.0.weight", "features.10.bias", "classifier.1.weight",
                "classifier.6.weight"],
    "vgg16": ["features.0.weight", "features.28.weight", "classifier.0.weight",
              "classifier.6.bias"],
    "resnet18": ["conv1.weight", "bn1.running_mean", "layer1.0.conv1.weight",
                 "layer3.1.conv2.weight", "layer2.0.downsample.0.weight",
                 "layer4.0.downsample.1.running_var", "fc.weight"],
    "resnet50": ["layer1.0.conv3.weight", "layer1.0.downsample.0.weight",
                 "layer3.5.bn3.weight", "layer4.2.conv2.weight", "fc.bias"],
    "mobilenet_v2": ["features.0.0.weight", "features.0.1.running_var",
                     "features.1.conv.0.0.weight", "features.1.conv.1.weight",
                     "features.1.conv.2.weight", "features.2.conv.0.0.weight",
                     "features.2.conv.1.0.weight", "features.2.conv.2.weight",
                     "features.17.conv.3.bias", "features.18.0.weight", "classifier.1.weight"],
    "shufflenet_v2_x1_0": ["conv1.0.weight", "conv1.1.bias", "stage2.0.branch1.0.weight",
                           "stage2.0.branch1.2.weight", "stage2.0.branch2.6.running_mean",
                           "stage3.7.branch2.5.weight", "stage4.3.branch2.0.weight",
                           "conv5.0.weight", "fc.weight"],
}


def meta_model(name: str, **kwargs) -> nn.Module:
    with torch.device("meta"):
        return getattr(zoo, name)(**kwargs)


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def torch_macs(model: nn.Module, x: torch.Tensor) -> int:
    model.eval()
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(x)
    flops = counter.get_total_flops()
    assert flops % 2 == 0
    return flops // 2


def rounded_like(value: float, published: str) -> str:
    decimals = len(published.split(".")[1])
    return f"{value:.{decimals}f}"


@pytest.mark.parametrize("name", list(PUBLISHED))
def test_published_parameters_and_macs(name):
    params, gmacs = PUBLISHED[name]
    model = meta_model(name)
    assert n_params(model) == params
    macs = torch_macs(model, torch.zeros(1, 3, 224, 224, device="meta"))
    assert rounded_like(macs / 1e9, gmacs) == gmacs
    s = cl.summary(model, (3, 224, 224))
    assert s.total_params == params
    assert s.total_macs == macs          # convlib's counting formulas agree exactly
    assert [r.output_shape for r in s.rows if r.output_shape][-1] == (1, 1000)


@pytest.mark.parametrize("name", list(PUBLISHED))
def test_torchvision_module_names(name):
    keys = set(meta_model(name).state_dict())
    missing = [k for k in TORCHVISION_KEYS[name] if k not in keys]
    assert not missing


def test_models_listed_and_lazy():
    assert set(zoo.MODELS) == set(PUBLISHED)
    assert "resnet50" in dir(zoo)
    with pytest.raises(AttributeError, match="no attribute 'resnet19'"):
        zoo.resnet19


def test_resnet18_runs_on_real_weights_and_shrinks_by_32():
    model = zoo.resnet18(num_classes=7).eval()
    with torch.no_grad():
        feats = model.layer4(model.layer3(model.layer2(model.layer1(
            model.maxpool(model.relu(model.bn1(model.conv1(torch.randn(1, 3, 64, 96)))))))))
        out = model(torch.randn(2, 3, 64, 96))
    assert feats.shape == (1, 512, 2, 3) and out.shape == (2, 7)
    assert torch.isfinite(out).all()


def test_mobilenet_width_multiplier():
    default = n_params(meta_model("mobilenet_v2"))
    assert n_params(meta_model("mobilenet_v2", width_mult=1.0)) == default
    half = meta_model("mobilenet_v2", width_mult=0.5)
    assert n_params(half) < default
    assert half.features[0][0].out_channels == cl.zoo.make_divisible(32 * 0.5) == 16
    assert half.last_channel == 1280                      # never below 1280
    wide = meta_model("mobilenet_v2", width_mult=1.4)
    assert wide.last_channel == cl.zoo.make_divisible(1280 * 1.4) == 1792
    x = torch.randn(1, 3, 32, 32)
    assert zoo.mobilenet_v2(num_classes=5, width_mult=0.35).eval()(x).shape == (1, 5)


def test_mobilenet_residual_blocks_where_shapes_match():
    model = meta_model("mobilenet_v2")
    flags = [b.use_res_connect for b in model.features[1:-1]]
    # 17 blocks; stage repeats (1, 2, 3, 4, 3, 3, 1): the first of each stage has no residual
    assert flags == [False, False, True, False, True, True, False, True, True, True,
                     False, True, True, False, True, True, False]


def test_shufflenet_runs_and_shuffles():
    model = zoo.shufflenet_v2_x1_0(num_classes=3).eval()
    with torch.no_grad():
        assert model(torch.randn(1, 3, 64, 64)).shape == (1, 3)
    x = torch.arange(6.).view(1, 6, 1, 1)
    from convlib.zoo.mobile import channel_shuffle
    assert channel_shuffle(x, 2).flatten().tolist() == [0, 3, 1, 4, 2, 5]


def test_unet_572_gives_388():
    model = meta_model("unet")
    assert n_params(model) == sum(
        cl.conv2d_params(a, b, 3) for a, b in [(1, 64), (64, 64), (64, 128), (128, 128),
                                               (128, 256), (256, 256), (256, 512), (512, 512),
                                               (512, 1024), (1024, 1024), (1024, 512),
                                               (512, 512), (512, 256), (256, 256),
                                               (256, 128), (128, 128), (128, 64), (64, 64)]
    ) + sum(cl.conv_transpose2d_params(c, c // 2, 2) for c in (1024, 512, 256, 128)
           ) + cl.conv2d_params(64, 2, 1)
    with torch.no_grad():
        assert model(torch.zeros(1, 1, 572, 572, device="meta")).shape == (1, 2, 388, 388)


def test_unet_crop_and_copy_on_real_tensors():
    model = zoo.unet(base=2).eval()
    grabbed = {}
    model.up_conv[0].register_forward_pre_hook(lambda m, a: grabbed.setdefault("cat", a[0]))
    with torch.no_grad():
        out = model(torch.randn(1, 1, 188, 188))
    # 188 -> 184 | 92 -> 88 | 44 -> 40 | 20 -> 16 | 8 -> 4; up 4 -> 8, skip 16 cropped to 8
    assert out.shape == (1, 2, 4, 4) and grabbed["cat"].shape == (1, 16 + 16, 8, 8)


def test_unet_same_padding_variant_keeps_the_size():
    model = zoo.unet(base=2, padding=1, num_classes=3).eval()
    with torch.no_grad():
        assert model(torch.randn(1, 1, 48, 64)).shape == (1, 3, 48, 64)


def test_dcgan_generator_1x1_to_64x64():
    model = zoo.dcgan_generator().eval()
    with torch.no_grad():
        y = model(torch.randn(1, 100, 1, 1))
    assert y.shape == (1, 3, 64, 64) and y.abs().max() <= 1   # Tanh
    sizes = [m.weight.shape for m in model if isinstance(m, nn.ConvTranspose2d)]
    assert [s[:2] for s in sizes] == [(100, 512), (512, 256), (256, 128), (128, 64), (64, 3)]
    assert n_params(model) == sum(cl.conv_transpose2d_params(a, b, 4, bias=False)
                                  for a, b in [(100, 512), (512, 256), (256, 128), (128, 64),
                                               (64, 3)]) + 2 * (512 + 256 + 128 + 64)


def test_dcgan_paper_generator_dense_projection_and_5x5_kernels():
    model = zoo.dcgan_paper_generator().eval()
    sizes, x = [], torch.randn(2, 100)
    with torch.no_grad():
        for layer in model:
            x = layer(x)
            if isinstance(layer, nn.ConvTranspose2d):
                sizes.append(x.shape[-1])
                assert layer.kernel_size == (5, 5) and layer.stride == (2, 2)
                assert layer.padding == (2, 2) and layer.output_padding == (1, 1)
    assert model[3](torch.zeros(1, 1024 * 16)).shape == (1, 1024, 4, 4)   # the projection
    assert sizes == [8, 16, 32, 64] and x.shape == (2, 3, 64, 64) and x.abs().max() <= 1
    assert sizes == [cl.conv_transpose_output_size(s, 5, stride=2, padding=2, output_padding=1)
                     for s in (4, 8, 16, 32)]


def call_order(block: nn.Module, x: torch.Tensor) -> list[str]:
    """Names of the leaf modules of `block` in the order its forward calls them."""
    names, order = {m: n for n, m in block.named_modules()}, []
    hooks = [m.register_forward_hook(lambda m, i, o: order.append(names[m]))
             for m in block.modules() if not list(m.children())]
    with torch.no_grad():
        block.eval()(x)
    for h in hooks:
        h.remove()
    return order


def test_blocks_run_conv1_first_and_the_shortcut_last_as_torchvision():
    """torchvision's BasicBlock / Bottleneck.forward: the residual branch, then downsample."""
    from convlib.zoo.resnet import BasicBlock, Bottleneck

    x = torch.zeros(1, 8, 8, 8)
    assert call_order(BasicBlock(8, 16, stride=2), x) == [
        "conv1", "bn1", "relu", "conv2", "bn2", "downsample.0", "downsample.1", "relu"]
    assert call_order(Bottleneck(8, 4, stride=2), x) == [
        "conv1", "bn1", "relu", "conv2", "bn2", "relu", "conv3", "bn3",
        "downsample.0", "downsample.1", "relu"]


def hook_chain_field(model: nn.Module, size: int = 224) -> int:
    """What a hook-based tool (torch_receptive_field, torchscan's crawler) reports: every
    conv and max-pool in execution order, treated as one chain."""
    order = []
    hooks = [m.register_forward_hook(lambda m, i, o: order.append(m)) for m in model.modules()
             if isinstance(m, (nn.Conv2d, nn.MaxPool2d))]
    with torch.no_grad():
        model.eval()(torch.zeros(1, 3, size, size))
    for h in hooks:
        h.remove()
    kinds = [("conv" if isinstance(m, nn.Conv2d) else "pool") for m in order]
    return cl.receptive_field([cl.Layer(m.kernel_size, m.stride, m.padding, m.dilation, kind)
                               for m, kind in zip(order, kinds)]).size


def test_a_hook_chain_tool_sees_torchvisions_chain_on_the_zoo_resnet50():
    # 1963 on torchvision's resnet50 (the issue); 2131 while downsample ran first.
    assert hook_chain_field(zoo.resnet50()) == 1963
