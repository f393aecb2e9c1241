"""Chapter 01's exercise generators: answers right (torch), and 0 only rarely the answer."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convlib.convolution.drills import one_value_task


def _numbers(question: str) -> tuple[np.ndarray, np.ndarray, int]:
    win, ker, bias = question.split("; ")
    grid = lambda s: np.array([[float(v) for v in row.split()] for row in s.split(" rows ")[1].split(" / ")])
    return grid(win), grid(ker), int(bias.split("bias ")[1].split(".")[0])


def test_one_value_answer_is_torch_relu_conv():
    rng = np.random.default_rng(1)
    for _ in range(50):
        task = one_value_task(rng)
        win, ker, bias = _numbers(task["question"])
        out = F.relu(F.conv2d(torch.from_numpy(win)[None, None], torch.from_numpy(ker)[None, None],
                              torch.tensor([float(bias)], dtype=torch.float64)))
        assert task["answer"] == int(out.item())
        assert task["explanation"].endswith(f"= {task['answer']}")


@pytest.mark.parametrize("seed", [0, 3, 7])
def test_one_value_answer_is_rarely_zero(seed):
    rng = np.random.default_rng(seed)
    answers = [one_value_task(rng)["answer"] for _ in range(600)]
    share = np.mean(np.array(answers) == 0)
    assert 0.08 < share < 0.25, share           # about 1/6: ReLU is tested, 0 is no safe guess
    assert len(set(answers)) >= 5


def test_one_value_stored_variants_discriminate():
    rng = np.random.default_rng(1)                  # the notebook's seed; the page stores 6 draws
    answers = [one_value_task(rng)["answer"] for _ in range(6)]
    assert sum(a == 0 for a in answers) <= 1 and len(set(answers)) >= 5


def test_one_value_names_bad_share():
    with pytest.raises(ValueError, match="negative_share"):
        one_value_task(np.random.default_rng(0), negative_share=2)
