"""MobileNetV1-0.25 on 3x32x32 (issue 17's compile-time model): a 3x3
stride-2 stem and 13 depthwise-separable blocks (depthwise 3x3 + ReLU,
pointwise 1x1 + ReLU) with MobileNetV1's widths times 0.25 and strides
adapted to 32x32 (16x16 after the stem, 1x1 after the last stride), global
average pooling and a 10-class classifier. No BatchNorm (not imported yet).

  tools/pulptrain-import examples/mobilenet_v1/model.py --train-step \\
      --loss cross_entropy --lr 0.01
  build/bin/pulptrain-run examples/mobilenet_v1/model.py --emit obj
"""

import torch.nn as nn

INPUT_SHAPE = (3, 32, 32)
LOSS = "cross_entropy"
LABEL = "onehot"
LR = 0.01

# (output channels at width 1.0, stride) of the 13 blocks.
BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
          (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2),
          (1024, 1)]
WIDTH = 0.25


def block(cin, cout, stride):
    return [nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False),
            nn.ReLU(),
            nn.Conv2d(cin, cout, 1, bias=False),
            nn.ReLU()]


def model():
    cin = int(32 * WIDTH)
    layers = [nn.Conv2d(3, cin, 3, 2, 1, bias=False), nn.ReLU()]
    for cout, stride in BLOCKS:
        cout = int(cout * WIDTH)
        layers += block(cin, cout, stride)
        cin = cout
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, 10)]
    return nn.Sequential(*layers)
