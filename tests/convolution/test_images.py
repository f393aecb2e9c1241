"""convlib.convolution.images: the shipped photo (against torch's average pooling), filtering against
scipy and torch (cross-correlation vs convolution), and the learned Sobel kernel."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage

import convlib as cl
from convlib.convolution import images


def test_sample_image_full_and_downscaled_against_avg_pool():
    full = cl.sample_image(gray=False)
    assert full.shape == (600, 512, 3) and 0 <= full.min() and full.max() <= 1
    gray = cl.sample_image()
    np.testing.assert_allclose(gray, full @ [0.299, 0.587, 0.114])
    for n in (64, 100, 37):
        m = 512 // n
        top, left = (600 - n * m) // 2, (512 - n * m) // 2
        crop = torch.from_numpy(full[top:top + n * m, left:left + n * m]).permute(2, 0, 1)
        want = F.avg_pool2d(crop[None], m)[0].permute(1, 2, 0).numpy()
        np.testing.assert_allclose(cl.sample_image(n, gray=False), want, rtol=1e-12)
        np.testing.assert_array_equal(cl.sample_image(n), cl.sample_image(n))


@settings(max_examples=100)
@given(h=st.integers(1, 9), w=st.integers(1, 9), kh=st.sampled_from([1, 3, 5]),
       kw=st.sampled_from([1, 3]), seed=st.integers(0, 2**16))
def test_filter_image_is_scipys_correlate_and_convolve(h, w, kh, kw, seed):
    rng = np.random.default_rng(seed)
    x, k = rng.normal(size=(h, w)), rng.normal(size=(kh, kw))
    np.testing.assert_allclose(cl.filter_image(x, k), ndimage.correlate(x, k, mode="nearest"),
                               atol=1e-12)
    np.testing.assert_allclose(cl.filter_image(x, k, flip=True),
                               ndimage.convolve(x, k, mode="nearest"), atol=1e-12)
    padded = F.pad(torch.from_numpy(x)[None, None], (kw // 2,) * 2 + (kh // 2,) * 2,
                   mode="replicate")
    torch.testing.assert_close(torch.from_numpy(cl.filter_image(x, k)),
                               F.conv2d(padded, torch.from_numpy(k)[None, None])[0, 0])


def test_the_comet_makes_the_flip_visible_on_the_photo():
    photo = cl.sample_image(64)
    comet = cl.comet_kernel(9)
    corr, conv = cl.filter_image(photo, comet), cl.filter_image(photo, comet, flip=True)
    assert np.abs(corr - conv).mean() > 0.02          # visibly different pictures
    np.testing.assert_allclose(conv, cl.filter_image(photo, comet[::-1, ::-1]))
    # an impulse shows the kernel itself: flipped under cross-correlation
    x = np.zeros((11, 11))
    x[5, 5] = 1
    np.testing.assert_allclose(cl.filter_image(x, comet)[1:10, 1:10], comet[::-1, ::-1])
    np.testing.assert_allclose(cl.filter_image(x, comet, flip=True)[1:10, 1:10], comet)
    sym = cl.gaussian_kernel(5, 1.2)
    np.testing.assert_allclose(cl.filter_image(photo, sym), cl.filter_image(photo, sym, flip=True))


def test_named_kernels():
    ramp = np.tile(np.arange(6.0), (6, 1))           # brighter to the right
    assert np.allclose(cl.filter_image(ramp, cl.SOBEL_X)[1:-1, 1:-1], 8.0)
    assert np.allclose(cl.filter_image(ramp, cl.SOBEL_Y), 0.0)
    assert np.allclose(cl.filter_image(ramp, cl.LAPLACIAN)[1:-1, 1:-1], 0.0)
    assert cl.box_kernel(5).sum() == pytest.approx(1) and cl.gaussian_kernel(7, 2).sum() == pytest.approx(1)


@pytest.mark.parametrize("target", ["SOBEL_X", "SOBEL_Y", "LAPLACIAN"])
def test_learn_kernel_recovers_the_filter(target):
    w_star = getattr(images, target)
    photo = cl.sample_image(32)
    r = cl.learn_kernel(photo, w_star, steps=250, seed=1)
    assert r.error < 1e-3 and r.error == pytest.approx(np.abs(r.kernel - w_star).max())
    assert len(r.losses) == 250 and r.losses[-1] < 1e-6 * r.losses[0]
    again = cl.learn_kernel(photo, w_star, steps=250, seed=1)
    np.testing.assert_array_equal(r.kernel, again.kernel)        # deterministic
    x = torch.from_numpy(photo)[None, None]
    torch.testing.assert_close(F.conv2d(x, torch.from_numpy(r.kernel)[None, None]),
                               F.conv2d(x, torch.from_numpy(w_star)[None, None]), atol=1e-2, rtol=0)


def test_few_steps_do_not_converge():
    assert cl.learn_kernel(cl.sample_image(32), steps=5).error > 1e-2


@pytest.mark.parametrize("call, name", [
    (lambda: cl.sample_image(0), "size"),
    (lambda: cl.sample_image(513), "size"),
    (lambda: cl.sample_image(8, gray=1), "gray"),
    (lambda: cl.gaussian_kernel(0), "size"),
    (lambda: cl.gaussian_kernel(3, 0), "sigma"),
    (lambda: cl.comet_kernel(0), "size"),
    (lambda: cl.box_kernel(0), "size"),
    (lambda: cl.filter_image(np.ones(3), cl.SOBEL_X), "image"),
    (lambda: cl.filter_image(np.ones((4, 4)), np.ones((2, 2))), "kernel"),
    (lambda: cl.learn_kernel(np.ones((8, 8))), "image"),
    (lambda: cl.learn_kernel(np.eye(4), np.ones((5, 5))), "target_kernel"),
    (lambda: cl.learn_kernel(np.eye(4), steps=0), "steps"),
    (lambda: cl.learn_kernel(np.eye(4), lr=0), "lr"),
    (lambda: cl.learn_kernel(np.eye(4), momentum=1), "momentum"),
])
def test_errors_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        call()
