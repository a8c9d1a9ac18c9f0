"""ResNet-8 of the MLPerf Tiny image-classification benchmark, for training.

3x32x32 input; stem conv 3->16 3x3; three residual blocks of 16, 32 and 64
channels (two 3x3 convolutions; the second and third blocks stride 2 with a
1x1 projection); global average pooling; fc 64->10. 77,706 parameters,
batch 1 (INPUT_SHAPE is the unbatched CHW shape). The reference trains it
with BatchNorm; this variant has biases instead, as in issue 18.

  pulptrain-run examples/mlperf_tiny/resnet8.py --loss cross_entropy
  bench/memory/run.sh   (peak memory, cycles and MAC/cycle of both models)
"""

import torch.nn as nn
import torch.nn.functional as F

INPUT_SHAPE = (3, 32, 32)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.proj = (nn.Conv2d(cin, cout, 1, stride=stride)
                     if stride != 1 or cin != cout else None)

    def forward(self, x):
        y = F.relu(self.conv1(x))
        y = self.conv2(y)
        s = self.proj(x) if self.proj is not None else x
        return F.relu(y + s)


class ResNet8(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        self.b1 = Block(16, 16, 1)
        self.b2 = Block(16, 32, 2)
        self.b3 = Block(32, 64, 2)
        self.pool = nn.AvgPool2d(8)
        self.flat = nn.Flatten()
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.stem(x))
        x = self.b3(self.b2(self.b1(x)))
        return self.fc(self.flat(self.pool(x)))


def model():
    return ResNet8()
