"""The counter-based dropout mask of `pulptrain.dropout`, for the golden model.

The compiled op keeps element `i` (row-major index of the unbatched tensor)
of sample number `sample` when, in 32-bit unsigned arithmetic, with `mix`
MurmurHash3's 32-bit finalizer,

    key = mix(seed * 0x85EBCA77 + sample * 0x27D4EB2F)
    mix(i * 0x9E3779B1 + key) < round((1 - p) * 2^32)

(lib/Conversion/PulpTrainToLinalg/Elementwise.cpp). The training step
numbers its samples from its step counter: sample `b` of a mini-batch of
`B` at step `t` (counting from 0) is sample number `t * B + b`, so each
sample of each step draws a new mask, as PyTorch's dropout does. This
module computes the same draw, so PyTorch's reference applies exactly the
mask the device applies, and `apply` multiplies as PyTorch's dropout does
(by a noise of 0 or 1 / (1 - p)). `Dropout` is the module the golden
reference model puts in place of each dropout in training mode.
"""

import numpy as np
import torch

_M32 = 0xFFFFFFFF


def _mix(h):
    """MurmurHash3's fmix32 on a uint32 array (wrapping arithmetic)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def mask_key(seed, sample=0):
    """The 32-bit key of the mask of `sample` for a dropout of `seed`."""
    with np.errstate(over="ignore"):
        start = np.uint32((seed * 0x85EBCA77 + sample * 0x27D4EB2F) & _M32)
        return _mix(np.array([start], dtype=np.uint32))[0]


def keep_mask(shape, p, seed, sample=0):
    """A bool tensor of `shape`: the elements the op keeps for `sample`."""
    n = 1
    for d in shape:
        n *= int(d)
    if p == 0:
        return torch.ones(tuple(shape), dtype=torch.bool)
    with np.errstate(over="ignore"):
        h = np.arange(n, dtype=np.uint32) * np.uint32(0x9E3779B1)
        h = _mix(h + mask_key(seed, sample))
    threshold = round((1.0 - p) * 2.0 ** 32)
    keep = h.astype(np.uint64) < np.uint64(threshold)
    return torch.from_numpy(keep).reshape(tuple(shape))


def noise(shape, p, seed, dtype=torch.float64, sample=0):
    """The factor of every element: 1 / (1 - p) where kept, else 0."""
    scale = 1.0 / (1.0 - p) if p < 1 else 0.0
    return keep_mask(shape, p, seed, sample).to(dtype) * scale


def apply(x, p, seed, sample=0):
    """Dropout of an unbatched `x` with the op's mask for `sample`
    (autograd passes through the multiplication)."""
    return x * noise(x.shape, p, seed, x.dtype, sample)


class Dropout(torch.nn.Module):
    """Dropout in training mode with the device's masks: sample `b` of the
    batch [B, ...] it is given at training step `step` draws the mask of
    sample number `step * B + b`. The golden training run sets `step`
    before each step (set_step)."""

    def __init__(self, p, seed):
        super().__init__()
        self.p, self.seed, self.step = p, seed, 0

    def forward(self, x):
        b = x.shape[0]
        noise_ = torch.stack([
            noise(x.shape[1:], self.p, self.seed, x.dtype,
                  self.step * b + k) for k in range(b)])
        return x * noise_

    def extra_repr(self):
        return f"p={self.p}, seed={self.seed}, step={self.step}"


def set_step(model, step):
    """Sets the training step number of every Dropout of `model`."""
    for m in model.modules():
        if isinstance(m, Dropout):
            m.step = step
