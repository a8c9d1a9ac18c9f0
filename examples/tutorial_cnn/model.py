"""The PULP-TrainLib tutorial CNN as a PyTorch model, for pulptrain-import.

Conv2d 8->16 3x3 on an 8x8 input (no padding, no bias), ReLU, Flatten,
Linear 576->32 (no bias). Batch 1: INPUT_SHAPE is the unbatched CHW shape.

  tools/pulptrain-import examples/tutorial_cnn/model.py
  tools/pulptrain-import examples/tutorial_cnn/model.py \\
      --train-step --loss mse --lr 0.01

prints the forward model, respectively the training step the autodiff pass
derives from it (compare with train_step.mlir, written by hand).
"""

import torch.nn as nn

INPUT_SHAPE = (8, 8, 8)


class TutorialCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(8, 16, kernel_size=3, bias=False)
        self.relu = nn.ReLU()
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(16 * 6 * 6, 32, bias=False)

    def forward(self, x):
        x = self.relu(self.conv1(x))
        return self.fc(self.flatten(x))


def model():
    return TutorialCNN()
