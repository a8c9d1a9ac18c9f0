# A small model exercising the importer's module and function forms: conv
# with stride/padding/bias, depthwise conv, instance norm (eps), leaky relu,
# max/avg pooling, a residual add, view(x.size(0), -1), linear, softmax,
# sigmoid, tanh and F.relu. fc.bias is set to [1, -2, 0.5, 0.25] so that the
# test can check the hexadecimal init_params encoding.
import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_SHAPE = (2, 8, 8)


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3, stride=2, padding=1)
        self.dw = nn.Conv2d(4, 4, 3, padding=1, groups=4, bias=False)
        self.norm = nn.InstanceNorm2d(4, affine=True, eps=1e-3)
        self.act = nn.LeakyReLU(0.2)
        self.pool = nn.MaxPool2d(2)
        self.avg = nn.AvgPool2d(2, stride=1)
        self.fc = nn.Linear(4 * 1 * 1, 4)
        with torch.no_grad():
            self.fc.bias.copy_(torch.tensor([1.0, -2.0, 0.5, 0.25]))

    def forward(self, x):
        y = torch.tanh(self.conv(x))
        y = self.act(self.norm(self.dw(y))) + y
        y = self.avg(self.pool(F.relu(y)))
        y = y.view(y.size(0), -1)
        return torch.sigmoid(F.softmax(self.fc(y), dim=1))


def model():
    return Small()
