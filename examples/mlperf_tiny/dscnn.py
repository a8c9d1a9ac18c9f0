"""DS-CNN of the MLPerf Tiny keyword-spotting benchmark, for training.

1x49x10 input (MFCC features); conv 1->64 10x4 stride 2; four
depthwise-separable blocks of 64 channels (3x3 depthwise, 1x1 pointwise,
each followed by ReLU); average pooling over the 25x5 map; fc 64->12.
22,604 parameters, batch 1. The reference trains it with BatchNorm; this
variant has biases instead, as in issue 18.

  pulptrain-run examples/mlperf_tiny/dscnn.py --loss cross_entropy
  bench/memory/run.sh   (peak memory, cycles and MAC/cycle of both models)
"""

import torch.nn as nn
import torch.nn.functional as F

INPUT_SHAPE = (1, 49, 10)


class DSCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 64, (10, 4), stride=2, padding=(5, 1))
        self.dw = nn.ModuleList(
            [nn.Conv2d(64, 64, 3, padding=1, groups=64) for _ in range(4)])
        self.pw = nn.ModuleList([nn.Conv2d(64, 64, 1) for _ in range(4)])
        self.pool = nn.AvgPool2d((25, 5))
        self.flat = nn.Flatten()
        self.fc = nn.Linear(64, 12)

    def forward(self, x):
        x = F.relu(self.conv(x))
        for d, p in zip(self.dw, self.pw):
            x = F.relu(p(F.relu(d(x))))
        return self.fc(self.flat(self.pool(x)))


def model():
    return DSCNN()
