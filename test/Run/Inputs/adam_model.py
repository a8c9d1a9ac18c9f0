"""A model file for pulptrain-run: a small MLP with biases, trained with
cross-entropy and torch.optim.Adam (OPTIMIZER, BETAS, EPS)."""
import torch.nn as nn

INPUT_SHAPE = (16,)
LOSS = "cross_entropy"
LABEL = "onehot"
LR = 0.01
OPTIMIZER = "adam"
BETAS = (0.9, 0.99)
EPS = 1e-6
WEIGHT_DECAY = 1e-3


def model():
    return nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 10))
