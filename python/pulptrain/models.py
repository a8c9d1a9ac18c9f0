"""Models of the golden training tests (issue #4) and their training setups.

Each ModelSpec builds a fresh `nn.Module` (initialized from the global torch
seed) and fixes the input shape (unbatched), the loss, the label kind and the
SGD hyper-parameters. Together the models use every module of issue #4
(Conv2d, Linear, ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, MaxPool2d,
AvgPool2d, InstanceNorm2d, Flatten, residual `+`) and several functional
forms:

  tutorial_cnn  Conv2d (no bias), ReLU, Flatten, Linear (no bias); MSE
  mlp           Linear (bias), ReLU; cross-entropy, SGD with momentum and
                weight decay (the gradient check of the f16/bf16 runs)
  dscnn         Conv2d stride 2 pad 1, depthwise + pointwise blocks, ReLU,
                AvgPool2d, Flatten; cross-entropy
  dscnn_sparse  dscnn with only its last two layers trainable
  residual      Conv2d, InstanceNorm2d, LeakyReLU (module and F.leaky_relu),
                residual `+`, AvgPool2d with padding, torch.flatten; MSE,
                SGD with momentum and weight decay
  lenet         Tanh, MaxPool2d, F.max_pool2d, torch.sigmoid, Softmax;
                MSE against one-hot labels, SGD with momentum and weight decay
  mobile        ReLU6, Hardswish, F.hardsigmoid, F.relu6, `x * c`, `x + c`,
                `x - c`, Dropout and F.dropout in training mode (issue #17);
                cross-entropy, SGD with momentum
  pools         Conv2d with dilation 2, MaxPool2d and AvgPool2d with
                ceil_mode, count_include_pad
                False, F.adaptive_avg_pool2d with windows of different
                sizes, InstanceNorm2d without affine (issue #17); MSE, SGD
                with momentum
  bnnet         Conv2d -> BatchNorm2d -> ReLU twice, BatchNorm2d in
                training mode (batch statistics, running statistics as
                training state; the second without affine), Linear
                (issue #17); MSE, SGD with momentum
  bn_eval       a pretrained network fine-tuned in eval mode: a frozen
                Conv2d -> BatchNorm2d folded into the convolution at
                import, MaxPool2d, a frozen BatchNorm2d as a per-channel
                scale and shift, a Conv2d 1x1 and a BatchNorm2d whose
                weight and bias train (issue #17); cross-entropy
  minibatch     the dscnn-style convolutions and pooling on a mini-batch of
                4 samples (INPUT_SHAPE (4, C, H, W)): the mean loss of the
                batch, gradients accumulated over its samples, one update
                per step (issue #17); cross-entropy, SGD with momentum and
                weight decay
  tutorial_nesterov
                tutorial_cnn trained with SGD with Nesterov momentum and
                weight decay (issue #17; the fc weight gradient fused into
                its update)
"""

from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


class TutorialCNN(nn.Module):
    """The PULP-TrainLib tutorial CNN (examples/tutorial_cnn)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(8, 16, 3, bias=False)
        self.relu = nn.ReLU()
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(16 * 6 * 6, 32, bias=False)

    def forward(self, x):
        return self.fc(self.flatten(self.relu(self.conv1(x))))


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 128)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc2(self.relu(self.fc1(x)))


class DSCNN(nn.Module):
    """A depthwise-separable CNN: 3x16x16 -> 16x8x8 -> 16x8x8 -> 32x8x8 ->
    32x2x2 -> 10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.relu1 = nn.ReLU()
        self.dw1 = nn.Conv2d(16, 16, 3, padding=1, groups=16, bias=False)
        self.pw1 = nn.Conv2d(16, 16, 1)
        self.relu2 = nn.ReLU()
        self.dw2 = nn.Conv2d(16, 16, 3, padding=1, groups=16, bias=False)
        self.pw2 = nn.Conv2d(16, 32, 1)
        self.relu3 = nn.ReLU()
        self.pool = nn.AvgPool2d(4)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(32 * 2 * 2, 10)

    def forward(self, x):
        x = self.relu1(self.conv1(x))
        x = self.relu2(self.pw1(self.dw1(x)))
        x = self.relu3(self.pw2(self.dw2(x)))
        return self.fc(self.flatten(self.pool(x)))


def dscnn_sparse():
    """DSCNN with only its last two layers (pw2, fc) trainable."""
    m = DSCNN()
    for name, p in m.named_parameters():
        p.requires_grad = name.startswith(("pw2.", "fc."))
    return m


class ResidualBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.norm1 = nn.InstanceNorm2d(c, affine=True)
        self.act = nn.LeakyReLU(0.1)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.norm2 = nn.InstanceNorm2d(c, affine=True, eps=1e-3)

    def forward(self, x):
        out = self.act(self.norm1(self.conv1(x)))
        out = self.norm2(self.conv2(out))
        return F.leaky_relu(out + x, 0.1)


class Residual(nn.Module):
    """A stem convolution, one residual block with instance norms, average
    pooling (3x3, stride 2, padding 1) and a linear head: 3x8x8 -> 8x8x8 ->
    8x4x4 -> 6."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.stem_act = nn.LeakyReLU(0.1)
        self.block = ResidualBlock(8)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1)
        self.fc = nn.Linear(8 * 4 * 4, 6)

    def forward(self, x):
        x = self.stem_act(self.stem(x))
        x = self.block(x)
        return self.fc(torch.flatten(self.pool(x), 1))


class LeNet(nn.Module):
    """1x12x12 -> conv 5x5 pad 2 -> tanh -> maxpool -> conv 3x3 -> sigmoid
    -> maxpool -> linear -> softmax."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 5, padding=2)
        self.tanh = nn.Tanh()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(4, 8, 3)
        self.fc = nn.Linear(8 * 2 * 2, 10)
        self.softmax = nn.Softmax(dim=1)

    def forward(self, x):
        x = self.pool1(self.tanh(self.conv1(x)))
        x = F.max_pool2d(torch.sigmoid(self.conv2(x)), 2)
        return self.softmax(self.fc(x.flatten(1)))


class LeNet5(nn.Module):
    """LeNet-5 (issue 17's speed target): 1x28x28 -> conv 5x5 pad 2 (6) ->
    tanh -> maxpool 2 -> conv 5x5 (16) -> sigmoid -> avgpool 2 ->
    linear 400 -> 120 -> ReLU -> linear 120 -> 10 (cross-entropy)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.pool2 = nn.AvgPool2d(2)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 10)

    def forward(self, x):
        x = self.pool1(torch.tanh(self.conv1(x)))
        x = self.pool2(torch.sigmoid(self.conv2(x)))
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


class MobileBlocks(nn.Module):
    """MobileNetV2/V3-style blocks: 3x8x8 -> conv 3x3 stride 2 + ReLU6 ->
    8x4x4 -> depthwise 3x3 + Hardswish -> pointwise 1x1 -> a
    Hardsigmoid gate scaled and shifted by numbers -> Dropout ->
    Linear -> F.dropout (both in training mode) -> Linear."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.act1 = nn.ReLU6()
        self.dw = nn.Conv2d(8, 8, 3, padding=1, groups=8, bias=False)
        self.act2 = nn.Hardswish()
        self.pw = nn.Conv2d(8, 8, 1)
        self.drop = nn.Dropout(0.25)
        self.fc1 = nn.Linear(8 * 4 * 4, 16)
        self.fc2 = nn.Linear(16, 6)

    def forward(self, x):
        x = self.act1(self.conv1(x))
        x = self.pw(self.act2(self.dw(x)))
        x = F.hardsigmoid(x * 2.0 - 1.0) + 0.5
        x = self.drop(x).flatten(1)
        x = F.dropout(F.relu6(self.fc1(x)), 0.5)
        return self.fc2(x)


class Pools(nn.Module):
    """Dilation, pooling options and non-affine normalization: 2x12x11 ->
    conv 3x3 dilation 2 p2 -> InstanceNorm2d without affine -> MaxPool2d 3/2 ceil_mode (6x5,
    not 5x5) -> ReLU -> AvgPool2d 3/2 p1 ceil_mode count_include_pad=False
    (4x3) -> pointwise conv -> F.adaptive_avg_pool2d to 3x2 (windows of
    different sizes) -> Linear."""

    def __init__(self):
        super().__init__()
        # No bias: the normalization removes it (its gradient is 0).
        self.conv1 = nn.Conv2d(2, 4, 3, padding=2, dilation=2, bias=False)
        self.norm = nn.InstanceNorm2d(4)
        self.pool1 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.pool2 = nn.AvgPool2d(3, 2, padding=1, ceil_mode=True,
                                  count_include_pad=False)
        self.pw = nn.Conv2d(4, 6, 1)
        self.fc = nn.Linear(6 * 3 * 2, 5)

    def forward(self, x):
        x = F.relu(self.pool1(self.norm(self.conv1(x))))
        x = self.pw(self.pool2(x))
        return self.fc(F.adaptive_avg_pool2d(x, (3, 2)).flatten(1))


class BNNet(nn.Module):
    """Conv-BN-ReLU blocks with BatchNorm2d in training mode: 3x8x8 ->
    conv 3x3 p1 (8) -> BN (momentum 0.2) -> ReLU -> conv 3x3 s2 p1 (8,
    4x4) -> BN without affine (eps 1e-3) -> ReLU -> Linear 128 -> 6."""

    def __init__(self):
        super().__init__()
        # No biases: the normalization removes them (their gradient is 0).
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8, momentum=0.2)
        self.conv2 = nn.Conv2d(8, 8, 3, stride=2, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(8, eps=1e-3, affine=False)
        self.fc = nn.Linear(8 * 4 * 4, 6)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        return self.fc(x.flatten(1))


def bn_eval():
    """A pretrained network fine-tuned in eval mode, its BatchNorm2d layers
    with running statistics away from 0 and 1: 3x8x8 -> conv 3x3 p1 (6,
    frozen) -> BN (frozen: folded into the conv) -> ReLU -> MaxPool 2 -> BN
    (frozen, no convolution before it: scale and shift) -> conv 1x1 (6)
    -> BN (weight and bias trained) -> ReLU -> Linear 96 -> 5; conv2, bn3
    and fc train."""
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 6, 3, padding=1)
            self.bn1 = nn.BatchNorm2d(6)
            self.pool = nn.MaxPool2d(2)
            self.bn2 = nn.BatchNorm2d(6)
            self.conv2 = nn.Conv2d(6, 6, 1, bias=False)
            self.bn3 = nn.BatchNorm2d(6)
            self.fc = nn.Linear(6 * 4 * 4, 5)

        def forward(self, x):
            x = self.pool(F.relu(self.bn1(self.conv(x))))
            x = F.relu(self.bn3(self.conv2(self.bn2(x))))
            return self.fc(x.flatten(1))

    net = Net()
    with torch.no_grad():
        for bn in (net.bn1, net.bn2, net.bn3):
            bn.running_mean.copy_(torch.randn(6) * 0.3)
            bn.running_var.copy_(torch.rand(6) + 0.5)
            bn.weight.copy_(torch.rand(6) + 0.5)
            bn.bias.copy_(torch.randn(6) * 0.2)
    return net.eval()


class MiniBatchNet(nn.Module):
    """Conv 3x3 s2 p1 -> ReLU -> depthwise 3x3 p1 -> pointwise -> ReLU ->
    AvgPool2d 2 -> Linear, trained on mini-batches of 4 (3x8x8 samples)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.dw = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.pw = nn.Conv2d(8, 8, 1)
        self.pool = nn.AvgPool2d(2)
        self.fc = nn.Linear(8 * 2 * 2, 5)

    def forward(self, x):
        x = F.relu(self.conv(x))
        x = self.pool(F.relu(self.pw(self.dw(x))))
        return self.fc(x.flatten(1))


@dataclass
class ModelSpec:
    name: str
    build: object          # () -> nn.Module
    input_shape: tuple     # unbatched, or (B, C, H, W): a mini-batch
    loss: str              # "mse" | "cross_entropy"
    label: str             # "randn" (MSE targets) | "onehot"
    lr: float
    momentum: float = 0.0
    weight_decay: float = 0.0
    trainable: list = None  # layer names overriding requires_grad
    nesterov: bool = False  # SGD with Nesterov momentum
    optimizer: str = "sgd"  # or "adam": torch.optim.Adam(lr, betas, eps)
    betas: tuple = (0.9, 0.999)
    eps: float = 1e-8
    # Element type of the saved activations: "model", or "f16"/"bf16" in
    # an f32 model (golden_train.saved_activations).
    saved_activations: str = "model"


MODELS = {s.name: s for s in [
    ModelSpec("tutorial_cnn", TutorialCNN, (8, 8, 8), "mse", "randn", 0.05),
    ModelSpec("mlp", MLP, (64,), "cross_entropy", "onehot", 0.05,
              momentum=0.9, weight_decay=1e-4),
    ModelSpec("dscnn", DSCNN, (3, 16, 16), "cross_entropy", "onehot", 0.1),
    ModelSpec("dscnn_sparse", dscnn_sparse, (3, 16, 16), "cross_entropy",
              "onehot", 0.1),
    ModelSpec("residual", Residual, (3, 8, 8), "mse", "randn", 0.02,
              momentum=0.9, weight_decay=1e-3),
    ModelSpec("lenet", LeNet, (1, 12, 12), "mse", "onehot", 0.5,
              momentum=0.9, weight_decay=5e-4),
    ModelSpec("mobile", MobileBlocks, (3, 8, 8), "cross_entropy", "onehot",
              0.02, momentum=0.9),
    ModelSpec("pools", Pools, (2, 12, 11), "mse", "randn", 0.02,
              momentum=0.9),
    ModelSpec("lenet5", LeNet5, (1, 28, 28), "cross_entropy", "onehot",
              0.05),
    ModelSpec("bnnet", BNNet, (3, 8, 8), "mse", "randn", 0.02,
              momentum=0.9),
    ModelSpec("bn_eval", bn_eval, (3, 8, 8), "cross_entropy", "onehot",
              0.05, trainable=["conv2", "bn3", "fc"]),
    ModelSpec("minibatch", MiniBatchNet, (4, 3, 8, 8), "cross_entropy",
              "onehot", 0.1, momentum=0.9, weight_decay=1e-3),
    ModelSpec("tutorial_nesterov", TutorialCNN, (8, 8, 8), "mse", "randn",
              0.05, momentum=0.9, weight_decay=1e-3, nesterov=True),
    ModelSpec("tutorial_adam", TutorialCNN, (8, 8, 8), "mse", "randn",
              1e-3, weight_decay=1e-3, optimizer="adam", betas=(0.8, 0.99),
              eps=1e-7),
]}
