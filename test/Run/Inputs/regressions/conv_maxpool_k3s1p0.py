"""Issue 12: Conv2d(3, 8, 3, bias=False) -> MaxPool2d(3, stride=1, padding=0) -> Linear, f32:
3x10x10: conv8 k3s1p0 maxpool k3s1p0 flatten linear4b; mse lr 0.022

Check it on the host and on the simulated cluster against PyTorch:
  python3 -m pulptrain.random_models check-file THIS_FILE
  python3 -m pulptrain.train_check --model-file THIS_FILE --dtype f32 --steps 3
  build/bin/pulptrain-run THIS_FILE --cores 8 --steps 3 --dtype f32
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_SHAPE = (3, 10, 10)
LOSS = 'mse'
LABEL = 'randn'
LR = 0.022
MOMENTUM = 0.0
WEIGHT_DECAY = 0.0
# The description the model was rendered from (for the minimizer).
RANDOM_MODEL = {'dtype': 'f32',
                'input': [3, 10, 10],
                'label': 'randn',
                'layers': [{'bias': False,
                            'groups': 1,
                            'k': 3,
                            'kind': 'conv',
                            'out': 8,
                            'pad': 0,
                            'stride': 1},
                           {'form': 'module',
                            'k': 3,
                            'kind': 'pool',
                            'op': 'max',
                            'pad': 0,
                            'stride': 1},
                           {'form': 'module', 'kind': 'flatten'},
                           {'bias': True, 'kind': 'linear', 'out': 4}],
                'loss': 'mse',
                'lr': 0.022,
                'momentum': 0.0,
                'origin': 'Issue 12: Conv2d(3, 8, 3, bias=False) -> MaxPool2d(3, '
                          'stride=1, padding=0) -> Linear',
                'weight_decay': 0.0}


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv0 = nn.Conv2d(3, 8, 3, stride=1, padding=0, groups=1, bias=False)
        self.pool1 = nn.MaxPool2d(3, stride=1, padding=0)
        self.flatten2 = nn.Flatten()
        self.fc3 = nn.Linear(288, 4, bias=True)

    def forward(self, x):
        x = self.conv0(x)
        x = self.pool1(x)
        x = self.flatten2(x)
        x = self.fc3(x)
        return x


def model():
    return Model()
