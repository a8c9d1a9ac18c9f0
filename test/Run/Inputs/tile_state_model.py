"""A model whose training state would take the L1 its tiles need.

The state (a Linear's 128 KiB of FP16 weights) is more than L1 holds, so
pulptrain-run's default budgets give the tiles 16 KiB, less than the
smallest tile of its forward step: a row of the weights and the input
(an FP16 reduction is not tiled, test/Transforms/pulptrain-tile-l1.mlir).
The driver then gives the tiles what they need from the state
(test/Run/tile-budget.test).
"""

import torch.nn as nn

INPUT_SHAPE = (16384,)


class TileStateModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16384, 4, bias=False)

    def forward(self, x):
        return self.fc(x)


def model():
    return TileStateModel()
