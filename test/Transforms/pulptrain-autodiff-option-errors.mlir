// Options that do not fit the model are rejected with a located diagnostic.
// RUN: not pulptrain-opt %s --pulptrain-autodiff="loss=hinge" 2>&1 | FileCheck %s --check-prefix=LOSS
// RUN: not pulptrain-opt %s --pulptrain-autodiff="loss=cross_entropy" 2>&1 | FileCheck %s --check-prefix=CE
// RUN: not pulptrain-opt %s --pulptrain-autodiff="trainable=conv9" 2>&1 | FileCheck %s --check-prefix=LAYER
// RUN: not pulptrain-opt %s --pulptrain-autodiff="lr=0" 2>&1 | FileCheck %s --check-prefix=LR
// RUN: not pulptrain-opt %s --pulptrain-autodiff="momentum=-0.5" 2>&1 | FileCheck %s --check-prefix=MOMENTUM
// RUN: not pulptrain-opt %s --pulptrain-autodiff="forward=model" 2>&1 | FileCheck %s --check-prefix=FORWARD

// LOSS: [[FILE:.*]]:[[@LINE+7]]:1: error: 'func.func' op cannot be trained with the unknown loss 'hinge' (expected 'mse' or 'cross_entropy')
// CE: :[[@LINE+11]]:3: error: 'func.return' op returns 'tensor<16x6x6xf32>', but the cross_entropy loss needs a rank-1 output (one score per class)
// LAYER: :[[@LINE+5]]:1: error: 'func.func' op has no parameters of the trainable layer 'conv9' (its layers: 'conv1')
// LR: :[[@LINE+4]]:1: error: 'func.func' op needs a positive learning rate, got 0.000000e+00
// MOMENTUM: :[[@LINE+3]]:1: error: 'func.func' op needs a non-negative momentum and weight decay
// FORWARD: error: no forward function @model with a body to differentiate

func.func @forward(%x: tensor<8x8x8xf32> {pulptrain.input = "x"},
                   %w: tensor<16x8x3x3xf32> {pulptrain.param = "conv1.weight"},
                   %b: tensor<16xf32> {pulptrain.param = "conv1.bias"}) -> tensor<16x6x6xf32> {
  %c = pulptrain.conv2d %x, %w, %b stride [1, 1] padding [0, 0, 0, 0]
      : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<16x6x6xf32>
  return %c : tensor<16x6x6xf32>
}
