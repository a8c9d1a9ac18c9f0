"""ResNet-8 of the MLPerf Tiny image-classification benchmark with
BatchNorm, as its reference trains it: every convolution but the 1x1
projections is followed by BatchNorm2d and has no bias.

3x32x32 input; stem conv 3->16 3x3, BatchNorm, ReLU; three residual blocks
of 16, 32 and 64 channels (conv, BatchNorm, ReLU, conv, BatchNorm, plus
the input or its 1x1 projection, ReLU; the second and third blocks stride
2); global average pooling; fc 64->10. Batch 1 (INPUT_SHAPE is the
unbatched CHW shape); BatchNorm in training mode uses the sample's
statistics. pulptrain-recompute computes each BatchNorm output and its
ReLU again from the convolution output for the backward pass instead of
keeping them (docs/Benchmarks.md, "Training memory").

  pulptrain-run examples/mlperf_tiny/resnet8_bn.py --loss cross_entropy
  bench/memory/run.sh   (peak memory, cycles and MAC/cycle)
"""

import torch.nn as nn
import torch.nn.functional as F

INPUT_SHAPE = (3, 32, 32)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1,
                               bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.proj = (nn.Conv2d(cin, cout, 1, stride=stride)
                     if stride != 1 or cin != cout else None)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        s = self.proj(x) if self.proj is not None else x
        return F.relu(y + s)


class ResNet8(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        self.b1 = Block(16, 16, 1)
        self.b2 = Block(16, 32, 2)
        self.b3 = Block(32, 64, 2)
        self.pool = nn.AvgPool2d(8)
        self.flat = nn.Flatten()
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.bn(self.stem(x)))
        x = self.b3(self.b2(self.b1(x)))
        return self.fc(self.flat(self.pool(x)))


def model():
    return ResNet8()
