"""convlib.counting.summary against PyTorch: parameter totals equal ``model.parameters()``,
MACs equal ``FlopCounterMode`` FLOPs / 2 (in total and per layer), on the
syllabus CNN, a ResNet bottleneck, a depthwise-separable block, transposed-conv
and sequence models, and a hypothesis sweep of random conv stacks."""
from __future__ import annotations

import copy

import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

import convlib as cl

LEAF_TYPES_WITH_MACS = (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def flop_counts(model: nn.Module, x: torch.Tensor) -> dict[str, int]:
    """FlopCounterMode's FLOPs per module path (``'Sequential.0'``) and ``'Global'``.

    A recurrent model runs on the meta device: on the CPU an LSTM is one fused oneDNN
    operator that FlopCounterMode does not count; on meta it decomposes into the
    matmuls of its formula, which it does count."""
    if any(isinstance(m, (nn.RNNBase, nn.RNNCellBase)) for m in model.modules()):
        model, x = copy.deepcopy(model).to("meta"), x.to("meta")
    model.eval()
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(x)
    return {k: sum(v.values()) for k, v in counter.get_flop_counts().items()}


def check_against_torch(model: nn.Module, input_size, dtype=None) -> cl.ModelSummary:
    """summary's totals and every row's MACs agree with torch; returns the summary."""
    s = cl.summary(model, input_size, dtype=dtype)
    assert s.total_params == n_params(model)
    x = torch.zeros(1, *input_size, dtype=dtype or torch.float32)
    flops = flop_counts(model, x)
    assert 2 * s.total_macs == flops.get("Global", 0) == s.total_flops
    root, modules = type(model).__name__, dict(model.named_modules())
    for row in s.rows:   # FlopCounterMode's per-module counts include the children
        if row.kind == "op":   # an operator in a container's forward: in the total above
            continue
        path = f"{root}.{row.name}" if row.name else root
        leaf = not list(modules[row.name].children())
        assert 2 * row.macs == (flops.get(path, 0) if leaf else 0), row
    expected = [n for n, m in model.named_modules()
                if not list(m.children()) or list(m.parameters(recurse=False))]
    assert sorted(r.name for r in s.rows if r.kind == "module") == sorted(expected)   # one each
    return s


def small_cnn() -> nn.Sequential:
    """The syllabus's chapter-07 model (28x28 grey-scale input, 10 classes)."""
    return nn.Sequential(
        nn.Conv2d(1, 25, 3), nn.BatchNorm2d(25), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(25, 50, 3), nn.BatchNorm2d(50), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(50 * 5 * 5, 1024), nn.ReLU(),
        nn.Linear(1024, 128), nn.ReLU(), nn.Linear(128, 10))


class Bottleneck(nn.Module):
    """ResNet bottleneck (1x1 reduce, 3x3 stride 2, 1x1 expand) with a projection
    shortcut; one ReLU module called three times."""

    def __init__(self, c: int = 64, m: int = 16, groups: int = 1):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(c, m, 1, bias=False), nn.BatchNorm2d(m)
        self.conv2 = nn.Conv2d(m, m, 3, stride=2, padding=1, groups=groups, bias=False)
        self.bn2 = nn.BatchNorm2d(m)
        self.conv3, self.bn3 = nn.Conv2d(m, 2 * c, 1, bias=False), nn.BatchNorm2d(2 * c)
        self.relu = nn.ReLU()
        self.downsample = nn.Sequential(nn.Conv2d(c, 2 * c, 1, stride=2, bias=False),
                                        nn.BatchNorm2d(2 * c))

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        return self.relu(self.bn3(self.conv3(y)) + self.downsample(x))


def depthwise_separable(c_in: int = 32, c_out: int = 64) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_in, 3, padding=1, groups=c_in), nn.BatchNorm2d(c_in), nn.ReLU6(),
        nn.Conv2d(c_in, c_out, 1), nn.BatchNorm2d(c_out), nn.ReLU6())


def decoder() -> nn.Sequential:
    """A small generator: Linear -> reshape -> three transposed convolutions."""
    return nn.Sequential(
        nn.Linear(16, 32 * 4 * 4), nn.Unflatten(1, (32, 4, 4)),
        nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1), nn.ReLU(),
        nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1, groups=2),
        nn.ReLU(), nn.ConvTranspose2d(8, 1, (3, 5), padding=(1, 2)), nn.Sigmoid())


class LastStep(nn.Module):
    def forward(self, out):
        return out[0][:, -1]   # LSTM returns (output, (h, c))


# ---------------------------------------------------------------- named models

def test_syllabus_cnn():
    model = small_cnn()
    s = check_against_torch(model, (1, 28, 28))
    assert len(s.rows) == 14 and [r.name for r in s.rows] == [str(i) for i in range(14)]
    o1 = cl.conv_output_size(28, 3)
    p1 = cl.pool_output_size(o1, 2)
    o2 = cl.conv_output_size(p1, 3)
    p2 = cl.pool_output_size(o2, 2)
    assert [r.output_shape for r in s.rows[:9]] == [
        (1, 25, o1, o1)] * 3 + [(1, 25, p1, p1)] + [(1, 50, o2, o2)] * 3 + [
        (1, 50, p2, p2), (1, 50 * p2 * p2)]
    conv1, bn1, relu = s.rows[:3]
    assert (conv1.type, conv1.params, conv1.macs) == (
        "Conv2d", cl.conv2d_params(1, 25, 3), cl.conv2d_macs(1, 25, 3, o1))
    assert bn1.params == cl.batchnorm_params(25).trainable and bn1.macs == 0
    assert (relu.type, relu.params, relu.macs) == ("ReLU", 0, 0)
    assert s.rows[9].params == cl.linear_params(50 * 5 * 5, 1024)
    assert s.rows[13].output_shape == (1, 10)


def test_bottleneck():
    model = Bottleneck()
    s = check_against_torch(model, (64, 16, 16))
    relu = [r for r in s.rows if r.name == "relu"]
    assert len(relu) == 1 and relu[0].output_shape == (1, 16, 16, 16)   # first call
    assert "downsample" not in [r.name for r in s.rows]   # containers: no row
    assert [r.name for r in s.rows][-3:] == ["downsample.0", "downsample.1", "add"]
    assert s.rows[-1].type == "aten.add" and s.rows[-1].kind == "op"   # the residual add
    assert s.rows[0].macs == 16 * 16 * 64 * 16         # 1x1 reduce: H W C m


def test_resnext_bottleneck_grouped():
    check_against_torch(Bottleneck(c=32, m=32, groups=8), (32, 10, 12))


def test_depthwise_separable_block():
    s = check_against_torch(depthwise_separable(), (32, 14, 14))
    dw, pw = s.rows[0], s.rows[3]
    assert dw.params == 9 * 32 + 32                   # + C_in biases
    assert dw.macs + pw.macs == cl.conv2d_macs(32, 32, 3, 14, groups=32) + cl.conv2d_macs(
        32, 64, 1, 14)


def test_transposed_conv_model():
    s = check_against_torch(decoder(), (16,))
    assert s.rows[-1].output_shape == (1, 1, 16, 16)
    t2 = s.rows[4]
    assert t2.macs == cl.conv_transpose2d_macs(16, 8, 3, input_size=8, groups=2)


def test_sequence_model_with_embedding_and_lstm():
    model = nn.Sequential(nn.Embedding(100, 8), nn.Linear(8, 12),
                          nn.LSTM(12, 6, batch_first=True), LastStep(), nn.Linear(6, 3))
    s = check_against_torch(model, (5,), dtype=torch.long)
    assert s.rows[1].macs == cl.linear_macs(8, 12, positions=5)
    assert s.rows[2].output_shape == (1, 5, 6)         # first tensor of the tuple
    assert s.rows[2].params == cl.lstm_params(12, 6)
    assert s.rows[2].macs == cl.lstm_macs(12, 6, steps=5)  # FlopCounterMode on meta agrees


def meta_macs(module: nn.Module, x: torch.Tensor) -> int:
    """FlopCounterMode's FLOPs / 2 on the meta device, where a recurrent layer decomposes
    into the matmuls it counts (on the CPU a fused LSTM counts 0)."""
    return flop_counts(module, x)["Global"] // 2


@pytest.mark.parametrize("module, input_size", [
    (nn.LSTM(10, 20), (5, 10)),                                       # the issue's 0
    (nn.LSTM(10, 20, num_layers=2, bidirectional=True), (5, 10)),     # layer 2 reads 2h
    (nn.LSTM(10, 20, num_layers=2, proj_size=6, batch_first=True), (5, 10)),
    (nn.GRU(10, 20, num_layers=2), (7, 10)),
    (nn.RNN(7, 9, num_layers=3, nonlinearity="relu", bidirectional=True), (4, 7)),
    (nn.LSTMCell(10, 20), (10,)), (nn.GRUCell(10, 20), (10,)), (nn.RNNCell(4, 5), (4,)),
])
@pytest.mark.filterwarnings("ignore:LSTM with projections")
def test_recurrent_layers_are_counted_from_their_formula(module, input_size):
    s = cl.summary(module, input_size)
    assert s.rows[0].macs == s.total_macs == meta_macs(module, torch.zeros(1, *input_size)) > 0
    assert "computed from the formula" in str(s)


def test_lstm_of_the_issue_counts_4h_in_plus_h_per_step():
    s = cl.summary(nn.LSTM(10, 20), (5, 10))       # (L, N=1, in): 5 steps of one sequence
    assert s.total_macs == 5 * 4 * 20 * (10 + 20) == 12_000
    on_cpu = FlopCounterMode(display=False)
    with on_cpu, torch.no_grad():
        nn.LSTM(10, 20)(torch.zeros(5, 1, 10))
    assert on_cpu.get_total_flops() == 0            # why the formula is needed


def test_second_layer_of_a_bidirectional_lstm_reads_2h():
    two = cl.lstm_macs(10, 20, num_layers=2, bidirectional=True)
    one = cl.lstm_macs(10, 20, bidirectional=True)
    assert two - one == 2 * 4 * 20 * (2 * 20 + 20)


def test_a_table_without_recurrent_layers_has_no_recurrent_note():
    assert "computed from the formula" not in str(cl.summary(nn.Conv2d(1, 1, 3), (1, 5, 5)))


def test_root_leaf_and_1d_3d_convs():
    s = check_against_torch(nn.Conv2d(3, 4, 3), (3, 9, 9))
    assert [r.name for r in s.rows] == [""] and "(model)" in str(s)
    check_against_torch(nn.Sequential(nn.Conv1d(4, 6, 3, groups=2), nn.ConvTranspose1d(6, 2, 4)),
                        (4, 11))
    check_against_torch(nn.Sequential(nn.Conv3d(2, 4, (3, 1, 2)), nn.ConvTranspose3d(4, 2, 2)),
                        (2, 5, 4, 6))


class Scaled(nn.Module):
    """A container holding a parameter of its own."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(3))
        self.body = nn.Linear(4, 3)

    def forward(self, x):
        return self.body(x) * self.scale


def test_own_parameters_of_a_container_are_counted():
    s = check_against_torch(Scaled(), (4,))
    assert {r.name: r.params for r in s.rows} == {"": 3, "body": 15, "mul": 0}
    assert s.rows[-1].type == "aten.mul"   # body(x) * scale, in the container's forward


def test_shared_module_and_tied_weights_counted_once():
    shared = nn.Linear(6, 6)
    model = nn.Sequential(shared, nn.ReLU(), shared, nn.Linear(6, 6))
    model[3].weight = model[0].weight                  # tied
    s = check_against_torch(model, (6,))
    assert [r.name for r in s.rows] == ["0", "1", "3"]   # "2" is the same module as "0"
    assert s.rows[0].macs == 2 * cl.linear_macs(6, 6)
    assert s.rows[2].params == 6                        # only its own bias


def test_uncalled_module_is_listed_last():
    class Skip(nn.Module):
        def __init__(self):
            super().__init__()
            self.unused, self.used = nn.Linear(4, 4), nn.Linear(4, 2)

        def forward(self, x):
            return self.used(x)

    s = check_against_torch(Skip(), (4,))
    assert [(r.name, r.output_shape) for r in s.rows] == [("used", (1, 2)), ("unused", None)]
    assert "unused  Linear  -" in str(s)


def test_model_state_is_left_alone():
    model = small_cnn().train()
    model[1].eval()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    cl.summary(model, (1, 28, 28))
    assert model.training and not model[1].training and model[5].training
    for k, v in model.state_dict().items():
        assert torch.equal(v, before[k]), k


def test_float64_model_gets_float64_input():
    check_against_torch(depthwise_separable(4, 8).double(), (4, 6, 6), dtype=torch.float64)
    cl.summary(depthwise_separable(4, 8).double(), (4, 6, 6))   # dtype taken from the model


# ---------------------------------------------------------------- rendering

def test_text_states_the_conventions():
    text = str(cl.summary(small_cnn(), (1, 28, 28)))
    for phrase in ["Params (numel)", "MACs (mult-adds)", "multiply-accumulates",
                   "FLOPs = 2 x MACs", "K - 1 additions for the sum, 1 for the bias",
                   "batch dimension",
                   "not counted", "FlopCounterMode", "running statistics"]:
        assert phrase in text.replace("\n  ", " "), phrase
    assert "0      Conv2d       (1, 25, 26, 26)             250           152,100" in text
    assert "Total" in text and "1,425,214" in text


def test_parts_show_subtotals_and_the_notes_once():
    table = cl.summary(small_cnn(), (1, 28, 28))
    first, second = table.part(0, 8, notes=False), table.part(8, 14)
    assert first.total_params + second.total_params == table.total_params
    assert first.total_macs + second.total_macs == table.total_macs
    one, two = str(first), str(second)
    assert "rows 0-7 of 14 (subtotals)" in one and "rows 8-13 of 14" in two
    assert "Subtotal" in one and "Total FLOPs" not in one and "What is counted" not in first._repr_html_()
    assert f"Whole model: {table.total_params:,} params, {table.total_macs:,} MACs" in two
    assert f"Total FLOPs = 2 x MACs = {table.total_flops:,}" in two
    assert "\nTotal  " not in one + two and "\nTotal  " in str(table)   # the totals row


def test_text_is_deterministic():
    a, b = (cl.summary(small_cnn(), (1, 28, 28)) for _ in range(2))
    assert str(a) == str(b) == repr(a)
    assert "0x" not in str(a) and " at " not in str(a)


def test_html_table():
    s = cl.summary(small_cnn(), (1, 28, 28))
    page = s._repr_html_()
    assert page.startswith("<table>") and page.count("<tr>") == len(s.rows) + 2
    assert "MACs (mult-adds)" in page and "FLOPs = 2 x MACs" in page
    assert page == cl.summary(small_cnn(), (1, 28, 28))._repr_html_()


@pytest.mark.parametrize("size", [0, (), (1, 0, 28), (1, -1), "28", (1, 2.5)])
def test_bad_input_size_names_the_parameter(size):
    with pytest.raises(ValueError, match="input_size"):
        cl.summary(small_cnn(), size)


# ----------------------------------------------------- hypothesis vs torch

layer = st.tuples(st.booleans(), st.integers(1, 3), st.integers(1, 3),
                  st.tuples(st.integers(1, 4), st.integers(1, 4)),
                  st.integers(1, 2), st.integers(0, 1))


@settings(max_examples=60)
@given(c_in=st.integers(1, 3), specs=st.lists(layer, min_size=1, max_size=3),
       i=st.tuples(st.integers(3, 10), st.integers(3, 10)))
def test_random_conv_stacks_match_torch(c_in, specs, i):
    g_in, layers, c = c_in, [], c_in
    for transposed, g, mult, k, s, p in specs:
        g = g if c % g == 0 else 1
        cls = nn.ConvTranspose2d if transposed else nn.Conv2d
        layers.append(cls(c, g * mult, k, stride=s, padding=p, groups=g))
        c = g * mult
    body = nn.Sequential(*layers)
    try:
        out = body(torch.zeros(1, g_in, *i))
    except RuntimeError:
        assume(False)
    assume(out.numel() > 0)
    model = nn.Sequential(body, nn.ReLU(), nn.Flatten(), nn.Linear(out.numel(), 3))
    check_against_torch(model, (g_in, *i))


# ------------------------------------- memory, receptive field, functional ops

class UpAndJoin(nn.Module):
    """A container whose forward runs functional ops: conv, interpolate, cat, add,
    a functional conv with its own weight, and a mean over H and W."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3, stride=2, padding=1)
        self.w = nn.Parameter(torch.ones(3, 6, 1, 1))

    def forward(self, x):
        y = nn.functional.interpolate(self.conv(x), scale_factor=2.0, mode="nearest")
        z = torch.cat((y, y), dim=1)                       # 6 channels
        z = nn.functional.conv2d(z, self.w) + y             # functional conv, residual add
        return z.mean([2, 3])


def test_functional_ops_get_rows_where_they_happen():
    model = UpAndJoin()
    s = check_against_torch(model, (2, 8, 8))
    assert [(r.name, r.type, r.kind) for r in s.rows] == [
        ("", "UpAndJoin", "module"), ("conv", "Conv2d", "module"),
        ("upsample_nearest2d", "aten.upsample_nearest2d", "op"), ("cat", "aten.cat", "op"),
        ("convolution", "aten.convolution", "op"), ("add", "aten.add", "op"),
        ("mean", "aten.mean", "op")]
    rows = {r.name: r for r in s.rows}
    assert rows["upsample_nearest2d"].output_shape == (1, 3, 8, 8)
    assert rows["cat"].output_shape == (1, 6, 8, 8)
    assert rows["convolution"].macs == cl.conv2d_macs(6, 3, 1, 8)   # counted as torch does
    assert rows["mean"].output_shape == (1, 3)
    assert dict(s.mac_ops) == {"aten.convolution": 2}
    assert {"aten.add", "aten.mean", "aten.upsample_nearest2d"} <= set(dict(s.arithmetic_ops))
    assert dict(s.data_ops)["aten.cat"] == 1   # a row (it joins branches), but no arithmetic
    text = str(s).replace("\n  ", " ")
    assert "Operators counted in MACs: aten.convolution x2." in text
    assert "aten.cat x1" in text and "aten.upsample_nearest2d x1" in text


def test_every_operator_is_tallied():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 2))
    s = cl.summary(model, (1, 4, 4))
    counted = dict(s.mac_ops)
    assert counted == {"aten.convolution": 1, "aten.addmm": 1}
    assert dict(s.arithmetic_ops) == {"aten.relu": 1}
    assert dict(s.data_ops)["aten.view"] >= 1 and "aten.t" in dict(s.data_ops)
    text = str(s).replace("\n  ", " ")
    assert "Operators ignored (data movement only, no arithmetic): " in text


def test_activation_and_parameter_memory():
    s = cl.summary(small_cnn(), (1, 28, 28))
    for row in s.rows:
        n = 1
        for d in row.output_shape:
            n *= d
        assert row.activation_bytes == 4 * n == 4 * torch.zeros(row.output_shape).numel()
    assert s.total_param_bytes == 4 * n_params(small_cnn())
    assert s.total_activation_bytes == sum(r.activation_bytes for r in s.rows)
    assert f"{s.total_param_bytes:,} B" in str(s)
    assert "Activations (B, fp32)" in str(s)


def test_receptive_field_columns_for_a_chain():
    model = small_cnn()[:8]   # conv, BN, ReLU, pool, twice (Flatten ends the field)
    s = cl.summary(model, (1, 28, 28))
    field = {r.name.split(": ")[0]: r for r in cl.receptive_field(model, (28, 28))}
    assert s.has_field and "RF size" in str(s) and "RF jump" in s._repr_html_()
    last = None
    for row in s.rows:
        if row.name in field:
            last = field[row.name]
        expected = (last.size, last.jump)
        assert (row.rf_size, row.rf_jump) == expected, row
    assert (s.rows[3].rf_size, s.rows[3].rf_jump) == (4, 2)   # conv 3 then pool 2
    assert (s.rows[6].rf_size, s.rows[6].rf_jump) == (8, 2)   # ReLU after the second conv


def test_receptive_field_absent_says_why():
    s = cl.summary(Bottleneck(), (64, 16, 16))
    if s.has_field:   # rf-graph's receptive_field handles any module: every conv has a field
        assert all(r.rf_size is not None for r in s.rows if r.type == "Conv2d")
    else:
        assert "RF size" not in str(s)
        assert "Receptive field: not shown (receptive_field cannot model" in str(s).replace(
            "\n  ", " ")
    off = cl.summary(small_cnn(), (1, 28, 28), field=False)
    assert not off.has_field and all(r.rf_size is None for r in off.rows)


@pytest.mark.parametrize("model", ["model", None, 3, torch.zeros(2)])
def test_bad_model_names_the_parameter(model):
    with pytest.raises(ValueError, match="`model` must be a torch.nn.Module"):
        cl.summary(model, (3, 8, 8))


def test_input_size_that_does_not_fit_names_the_parameter():
    with pytest.raises(ValueError, match="`input_size` \\(3, 28, 28\\) does not fit"):
        cl.summary(small_cnn(), (3, 28, 28))   # 3 channels into Conv2d(1, ...)
    with pytest.raises(ValueError, match="`dtype` must be a torch.dtype"):
        cl.summary(small_cnn(), (1, 28, 28), dtype="float32")


class ValueDependent(nn.Module):
    """A forward that reads values: no shapes-only (meta) pass is possible."""

    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Conv2d(1, 2, 3), nn.Conv2d(1, 2, 5, padding=1)

    def forward(self, x):
        return self.a(x) if x.sum() >= 0 else self.b(x)


def test_value_dependent_forward_falls_back_to_a_real_run():
    s = check_against_torch(ValueDependent(), (1, 9, 9))
    assert [(r.name, r.output_shape) for r in s.rows if r.kind == "module"] == [
        ("a", (1, 2, 7, 7)), ("b", None)]
    assert [r.type for r in s.rows if r.kind == "op"][:2] == ["aten.sum", "aten.ge"]


@pytest.mark.parametrize("name, size", [("resnet18", (3, 40, 56)), ("shufflenet_v2_x1_0",
                                                                    (3, 32, 32))])
def test_shapes_only_pass_equals_a_real_run(name, size):
    from convlib.counting._trace import trace_model
    from convlib.counting.summary import _formula_macs

    model = getattr(cl.zoo, name)().eval()
    rows = {n: m for n, m in model.named_modules() if not list(m.children())}
    x = torch.zeros(1, *size)
    meta = trace_model(model, x, rows, _formula_macs, shapes_only=True)
    real = trace_model(model, x, rows, _formula_macs)
    assert meta == real
    assert all(p.device.type == "cpu" for p in model.parameters())   # the model is untouched


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 4), length=st.integers(1, 9), d_in=st.integers(1, 12), d_out=st.integers(1, 12))
def test_linear_on_a_batch_of_sequences(n, length, d_in, d_out):
    """A Linear on (N, L, in) costs N·L·in·out MACs: the summary's one sample (L, in) times N."""
    layer = nn.Linear(d_in, d_out)
    with FlopCounterMode(display=False) as counter:
        layer(torch.zeros(n, length, d_in))
    assert n * cl.summary(layer, (length, d_in)).total_macs == counter.get_total_flops() // 2 \
        == n * length * d_in * d_out
    assert cl.summary(layer, (n, length, d_in)).total_macs == n * length * d_in * d_out
