// RUN: pulptrain-opt %s --pulptrain-autodiff="loss=cross_entropy lr=0.1 momentum=0.9 weight-decay=0.0005 name=step" | FileCheck %s --check-prefix=MOMENTUM
// RUN: pulptrain-opt %s --pulptrain-autodiff="trainable=fc2" | FileCheck %s --check-prefix=LAYERS
// RUN: pulptrain-opt %s --pulptrain-autodiff="trainable=fc1,fc2" | FileCheck %s --check-prefix=ALL
// RUN: pulptrain-opt %s --pulptrain-autodiff="momentum=0.9 nesterov=true" | FileCheck %s --check-prefix=NESTEROV
// RUN: not pulptrain-opt %s --pulptrain-autodiff="nesterov=true" 2>&1 | FileCheck %s --check-prefix=NESTEROV-ERR
// RUN: pulptrain-opt %s --pulptrain-autodiff="optimizer=adam lr=0.001 beta1=0.8 eps=1e-7" | FileCheck %s --check-prefix=ADAM
// RUN: not pulptrain-opt %s --pulptrain-autodiff="optimizer=adam momentum=0.9" 2>&1 | FileCheck %s --check-prefix=ADAM-MOM
// RUN: not pulptrain-opt %s --pulptrain-autodiff="optimizer=adam beta2=1.5" 2>&1 | FileCheck %s --check-prefix=ADAM-BETA
// RUN: not pulptrain-opt %s --pulptrain-autodiff="optimizer=adagrad" 2>&1 | FileCheck %s --check-prefix=ADAM-OPT
// RUN: not pulptrain-opt %s --pulptrain-autodiff="optimizer=adam eps=-1e-8" 2>&1 | FileCheck %s --check-prefix=ADAM-EPS

// Cross-entropy with SGD momentum and weight decay: one momentum buffer per
// trainable parameter, as arguments after the parameters and as results
// after the new parameters. The frozen fc1.bias gets no buffer.

// MOMENTUM-LABEL: func.func @step(
// MOMENTUM-SAME: %[[X:[^:]*]]: tensor<64xf32> {pulptrain.input = "x"}, %[[T:[^:]*]]: tensor<10xf32> {pulptrain.label},
// MOMENTUM-SAME: %[[W1:[^:]*]]: tensor<128x64xf32> {pulptrain.param = "fc1.weight", pulptrain.trainable = true},
// MOMENTUM-SAME: %[[B1:[^:]*]]: tensor<128xf32> {pulptrain.param = "fc1.bias", pulptrain.trainable = false},
// MOMENTUM-SAME: %[[W2:[^:]*]]: tensor<10x128xf32> {pulptrain.param = "fc2.weight", pulptrain.trainable = true},
// MOMENTUM-SAME: %[[M1:[^:]*]]: tensor<128x64xf32> {pulptrain.momentum = "fc1.weight"}, %[[M2:[^:]*]]: tensor<10x128xf32> {pulptrain.momentum = "fc2.weight"})
// MOMENTUM-SAME: -> (tensor<f32> {pulptrain.loss}, tensor<128x64xf32> {pulptrain.param = "fc1.weight"}, tensor<10x128xf32> {pulptrain.param = "fc2.weight"}, tensor<128x64xf32> {pulptrain.momentum = "fc1.weight"}, tensor<10x128xf32> {pulptrain.momentum = "fc2.weight"})
// MOMENTUM: %[[O:.*]] = pulptrain.linear %{{.*}} {pulptrain.layer = "fc2"
// MOMENTUM: %[[LOSS:.*]] = pulptrain.cross_entropy_loss %[[O]], %[[T]] {pulptrain.layer = "loss", pulptrain.phase = "loss"} : (tensor<10xf32>, tensor<10xf32>) -> tensor<f32>
// MOMENTUM: pulptrain.cross_entropy_loss_grad %[[O]], %[[T]]
// MOMENTUM-NOT: bias_grad
// MOMENTUM: %[[NW1:.*]], %[[NM1:.*]] = pulptrain.sgd_update %[[W1]], %{{.*}}, %[[M1]] {lr = 1.000000e-01 : f64, momentum = 9.000000e-01 : f64, pulptrain.layer = "fc1", pulptrain.phase = "update", weight_decay = 5.000000e-04 : f64}
// MOMENTUM: %[[NW2:.*]], %[[NM2:.*]] = pulptrain.sgd_update %[[W2]], %{{.*}}, %[[M2]]
// MOMENTUM: return %[[LOSS]], %[[NW1]], %[[NW2]], %[[NM1]], %[[NM2]]

// The trainable option overrides the attributes by layer name.

// LAYERS-LABEL: func.func @train_step(
// LAYERS-SAME: {pulptrain.param = "fc1.weight", pulptrain.trainable = false}
// LAYERS-SAME: {pulptrain.param = "fc1.bias", pulptrain.trainable = false}
// LAYERS-SAME: {pulptrain.param = "fc2.weight", pulptrain.trainable = true}
// LAYERS-SAME: -> (tensor<f32> {pulptrain.loss}, tensor<10x128xf32> {pulptrain.param = "fc2.weight"})
// LAYERS-COUNT-1: pulptrain.sgd_update
// LAYERS-NOT: pulptrain.sgd_update

// ALL-LABEL: func.func @train_step(
// ALL-SAME: {pulptrain.param = "fc1.bias", pulptrain.trainable = true}
// ALL: %[[D:.*]] = pulptrain.bias_grad
// ALL-COUNT-3: pulptrain.sgd_update

// Nesterov momentum: every update carries nesterov = true; without a
// momentum, the pass rejects it as torch.optim.SGD does.

// NESTEROV-LABEL: func.func @train_step(
// NESTEROV-COUNT-2: pulptrain.sgd_update {{.*}}momentum = 9.000000e-01 : f64, nesterov = true
// NESTEROV-NOT: pulptrain.sgd_update
// NESTEROV-ERR: error: 'func.func' op needs a non-zero momentum for Nesterov momentum (nesterov=true)

// Adam: after the parameters, the first moments and the second moments of
// the trainable parameters (f32) and the step counter (rank-0 f32); the
// counter is incremented first and every update takes the new value;
// the step returns the new parameters, moments and counter.

// ADAM-LABEL: func.func @train_step(
// ADAM-SAME: %[[W2:[^:]*]]: tensor<10x128xf32> {pulptrain.param = "fc2.weight", pulptrain.trainable = true},
// ADAM-SAME: %[[A1:[^:]*]]: tensor<128x64xf32> {pulptrain.exp_avg = "fc1.weight"}, %[[A2:[^:]*]]: tensor<10x128xf32> {pulptrain.exp_avg = "fc2.weight"},
// ADAM-SAME: %[[S1:[^:]*]]: tensor<128x64xf32> {pulptrain.exp_avg_sq = "fc1.weight"}, %[[S2:[^:]*]]: tensor<10x128xf32> {pulptrain.exp_avg_sq = "fc2.weight"},
// ADAM-SAME: %[[T:[^:]*]]: tensor<f32> {pulptrain.step = "adam"})
// ADAM-SAME: -> (tensor<f32> {pulptrain.loss}, tensor<128x64xf32> {pulptrain.param = "fc1.weight"}, tensor<10x128xf32> {pulptrain.param = "fc2.weight"}, tensor<128x64xf32> {pulptrain.exp_avg = "fc1.weight"}, tensor<10x128xf32> {pulptrain.exp_avg = "fc2.weight"}, tensor<128x64xf32> {pulptrain.exp_avg_sq = "fc1.weight"}, tensor<10x128xf32> {pulptrain.exp_avg_sq = "fc2.weight"}, tensor<f32> {pulptrain.step = "adam"})
// ADAM: %[[T1:.*]] = pulptrain.add_scalar %[[T]] {pulptrain.layer = "adam", pulptrain.phase = "update", scalar = 1.000000e+00 : f64} : tensor<f32>
// ADAM: %[[NW1:.*]], %[[NA1:.*]], %[[NS1:.*]] = pulptrain.adam_update %{{.*}}, %{{.*}}, %[[A1]], %[[S1]], %[[T1]] {beta1 = 8.000000e-01 : f64, eps = {{.*}} : f64, lr = 1.000000e-03 : f64, pulptrain.layer = "fc1", pulptrain.phase = "update"}
// ADAM: %[[NW2:.*]], %[[NA2:.*]], %[[NS2:.*]] = pulptrain.adam_update %[[W2]], %{{.*}}, %[[A2]], %[[S2]], %[[T1]]
// ADAM: return %{{.*}}, %[[NW1]], %[[NW2]], %[[NA1]], %[[NA2]], %[[NS1]], %[[NS2]], %[[T1]]
// ADAM-MOM: error: 'func.func' op optimizer adam takes no momentum or nesterov (they are SGD's)
// ADAM-BETA: error: 'func.func' op needs Adam betas in [0, 1), got 9.000000e-01, 1.500000e+00
// ADAM-OPT: error: 'func.func' op unknown optimizer 'adagrad' (sgd or adam)
// ADAM-EPS: error: 'func.func' op needs a finite non-negative Adam eps, got -1.000000e-08
func.func @forward(%x: tensor<64xf32> {pulptrain.input = "x"},
                   %w1: tensor<128x64xf32> {pulptrain.param = "fc1.weight"},
                   %b1: tensor<128xf32> {pulptrain.param = "fc1.bias", pulptrain.trainable = false},
                   %w2: tensor<10x128xf32> {pulptrain.param = "fc2.weight"}) -> tensor<10xf32> {
  %h = pulptrain.linear %x, %w1, %b1 {pulptrain.layer = "fc1"} : (tensor<64xf32>, tensor<128x64xf32>, tensor<128xf32>) -> tensor<128xf32>
  %a = pulptrain.relu %h {pulptrain.layer = "relu"} : tensor<128xf32>
  %o = pulptrain.linear %a, %w2 {pulptrain.layer = "fc2"} : (tensor<128xf32>, tensor<10x128xf32>) -> tensor<10xf32>
  return %o : tensor<10xf32>
}
