# BatchNorm2d forms the importer rejects (test/Integration/Train/import-errors.test)
# and one it imports (EvalTrainable, import-forward.test).
import torch.nn as nn

INPUT_SHAPE = (3, 8, 8)


class CumulativeAverage(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.bn = nn.BatchNorm2d(4, momentum=None)

    def forward(self, x):
        return self.bn(self.conv(x)).flatten(1)


class EvalTrainable(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.bn = nn.BatchNorm2d(4)
        self.eval()

    def forward(self, x):
        x = self.conv(x).relu()
        return self.bn(x).flatten(1)


class OnePixel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 8)
        self.bn = nn.BatchNorm2d(4)

    def forward(self, x):
        return self.bn(self.conv(x)).flatten(1)


class OnVector(nn.Module):
    def __init__(self):
        super().__init__()
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(192, 4)

    def forward(self, x):
        return self.bn(self.fc(x.flatten(1)))
