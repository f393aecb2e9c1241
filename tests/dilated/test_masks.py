"""convlib.dilated.masks: the polyphase view equals torch's dilated convolution."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convlib.dilated.masks import polyphase_conv2d


@pytest.mark.parametrize("h, w, k, d", [(9, 9, 3, 2), (10, 7, 3, (2, 3)), (5, 5, 3, 2),
                                          (12, 12, 2, 4), (8, 11, (3, 2), (3, 1))])
def test_polyphase_equals_torch_dilation(h, w, k, d):
    rng = np.random.default_rng(0)
    kh, kw = (k, k) if isinstance(k, int) else k
    x, wt = rng.normal(size=(2, 3, h, w)), rng.normal(size=(4, 3, kh, kw))
    want = F.conv2d(torch.from_numpy(x), torch.from_numpy(wt), dilation=d).numpy()
    np.testing.assert_allclose(polyphase_conv2d(x, wt, d), want, rtol=1e-10, atol=1e-12)


def test_polyphase_rejects_a_kernel_larger_than_the_input():
    with pytest.raises(ValueError, match="`dilation`"):
        polyphase_conv2d(np.zeros((1, 1, 4, 4)), np.zeros((1, 1, 3, 3)), 2)
    with pytest.raises(ValueError, match="`dilation`"):
        polyphase_conv2d(np.zeros((1, 1, 9, 9)), np.zeros((1, 1, 3, 3)), 0)
