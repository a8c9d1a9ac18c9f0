# Dropout in a mini-batch (issue 17): each sample of each step draws its
# own mask (sample number step * 3 + b), in an nn.Dropout module and an
# F.dropout call, in front of two trained layers.
import torch.nn as nn
import torch.nn.functional as F

INPUT_SHAPE = (3, 2, 6, 6)
LOSS = "mse"
LABEL = "randn"
LR = 0.05
MOMENTUM = 0.9


class DropoutBatch(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3, padding=1)
        self.drop = nn.Dropout(0.5)
        self.fc1 = nn.Linear(4 * 6 * 6, 16)
        self.fc2 = nn.Linear(16, 3)

    def forward(self, x):
        y = self.drop(F.relu(self.conv(x)))
        y = F.dropout(F.relu(self.fc1(y.flatten(1))), 0.25, self.training)
        return self.fc2(y)


def model():
    return DropoutBatch()
