"""The package's shape: a bare ``import convlib`` stays light, every public name of the
course resolves, one topic package per chapter, and no import cycle."""
from __future__ import annotations

import ast
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import convlib as cl

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "convlib"
HEAVY = ("torch", "matplotlib", "ipywidgets", "scipy", "IPython")
TOPICS = ("convolution", "sizes", "transposed", "dilated", "grouped", "receptive", "counting",
          "networks")

#: The public names ``cl.<name>`` that the chapters were written against (132 of them):
#: moving modules must never break one.
PUBLIC = (
    "ASPP_RATES", "AsppBranch", "BOTTLENECKS", "BatchNormParams", "CANONICAL_CASES",
    "CONV_MATRIX_MAX_BYTES", "Case", "ConvSpec", "ConvStep", "CounterComparison",
    "Counterpart", "DepthwiseSeparableCost", "Exercise", "FieldMap", "FlopCount",
    "GUIDE_CASES", "GraphFieldRow", "GroupedConvCost", "InputReach", "LAPLACIAN", "Layer",
    "LayerRow", "LearnedKernel", "ModelSummary", "OPS_MAX_BYTES", "OutputStrideRow",
    "ReceptiveFieldRow", "ReceptiveFieldTable", "SMALL_BACKBONE", "SOBEL_X", "SOBEL_Y",
    "Stage", "UncountedOp", "aspp_branches", "aspp_rates", "avg_pool2d", "backbone_model",
    "batchnorm_params", "bottleneck_block", "bottleneck_macs", "bounds_size", "box_kernel",
    "build_stack", "case_view", "causal_field", "causal_padding", "causal_stack",
    "central_share", "channel_groups", "channel_shuffle", "clip_bounds", "comet_kernel",
    "compare", "compare_counters", "conv2d", "conv2d_loops", "conv2d_macs", "conv2d_params",
    "conv_matrix", "conv_output_size", "conv_step", "conv_transpose2d",
    "conv_transpose2d_macs", "conv_transpose2d_params", "conv_transpose_output_size",
    "convolve2d", "count_flops", "depthwise_separable_block", "depthwise_separable_cost",
    "dilate_stages", "dilated_kernel_mask", "directions_view", "effective_kernel_size",
    "effective_receptive_field", "embedding_params", "empirical_receptive_field",
    "field_bounds", "field_inside", "field_state", "filter_image", "first_hole", "flip_kernel",
    "format_answer", "gaussian_kernel", "gradient_spread", "gridding_mask",
    "group_connectivity", "grouped_conv_cost", "grouped_cost_text", "gru_params", "hdc_rates",
    "hole_free", "im2col", "input_reach", "insert_zeros", "kernel_rank", "learn_kernel",
    "linear_macs", "linear_params", "lstm_params", "mask_bounds", "max_pool2d",
    "output_padding_for", "output_stride_row", "output_stride_table", "overlap_counts",
    "padding_regime", "pool_output_size", "receptive_field", "receptive_field_top_down",
    "rnn_params", "same_padding", "sample_image", "separable_cost_text",
    "separable_macs_ratio", "separate_kernel", "setup_notebook", "shift2d",
    "shuffle_permutation", "stacked_dependency", "summary", "tf_padding", "torch_stack",
    "transpose_as_conv", "transpose_input_sizes", "transposed_case", "transposed_counterpart",
    "uncounted_ops", "valid_tap_fraction", "wang_condition", "wang_max_distance",
    "wavenet_dilations",
)


def loaded_after(code: str) -> set[str]:
    """Top-level packages of `HEAVY` in ``sys.modules`` after running `code` in a fresh Python."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, env=env, cwd=ROOT).stdout
    return {m for m in json.loads(out.splitlines()[-1]) if m.split(".")[0] in HEAVY}


def test_bare_import_loads_no_heavy_library():
    assert loaded_after("import convlib") == set()


def test_a_topic_package_loads_no_heavy_library():
    assert loaded_after("import convlib as cl\ncl.receptive\ncl.sizes.windows") == set()


def test_pure_functions_load_no_heavy_library():
    code = ("import convlib as cl\ncl.conv_output_size(5, 3)\ncl.receptive_field([cl.Layer(3)])\n"
            "cl.conv2d_macs(3, 8, 3, output_size=8)")
    assert loaded_after(code) == set()


def test_draw_loads_matplotlib_but_not_torch():
    got = loaded_after("import convlib as cl\ncl.draw")
    assert any(m.startswith("matplotlib") for m in got)
    assert not any(m.startswith("torch") for m in got)


def test_the_public_names_the_chapters_use_are_all_still_there():
    assert len(PUBLIC) == 132 and set(PUBLIC) <= set(cl.__all__)


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_resolves_to_its_module(name):
    module = importlib.import_module(f"convlib.{cl._WHERE[name]}")
    assert getattr(cl, name) is getattr(module, name)
    assert name in getattr(module, "__all__", ()), f"{module.__name__}.__all__ lacks {name}"


def test_packages_resolve_as_attributes_and_dir_lists_them():
    listed = dir(cl)
    for name in cl._SUBMODULES:
        assert getattr(cl, name).__name__ == f"convlib.{name}"
        assert name in listed
    assert set(cl.__all__) <= set(listed)


@pytest.mark.parametrize("topic", TOPICS + ("exercises",))
def test_a_topic_package_reaches_each_of_its_modules(topic):
    package = getattr(cl, topic)
    files = sorted(p.stem for p in (PACKAGE / topic).glob("*.py") if p.stem != "__init__")
    assert sorted(package.__dir__()) == sorted(set(package.__dir__()))  # no duplicates
    for stem in files:
        assert getattr(package, stem).__name__ == f"convlib.{topic}.{stem}"


def test_each_chapter_topic_lines_up_across_the_tree():
    for topic in TOPICS:
        assert (PACKAGE / topic / "__init__.py").is_file(), topic
        assert (PACKAGE / "draw" / f"{topic}.py").is_file(), topic
        assert (ROOT / "tests" / topic).is_dir(), topic
    widgets = {p.stem for p in (PACKAGE / "widgets").glob("*.py")}
    assert widgets - {"__init__", "core", "exercise", "browser"} <= set(TOPICS)


def test_at_most_eight_plain_modules_at_the_top():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 8, top


def test_old_flat_module_paths_are_gone():
    for old in ("windows", "shapes", "receptive_graph", "field_stacks", "counter_tools"):
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(f"convlib.{old}")


def _imports(path: Path, name: str) -> set[str]:
    """Every convlib module that `path` (module `name`) imports, at any depth of its code."""
    is_pkg = path.name == "__init__.py"
    base = name.split(".") if is_pkg else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level:
                mod = ".".join(base[:len(base) - node.level + 1] + ([mod] if mod else []))
            found |= {mod} | {f"{mod}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {m for m in found if m.startswith("convlib.")}


def import_graph() -> dict[str, set[str]]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return {name: _imports(path, name) & set(names) - {name} for name, path in names.items()}


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` (a path that returns to its start), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(v: str) -> list[str] | None:
        state[v] = 1
        stack.append(v)
        for w in sorted(graph[v]):
            if state.get(w) == 1:
                return stack[stack.index(w):] + [w]
            if w not in state and (found := visit(w)):
                return found
        state[v] = 2
        stack.pop()
        return None
    for v in sorted(graph):
        if v not in state and (found := visit(v)):
            return found
    return None


def test_cycle_finder_finds_a_cycle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_between_modules():
    assert cycle(import_graph()) is None


def test_imports_flow_one_way_pure_then_draw_then_widgets():
    def layer(module: str) -> str:
        part = module.split(".")[1] if module.count(".") else ""
        return part if part in ("draw", "widgets", "web", "session") else "pure"
    may_import = {"pure": {"pure"}, "web": {"pure", "web"}, "draw": {"pure", "draw"},
                  "widgets": {"pure", "web", "draw", "widgets"}, "session": {"pure", "draw"}}
    for name, targets in import_graph().items():
        for t in targets:
            assert layer(t) in may_import[layer(name)], f"{name} imports {t}"


def test_topic_packages_depend_on_each_other_without_a_cycle():
    packages = {}
    for name, targets in import_graph().items():
        parts = name.split(".")
        if len(parts) > 2 and parts[1] in TOPICS + ("exercises", "zoo"):
            packages.setdefault(parts[1], set()).update(
                t.split(".")[1] for t in targets if t.split(".")[1] in TOPICS + ("exercises", "zoo"))
    assert cycle({p: deps - {p} for p, deps in packages.items()}) is None


def test_importing_a_module_named_like_a_function_keeps_the_function():
    import convlib.counting.summary  # noqa: F401  (binds the module on convlib.counting)
    assert callable(cl.summary) and cl.summary.__module__ == "convlib.counting.summary"


def test_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        cl.no_such_name
    with pytest.raises(AttributeError, match="no_such_module"):
        cl.sizes.no_such_module
