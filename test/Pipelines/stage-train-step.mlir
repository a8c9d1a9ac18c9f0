// RUN: pulptrain-opt %s "--pulptrain-stage-train-step=lr=0.5" | FileCheck %s
// RUN: pulptrain-opt %s "--pulptrain-stage-train-step=lr=0.5 name=step instrument=true" | FileCheck %s --check-prefix=PROF
// RUN: not pulptrain-opt %s "--pulptrain-stage-train-step=loss=hinge" 2>&1 | FileCheck %s --check-prefix=BADOPT
// RUN: pulptrain-opt %s "--pulptrain-stage-train-step=saved-activations=f16" | FileCheck %s --check-prefix=SAVED
// RUN: pulptrain-opt %s "--pulptrain-stage-train-step=saved-activations=bf16" | FileCheck %s --check-prefix=SAVED-BF16
// RUN: not pulptrain-opt %s "--pulptrain-stage-train-step=saved-activations=f8" 2>&1 | FileCheck %s --check-prefix=BADSAVED

// Stage 0 alone: a forward model enters; its SGD training step is added
// (forward, loss, gradients in reverse layer order, updates), optionally
// with a profiling region around every layer phase.

// CHECK-LABEL: func.func @forward
// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: {pulptrain.input = "x"}, %{{.*}}: tensor<4xf32> {pulptrain.label}
// CHECK-SAME: -> (tensor<f32> {pulptrain.loss}, tensor<4x8xf32> {pulptrain.param = "fc.weight"}, tensor<4xf32> {pulptrain.param = "fc.bias"})
// CHECK: pulptrain.linear {{.*}}pulptrain.phase = "fwd"
// CHECK: pulptrain.relu {{.*}}pulptrain.phase = "fwd"
// CHECK: pulptrain.mse_loss
// CHECK: pulptrain.mse_loss_grad
// CHECK: pulptrain.relu_grad {{.*}}pulptrain.phase = "in_grad"
// CHECK: pulptrain.linear_wgt_grad {{.*}}pulptrain.phase = "wgt_grad"
// CHECK: pulptrain.bias_grad {{.*}}pulptrain.phase = "wgt_grad"
// CHECK-NOT: pulptrain.linear_in_grad
// CHECK: pulptrain.sgd_update {{.*}}lr = 5.000000e-01
// CHECK: pulptrain.sgd_update {{.*}}lr = 5.000000e-01
// CHECK-NOT: cluster.profile_enter

// PROF: module attributes {pulptrain.profile_regions = [{id = 0 : i32, layer = "fc", macs = 32 : i64, phase = "fwd"}
// PROF-LABEL: func.func @step(
// PROF: cluster.profile_enter 0
// PROF-NEXT: pulptrain.linear
// PROF-NEXT: cluster.profile_exit 0

// BADOPT: for the --loss option: Cannot find option named 'hinge'!

// saved-activations=f16|bf16 runs pulptrain-round-saved-activations after
// the autodiff: the ReLU output its gradient reads is kept rounded.
// SAVED-LABEL: func.func @train_step(
// SAVED: %[[R:.*]] = pulptrain.relu
// SAVED-NEXT: %[[H:.*]] = pulptrain.cast %[[R]] {{.*}} : tensor<4xf32> to tensor<4xf16>
// SAVED: %[[E:.*]] = pulptrain.cast %[[H]] {{.*}} : tensor<4xf16> to tensor<4xf32>
// SAVED-NEXT: pulptrain.relu_grad %[[E]]
// SAVED-BF16: pulptrain.cast %{{.*}} : tensor<4xf32> to tensor<4xbf16>
// BADSAVED: for the --saved-activations option: Cannot find option named 'f8'!

func.func @forward(%x: tensor<8xf32> {pulptrain.input = "x"},
                   %w: tensor<4x8xf32> {pulptrain.param = "fc.weight"},
                   %b: tensor<4xf32> {pulptrain.param = "fc.bias"}) -> tensor<4xf32> {
  %y = pulptrain.linear %x, %w, %b {pulptrain.layer = "fc"} : (tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<4xf32>
  %r = pulptrain.relu %y {pulptrain.layer = "relu"} : tensor<4xf32>
  return %r : tensor<4xf32>
}
