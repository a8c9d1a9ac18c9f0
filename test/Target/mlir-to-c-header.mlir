// RUN: pulptrain-translate --mlir-to-c-header %s -o %t.h
// RUN: FileCheck %s < %t.h
// The header compiles as C for the cluster and as C++ on the host.
// RUN: %clang --target=riscv32-unknown-elf -march=%rv32-march-std -ffreestanding -std=c11 -Wall -Werror -fsyntax-only -x c %t.h
// RUN: %clang -ffreestanding -Wall -Werror -fsyntax-only -x c++ %t.h

// A training step with momentum: arguments named after their pulptrain.*
// attributes, then one out-pointer per result; a macro pair per buffer.

// CHECK: #ifndef TUTORIAL_H
// CHECK-NEXT: #define TUTORIAL_H
// CHECK: #include <stdint.h>
// CHECK: extern "C" {
// CHECK-LABEL: /*--- train_step ---
// CHECK: /* x: input "x", 8x8x8 f32, in L2 */
// CHECK-NEXT: #define TRAIN_STEP_X_NUMEL 512
// CHECK-NEXT: #define TRAIN_STEP_X_BYTES 2048
// CHECK: /* label: label, 32 f32, in L2 */
// CHECK: /* conv1_weight: parameter "conv1.weight", frozen, 16x8x3x3 f32, in L2 */
// CHECK-NEXT: #define TRAIN_STEP_CONV1_WEIGHT_NUMEL 1152
// CHECK-NEXT: #define TRAIN_STEP_CONV1_WEIGHT_BYTES 4608
// CHECK: /* fc_weight: parameter "fc.weight", 32x576 f32, in L2 */
// CHECK: /* fc_weight_momentum: momentum of "fc.weight", 32x576 f32, in L2 */
// CHECK: /* loss: loss, scalar f32, in L2 */
// CHECK-NEXT: #define TRAIN_STEP_LOSS_NUMEL 1
// CHECK-NEXT: #define TRAIN_STEP_LOSS_BYTES 4
// CHECK: /* new_fc_weight: updated parameter "fc.weight", 32x576 f32, in L2 */
// CHECK-NEXT: #define TRAIN_STEP_NEW_FC_WEIGHT_NUMEL 18432
// CHECK-NEXT: #define TRAIN_STEP_NEW_FC_WEIGHT_BYTES 73728
// CHECK: /* new_fc_weight_momentum: updated momentum of "fc.weight", 32x576 f32, in L2 */
// CHECK: /// train_step: 5 arguments, then 3 out-pointers for the results.
// CHECK-NEXT: void train_step(
// CHECK-NEXT:     float *x,  {{ *}}/* in: input "x" */
// CHECK-NEXT:     float *label, {{ *}}/* in: label */
// CHECK-NEXT:     float *conv1_weight, {{ *}}/* in: parameter "conv1.weight", frozen */
// CHECK-NEXT:     float *fc_weight, {{ *}}/* in: parameter "fc.weight" */
// CHECK-NEXT:     float *fc_weight_momentum, {{ *}}/* in: momentum of "fc.weight" */
// CHECK-NEXT:     float *loss, {{ *}}/* out: loss */
// CHECK-NEXT:     float *new_fc_weight, {{ *}}/* out: updated parameter "fc.weight" */
// CHECK-NEXT:     float *new_fc_weight_momentum); {{ *}}/* out: updated momentum of "fc.weight" */
// The state API: the state (frozen parameter, trainable parameter and its
// momentum) in, the rest per step, the updated state out.
// CHECK: /* The state API of train_step:
// CHECK: /// Copies the state in.
// CHECK-NEXT: void train_step_init(
// CHECK-NEXT:     float *conv1_weight, {{ *}}/* in: parameter "conv1.weight", frozen */
// CHECK-NEXT:     float *fc_weight, {{ *}}/* in: parameter "fc.weight" */
// CHECK-NEXT:     float *fc_weight_momentum); {{ *}}/* in: momentum of "fc.weight" */
// CHECK: /// One training step on the state, updated in place.
// CHECK-NEXT: void train_step_run(
// CHECK-NEXT:     float *x, {{ *}}/* in: input "x" */
// CHECK-NEXT:     float *label, {{ *}}/* in: label */
// CHECK-NEXT:     float *loss); {{ *}}/* out: loss */
// CHECK: /// Copies the updated state out.
// CHECK-NEXT: void train_step_read(
// CHECK-NEXT:     float *new_fc_weight, {{ *}}/* out: updated parameter "fc.weight" */
// CHECK-NEXT:     float *new_fc_weight_momentum); {{ *}}/* out: updated momentum of "fc.weight" */

// Names are made C identifiers and unique; unnamed arguments and results are
// numbered; scalars are passed by value; f16 is _Float16, bf16 its bit
// pattern, integers fixed-width; private functions and declarations are
// left out.

// CHECK-LABEL: /*--- misc ---
// CHECK: /* int_: input "int", 4 bf16 (bit patterns), in L2 */
// CHECK-NEXT: #define MISC_INT__NUMEL 4
// CHECK-NEXT: #define MISC_INT__BYTES 8
// CHECK: /* t_0_w: parameter "0.w", 2x3 f16, in L2 */
// CHECK-NEXT: #define MISC_T_0_W_NUMEL 6
// CHECK-NEXT: #define MISC_T_0_W_BYTES 12
// CHECK-NOT: #define MISC_ARG2
// A memref argument's memory is its memory space (L2 without one).
// CHECK: /* arg3: argument, 5 i32, in L1 */
// CHECK: /* arg3_1: input "arg3", 1x1 i8, in L2 */
// CHECK: /* result0: result, 5 i32, in L2 */
// CHECK: void misc(
// CHECK-NEXT:     uint16_t *int_,
// CHECK-NEXT:     _Float16 *t_0_w,
// CHECK-NEXT:     float arg2,
// CHECK-NEXT:     int32_t *arg3,
// CHECK-NEXT:     int8_t *arg3_1,
// CHECK-NEXT:     int32_t *result0);
// CHECK-NOT: hidden
// CHECK-NOT: external

// CHECK-LABEL: /*--- init ---
// CHECK: void init(void);
// CHECK: #endif /* TUTORIAL_H */

module @tutorial {
func.func @train_step(%x: tensor<8x8x8xf32> {pulptrain.input = "x"},
                      %label: tensor<32xf32> {pulptrain.label},
                      %cw: tensor<16x8x3x3xf32> {pulptrain.param = "conv1.weight", pulptrain.trainable = false},
                      %fw: tensor<32x576xf32> {pulptrain.param = "fc.weight", pulptrain.trainable = true},
                      %fm: tensor<32x576xf32> {pulptrain.momentum = "fc.weight"})
    -> (tensor<f32> {pulptrain.loss}, tensor<32x576xf32> {pulptrain.param = "fc.weight"},
        tensor<32x576xf32> {pulptrain.momentum = "fc.weight"}) {
  %l = arith.constant dense<0.0> : tensor<f32>
  return %l, %fw, %fm : tensor<f32>, tensor<32x576xf32>, tensor<32x576xf32>
}

func.func @misc(%a: tensor<4xbf16> {pulptrain.input = "int"}, %b: tensor<2x3xf16> {pulptrain.param = "0.w"},
                %s: f32, %c: memref<5xi32, #pulptrain.memory<l1>>, %d: tensor<1x1xi8> {pulptrain.input = "arg3"}) -> tensor<5xi32> {
  %r = arith.constant dense<0> : tensor<5xi32>
  return %r : tensor<5xi32>
}

func.func private @hidden(%x: tensor<?xf32>) {
  return
}
func.func private @external(tensor<4xf32>)

func.func @init() {
  return
}
}
