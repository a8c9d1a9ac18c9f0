"""Random seed 63 (and 72), minimized: the training step wrote into the frozen fc2.bias input (fixed by pulptrain-read-only-arguments), f32:
1x1x1: flatten linear1 linear1b*; mse lr 0.1

Check it on the host and on the simulated cluster against PyTorch:
  python3 -m pulptrain.random_models check-file THIS_FILE
  python3 -m pulptrain.train_check --model-file THIS_FILE --dtype f32 --steps 3
  build/bin/pulptrain-run THIS_FILE --cores 8 --steps 3 --dtype f32
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_SHAPE = (1, 1, 1)
LOSS = 'mse'
LABEL = 'randn'
LR = 0.1
MOMENTUM = 0.0
WEIGHT_DECAY = 0.0
TRAINABLE = ['fc1']
# The description the model was rendered from (for the minimizer).
RANDOM_MODEL = {'dtype': 'f32',
                'input': [1, 1, 1],
                'label': 'randn',
                'layers': [{'form': 'module', 'kind': 'flatten'},
                           {'bias': False,
                            'frozen': False,
                            'kind': 'linear',
                            'out': 1},
                           {'bias': True, 'frozen': True, 'kind': 'linear', 'out': 1}],
                'loss': 'mse',
                'lr': 0.1,
                'momentum': 0.0,
                'origin': 'random seed 63 (and 72), minimized: the training '
                          'step writes into the frozen fc2.bias input',
                'seed': 63,
                'weight_decay': 0.0}


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten0 = nn.Flatten()
        self.fc1 = nn.Linear(1, 1, bias=False)
        self.fc2 = nn.Linear(1, 1, bias=True)

    def forward(self, x):
        x = self.flatten0(x)
        x = self.fc1(x)
        x = self.fc2(x)
        return x


def model():
    return Model()
