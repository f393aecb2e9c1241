"""explain_shapes against torch: the layer it blames is the one torch fails in, and its fix
makes the model run."""
from __future__ import annotations

import pytest
import torch
from torch import nn

from convlib.networks.diagnose import ShapeReport, explain_shapes


def tutorial_cnn(features: int = 50 * 5 * 5) -> nn.Sequential:
    """Chapter 07's small CNN, written for 28×28 inputs."""
    return nn.Sequential(
        nn.Conv2d(1, 25, 3), nn.BatchNorm2d(25), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(25, 50, 3), nn.BatchNorm2d(50), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(features, 1024), nn.ReLU(), nn.Linear(1024, 128), nn.ReLU(), nn.Linear(128, 10))


def torch_fails(model: nn.Module, shape: tuple[int, ...]) -> bool:
    try:
        model.eval()(torch.zeros(shape))
    except (RuntimeError, ValueError):
        return True
    return False


def test_working_model_reports_output_shape():
    model = tutorial_cnn()
    report = explain_shapes(model, (1, 28, 28))
    assert report.ok and report.output_shape == tuple(model(torch.zeros(1, 1, 28, 28)).shape)
    assert "No error" in str(report) and report.layer is None


def test_wrong_linear_in_features_gives_the_features_torch_sees():
    model = tutorial_cnn()
    report = explain_shapes(model, (1, 24, 24))
    assert torch_fails(model, (1, 1, 24, 24))
    assert not report.ok and report.layer == "9"
    features = model[:9](torch.zeros(1, 1, 24, 24)).shape[-1]
    assert features == 800 and f"in_features={features}" in report.fix
    assert "= 50×4×4" in report.got and "1250" in report.expected
    fixed = tutorial_cnn(features)                        # the fix, applied, runs in torch
    assert not torch_fails(fixed, (1, 1, 24, 24))
    for size in report.working_sizes:                     # every size it offers runs in torch
        assert not torch_fails(model, (1, 1, size, size))
    assert all(torch_fails(model, (1, 1, s, s)) for s in range(8, 41) if s not in report.working_sizes)


def test_wrong_conv_in_channels():
    model = tutorial_cnn()
    report = explain_shapes(model, (3, 28, 28))
    assert torch_fails(model, (1, 3, 28, 28))
    assert report.layer == "0" and "in_channels=3" in report.fix and "1 channel" in report.expected
    assert not report.searched and "input size" not in str(report)   # no size fixes channels


def test_wrong_channels_between_layers():
    model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.Conv2d(32, 8, 3))
    report = explain_shapes(model, (3, 20, 20))
    assert torch_fails(model, (1, 3, 20, 20))
    assert report.layer == "2" and "in_channels=16" in report.fix


def test_input_too_small_for_a_kernel():
    model = tutorial_cnn()
    report = explain_shapes(model, (1, 5, 5))
    assert torch_fails(model, (1, 1, 5, 5))
    assert report.layer == "4" and "3" in report.expected and report.got == "1 + 2·0 = 1"
    assert report.searched and report.working_sizes == () and "No square input size" in str(report)


def test_pool_too_small():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.MaxPool2d(4))
    assert torch_fails(model, (1, 1, 5, 5))
    assert explain_shapes(model, (1, 5, 5)).layer == "1"


def test_batchnorm_channels():
    model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.BatchNorm2d(4))
    assert torch_fails(model.eval(), (1, 1, 9, 9))
    report = explain_shapes(model, (1, 9, 9))
    assert report.layer == "1" and "num_features=8" in report.fix


class ViewNet(nn.Module):
    """A forward written by hand whose view assumes 28×28 inputs."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3)
        self.fc = nn.Linear(4 * 26 * 26, 10)

    def forward(self, x):
        return self.fc(self.conv(x).view(-1, 4 * 26 * 26))


def test_error_in_forward_code_names_the_last_layer_and_its_output():
    report = explain_shapes(ViewNet(), (1, 24, 24))
    assert torch_fails(ViewNet(), (1, 1, 24, 24))
    assert report.layer == "forward code after `conv`" and report.module is None
    assert "1×4×22×22" in report.got and "PyTorch says" in report.fix
    assert report.working_sizes == (28,)


def test_model_is_not_moved_to_meta():
    model = tutorial_cnn()
    explain_shapes(model, (1, 24, 24))
    assert all(p.device.type == "cpu" for p in model.parameters())


def test_report_is_a_dataclass_with_a_readable_str():
    report = explain_shapes(tutorial_cnn(), (1, 24, 24))
    assert isinstance(report, ShapeReport)
    assert str(report).startswith("`9` (Linear(in_features=1250")
    assert "26×26, 27×27, 28×28, 29×29" in str(report)


@pytest.mark.parametrize("bad", [(), (1, 0, 3), (1, 2.5), "28", (True, 3)])
def test_bad_input_size_names_the_parameter(bad):
    with pytest.raises(ValueError, match="`input_size`"):
        explain_shapes(tutorial_cnn(), bad)


def test_bad_search_names_the_parameter():
    with pytest.raises(ValueError, match="`search`"):
        explain_shapes(tutorial_cnn(), (1, 28, 28), search=-1)
