"""A model file asking for Adam with amsgrad, which pulptrain does not
support: pulptrain-run rejects it."""
import torch.nn as nn

INPUT_SHAPE = (16,)
OPTIMIZER = "adam"
AMSGRAD = True


def model():
    return nn.Sequential(nn.Linear(16, 10))
