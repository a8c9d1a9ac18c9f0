"""A convolution, an nn.MaxPool2d module and a Linear head: the pre-hook
that rounds a max-pool's input in the reference must keep the input's
type when the baseline computes in bf16 (test/Tools/torch-baseline.test)."""
import torch.nn as nn

INPUT_SHAPE = (1, 6, 6)
LOSS = 'mse'
LR = 0.05
MOMENTUM = 0.5


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(18, 3)

    def forward(self, x):
        x = self.pool(self.conv(x))
        return self.fc(x.flatten(1))


def model():
    return Model()
