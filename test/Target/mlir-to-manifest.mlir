// RUN: pulptrain-translate --mlir-to-manifest %s -o %t.json
// RUN: FileCheck %s < %t.json
// Every parameter, one line each: what python/pulptrain reads.
// RUN: %python %S/Inputs/manifest_table.py %t.json | FileCheck %s --check-prefix=TABLE
// The same interface as the C header's.
// RUN: pulptrain-translate --mlir-to-c-header %s | FileCheck %s --check-prefix=HEADER

// The C interface of the public functions as JSON (docs/TrainStep.md):
// the arguments, then one out-pointer per result, with the role of the
// pulptrain.* attributes, the shape, the element type and the byte size.

// CHECK: "format": "pulptrain-manifest-1",
// CHECK-NEXT: "functions": [
// CHECK-NEXT: {
// CHECK-NEXT: "arguments": 5,
// CHECK-NEXT: "name": "train_step",
// CHECK-NEXT: "params": [
// CHECK-NEXT: {
// CHECK-NEXT: "buffer": true,
// CHECK-NEXT: "bytes": 24,
// CHECK-NEXT: "c_type": "float",
// CHECK-NEXT: "element_type": "f32",
// CHECK-NEXT: "elements": 6,
// CHECK-NEXT: "index": 0,
// CHECK-NEXT: "kind": "argument",
// CHECK-NEXT: "macro": "TRAIN_STEP_X",
// CHECK-NEXT: "name": "x",
// CHECK-NEXT: "role": "input",
// CHECK-NEXT: "shape": [
// CHECK-NEXT: 2,
// CHECK-NEXT: 3
// CHECK-NEXT: ],
// CHECK-NEXT: "tensor": "x"
// CHECK-NEXT: },

// TABLE:      pulptrain-manifest-1
// TABLE-NEXT: train_step 5 3
// TABLE-NEXT:   argument 0 x input x - f32 float [2, 3] 6 24 True TRAIN_STEP_X
// TABLE-NEXT:   argument 1 label label - - f32 float [3] 3 12 True TRAIN_STEP_LABEL
// TABLE-NEXT:   argument 2 fc_weight param fc.weight True f32 float [3, 3] 9 36 True TRAIN_STEP_FC_WEIGHT
// TABLE-NEXT:   argument 3 fc_bias param fc.bias False f32 float [3] 3 12 True TRAIN_STEP_FC_BIAS
// TABLE-NEXT:   argument 4 fc_weight_momentum momentum fc.weight - f32 float [3, 3] 9 36 True TRAIN_STEP_FC_WEIGHT_MOMENTUM
// TABLE-NEXT:   result 0 loss loss - - f32 float [] 1 4 True TRAIN_STEP_LOSS
// TABLE-NEXT:   result 1 new_fc_weight param fc.weight True f32 float [3, 3] 9 36 True TRAIN_STEP_NEW_FC_WEIGHT
// TABLE-NEXT:   result 2 new_fc_weight_momentum momentum fc.weight - f32 float [3, 3] 9 36 True TRAIN_STEP_NEW_FC_WEIGHT_MOMENTUM
// TABLE-NEXT: misc 3 1
// TABLE-NEXT:   argument 0 int_ input int - bf16 uint16_t [4] 4 8 True MISC_INT_
// TABLE-NEXT:   argument 1 arg1 other - - f16 _Float16 [] 1 2 False MISC_ARG1
// TABLE-NEXT:   argument 2 arg2 other - - i32 int32_t [5] 5 20 True MISC_ARG2
// TABLE-NEXT:   result 0 result0 other - - f16 _Float16 [2] 2 4 True MISC_RESULT0
// TABLE-NEXT: init 0 0
// TABLE-NEXT: bn_step 2 1
// TABLE-NEXT:   argument 0 x input x - f32 float [2, 3, 3] 18 72 True BN_STEP_X
// TABLE-NEXT:   argument 1 bn_running_mean buffer bn.running_mean - f32 float [2] 2 8 True BN_STEP_BN_RUNNING_MEAN
// TABLE-NEXT:   result 0 new_bn_running_mean buffer bn.running_mean - f32 float [2] 2 8 True BN_STEP_NEW_BN_RUNNING_MEAN
// TABLE-NEXT: adam_step 4 3
// TABLE-NEXT:   argument 0 fc_weight param fc.weight True f16 _Float16 [2] 2 4 True ADAM_STEP_FC_WEIGHT
// TABLE-NEXT:   argument 1 fc_weight_exp_avg exp_avg fc.weight - f32 float [2] 2 8 True ADAM_STEP_FC_WEIGHT_EXP_AVG
// TABLE-NEXT:   argument 2 fc_weight_exp_avg_sq exp_avg_sq fc.weight - f32 float [2] 2 8 True ADAM_STEP_FC_WEIGHT_EXP_AVG_SQ
// TABLE-NEXT:   argument 3 adam_step step adam - f32 float [] 1 4 True ADAM_STEP_ADAM_STEP
// TABLE-NEXT:   result 0 new_fc_weight_exp_avg exp_avg fc.weight - f32 float [2] 2 8 True ADAM_STEP_NEW_FC_WEIGHT_EXP_AVG
// TABLE-NEXT:   result 1 new_fc_weight_exp_avg_sq exp_avg_sq fc.weight - f32 float [2] 2 8 True ADAM_STEP_NEW_FC_WEIGHT_EXP_AVG_SQ
// TABLE-NEXT:   result 2 new_adam_step step adam - f32 float [] 1 4 True ADAM_STEP_NEW_ADAM_STEP
// TABLE-NOT: hidden
// TABLE-NOT: external

// HEADER: #define TRAIN_STEP_X_BYTES 24
// HEADER: #define TRAIN_STEP_FC_WEIGHT_MOMENTUM_BYTES 36
// HEADER: #define TRAIN_STEP_NEW_FC_WEIGHT_MOMENTUM_BYTES 36
// HEADER: #define MISC_INT__BYTES 8
// HEADER: #define MISC_RESULT0_BYTES 4
// HEADER: /* bn_running_mean: buffer "bn.running_mean", 2 f32, in L2 */
// HEADER: /* new_bn_running_mean: updated buffer "bn.running_mean", 2 f32, in L2 */
// HEADER: /* fc_weight_exp_avg: Adam first moment of "fc.weight", 2 f32, in L2 */
// HEADER: /* adam_step: optimizer step counter "adam", scalar f32, in L2 */
// HEADER: /* new_adam_step: updated optimizer step counter "adam", scalar f32, in L2 */

module @tutorial {
func.func @train_step(%x: tensor<2x3xf32> {pulptrain.input = "x"},
                      %label: tensor<3xf32> {pulptrain.label},
                      %w: tensor<3x3xf32> {pulptrain.param = "fc.weight", pulptrain.trainable = true},
                      %b: tensor<3xf32> {pulptrain.param = "fc.bias", pulptrain.trainable = false},
                      %m: tensor<3x3xf32> {pulptrain.momentum = "fc.weight"})
    -> (tensor<f32> {pulptrain.loss}, tensor<3x3xf32> {pulptrain.param = "fc.weight"},
        tensor<3x3xf32> {pulptrain.momentum = "fc.weight"}) {
  %l = arith.constant dense<0.0> : tensor<f32>
  return %l, %w, %m : tensor<f32>, tensor<3x3xf32>, tensor<3x3xf32>
}
func.func @misc(%a: tensor<4xbf16> {pulptrain.input = "int"}, %s: f16, %i: memref<5xi32>) -> tensor<2xf16> {
  %c = arith.constant dense<0.0> : tensor<2xf16>
  return %c : tensor<2xf16>
}
func.func private @hidden(%a: tensor<4xf32>) {
  return
}
func.func private @external(%a: tensor<4xf32>)
func.func @init() {
  return
}
// Batch normalization running statistics: role "buffer", argument and
// updated result.
func.func @bn_step(%x: tensor<2x3x3xf32> {pulptrain.input = "x"},
                   %rm: tensor<2xf32> {pulptrain.buffer = "bn.running_mean"})
    -> (tensor<2xf32> {pulptrain.buffer = "bn.running_mean"}) {
  return %rm : tensor<2xf32>
}
// Adam's state: roles "exp_avg", "exp_avg_sq" (f32 moments of an f16
// parameter) and "step" (the rank-0 f32 step counter).
func.func @adam_step(%w: tensor<2xf16> {pulptrain.param = "fc.weight", pulptrain.trainable = true},
                     %m: tensor<2xf32> {pulptrain.exp_avg = "fc.weight"},
                     %v: tensor<2xf32> {pulptrain.exp_avg_sq = "fc.weight"},
                     %t: tensor<f32> {pulptrain.step = "adam"})
    -> (tensor<2xf32> {pulptrain.exp_avg = "fc.weight"}, tensor<2xf32> {pulptrain.exp_avg_sq = "fc.weight"},
        tensor<f32> {pulptrain.step = "adam"}) {
  return %m, %v, %t : tensor<2xf32>, tensor<2xf32>, tensor<f32>
}
}
