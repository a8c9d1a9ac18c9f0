"""Random seed 0, minimized (issue 12, fixed by bd0fad3), f32:
1x1x2: conv1 k1s1p0 conv1 k1s1p0 maxpool k1s1p0; mse lr 0.05

Check it on the host and on the simulated cluster against PyTorch:
  python3 -m pulptrain.random_models check-file THIS_FILE
  python3 -m pulptrain.train_check --model-file THIS_FILE --dtype f32 --steps 3
  build/bin/pulptrain-run THIS_FILE --cores 8 --steps 3 --dtype f32
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_SHAPE = (1, 1, 2)
LOSS = 'mse'
LABEL = 'randn'
LR = 0.05
MOMENTUM = 0.0
WEIGHT_DECAY = 0.0
# The description the model was rendered from (for the minimizer).
RANDOM_MODEL = {'dtype': 'f32',
                'input': [1, 1, 2],
                'label': 'randn',
                'layers': [{'bias': False,
                            'groups': 1,
                            'k': 1,
                            'kind': 'conv',
                            'out': 1,
                            'pad': 0,
                            'stride': 1},
                           {'bias': False,
                            'groups': 1,
                            'k': 1,
                            'kind': 'conv',
                            'out': 1,
                            'pad': 0,
                            'stride': 1},
                           {'form': 'module',
                            'k': 1,
                            'kind': 'pool',
                            'op': 'max',
                            'pad': 0,
                            'stride': 1}],
                'loss': 'mse',
                'lr': 0.05,
                'momentum': 0.0,
                'origin': 'Random seed 0, minimized (issue 12, fixed by bd0fad3)',
                'seed': 0,
                'weight_decay': 0.0}


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv0 = nn.Conv2d(1, 1, 1, stride=1, padding=0, groups=1, bias=False)
        self.conv1 = nn.Conv2d(1, 1, 1, stride=1, padding=0, groups=1, bias=False)
        self.pool2 = nn.MaxPool2d(1, stride=1, padding=0)

    def forward(self, x):
        x = self.conv0(x)
        x = self.conv1(x)
        x = self.pool2(x)
        return x


def model():
    return Model()
