"""Random seed 19, minimized (issue 12, fixed by bd0fad3), f32:
1x3x6: conv1 k1s1p0 maxpool k3s3p0; mse lr 0.01

Check it on the host and on the simulated cluster against PyTorch:
  python3 -m pulptrain.random_models check-file THIS_FILE
  python3 -m pulptrain.train_check --model-file THIS_FILE --dtype f32 --steps 3
  build/bin/pulptrain-run THIS_FILE --cores 8 --steps 3 --dtype f32
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_SHAPE = (1, 3, 6)
LOSS = 'mse'
LABEL = 'randn'
LR = 0.01
MOMENTUM = 0.0
WEIGHT_DECAY = 0.0
# The description the model was rendered from (for the minimizer).
RANDOM_MODEL = {'dtype': 'f32',
                'input': [1, 3, 6],
                'label': 'randn',
                'layers': [{'bias': False,
                            'groups': 1,
                            'k': 1,
                            'kind': 'conv',
                            'out': 1,
                            'pad': 0,
                            'stride': 1},
                           {'form': 'module',
                            'k': 3,
                            'kind': 'pool',
                            'op': 'max',
                            'pad': 0,
                            'stride': 3}],
                'loss': 'mse',
                'lr': 0.01,
                'momentum': 0.0,
                'origin': 'Random seed 19, minimized (issue 12, fixed by bd0fad3)',
                'seed': 19,
                'weight_decay': 0.0}


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv0 = nn.Conv2d(1, 1, 1, stride=1, padding=0, groups=1, bias=False)
        self.pool1 = nn.MaxPool2d(3, stride=3, padding=0)

    def forward(self, x):
        x = self.conv0(x)
        x = self.pool1(x)
        return x


def model():
    return Model()
