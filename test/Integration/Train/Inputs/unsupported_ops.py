# Models using forms of the issue-17 constructs the importer rejects, one
# class each (pulptrain-import --class NAME).
import torch
import torch.nn as nn

INPUT_SHAPE = (16,)


class TensorProduct(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        y = self.fc(x)
        return y * torch.sigmoid(y)


class NumberMinusTensor(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        return 1.0 - self.fc(x)


class TensorMinusTensor(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        y = self.fc(x)
        return y - torch.tanh(y)


class Clamp11(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 4)
        self.act = nn.Hardtanh(-1.0, 1.0)

    def forward(self, x):
        return self.act(self.fc(x))



class ScaleInf(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc(x).mul(float("inf"))
