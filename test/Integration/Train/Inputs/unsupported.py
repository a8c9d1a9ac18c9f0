# A model with a module the importer does not support (GroupNorm).
import torch.nn as nn

INPUT_SHAPE = (3, 8, 8)


class WithGroupNorm(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.bn = nn.GroupNorm(2, 4)

    def forward(self, x):
        return self.bn(self.conv(x)).flatten(1)


def model():
    return WithGroupNorm()
