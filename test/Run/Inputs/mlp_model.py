"""A model file for pulptrain-run (and tools/pulptrain-import): a small MLP
with biases, trained with cross-entropy against one-hot labels and SGD with
momentum."""
import torch.nn as nn

INPUT_SHAPE = (16,)
LOSS = "cross_entropy"
LABEL = "onehot"
LR = 0.1
MOMENTUM = 0.9


def model():
    return nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 10))
