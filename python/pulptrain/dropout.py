"""The counter-based dropout mask of `pulptrain.dropout`, for the golden model.

The compiled op keeps element `i` (row-major index of the unbatched tensor)
when `mix(i * 0x9E3779B1 + seed * 0x85EBCA77) < round((1 - p) * 2^32)` in
32-bit unsigned arithmetic, `mix` being MurmurHash3's 32-bit finalizer
(lib/Conversion/PulpTrainToLinalg/Elementwise.cpp). This module computes
the same draw, so PyTorch's reference applies exactly the mask the device
applies, and `apply` multiplies as PyTorch's dropout does (by a noise of 0
or 1 / (1 - p)).
"""

import numpy as np
import torch

_M32 = 0xFFFFFFFF


def keep_mask(shape, p, seed):
    """A bool tensor of `shape`: the elements the op keeps."""
    n = 1
    for d in shape:
        n *= int(d)
    if p == 0:
        return torch.ones(tuple(shape), dtype=torch.bool)
    with np.errstate(over="ignore"):
        h = np.arange(n, dtype=np.uint32) * np.uint32(0x9E3779B1)
        h = h + np.uint32((seed * 0x85EBCA77) & _M32)
        h ^= h >> np.uint32(16)
        h = h * np.uint32(0x85EBCA6B)
        h ^= h >> np.uint32(13)
        h = h * np.uint32(0xC2B2AE35)
        h ^= h >> np.uint32(16)
    threshold = round((1.0 - p) * 2.0 ** 32)
    keep = h.astype(np.uint64) < np.uint64(threshold)
    return torch.from_numpy(keep).reshape(tuple(shape))


def noise(shape, p, seed, dtype=torch.float64):
    """The factor of every element: 1 / (1 - p) where kept, else 0."""
    scale = 1.0 / (1.0 - p) if p < 1 else 0.0
    return keep_mask(shape, p, seed).to(dtype) * scale


def apply(x, p, seed):
    """Dropout of an unbatched `x` with the op's mask (autograd passes
    through the multiplication)."""
    return x * noise(x.shape, p, seed, x.dtype)


def apply_batched(x, p, seed):
    """`apply` on each sample of a batch [N, ...] (the golden training
    models run PyTorch with batch 1)."""
    return x * noise(x.shape[1:], p, seed, x.dtype)[None]
