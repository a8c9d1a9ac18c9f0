# A model with a module the importer does not support (BatchNorm2d).
import torch.nn as nn

INPUT_SHAPE = (3, 8, 8)


class WithBatchNorm(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.bn = nn.BatchNorm2d(4)

    def forward(self, x):
        return self.bn(self.conv(x)).flatten(1)


def model():
    return WithBatchNorm()
