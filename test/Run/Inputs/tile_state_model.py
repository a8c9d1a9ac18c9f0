"""A model whose training state would take the L1 its tiles need.

The state (a 1x1 convolution's 16 KiB and a Linear's 62.5 KiB of weights)
takes most of L1, so pulptrain-run's default budgets leave the tiles 16 KiB,
less than the smallest tile of the convolution's steps: the driver gives
the tiles what they need from the state (test/Run/tile-budget.test).
"""

import torch.nn as nn

INPUT_SHAPE = (64, 25, 5)


class TileStateModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.pw = nn.Conv2d(64, 64, 1, bias=False)
        self.relu = nn.ReLU()
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(64 * 25 * 5, 2, bias=False)

    def forward(self, x):
        return self.fc(self.flatten(self.relu(self.pw(x))))


def model():
    return TileStateModel()
