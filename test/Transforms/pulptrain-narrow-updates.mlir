// RUN: pulptrain-opt %s --split-input-file --convert-pulptrain-to-linalg --pulptrain-narrow-updates | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file --convert-pulptrain-to-linalg --pulptrain-narrow-updates --pulptrain-fuse-weight-update | FileCheck %s --check-prefix=FUSED

// An f16 SGD update computes in f16: w - lr * g is one fma of the gradient
// and -lr rounded to f16 (0.05 -> 0x2A66, 4.99878e-02), no extension, no
// f32 arithmetic, no rounding left; the mark stays for the fusion.
// CHECK-LABEL: func.func @sgd_f16
// CHECK: linalg.generic
// CHECK-SAME: attrs = {pulptrain.optimizer_update}
// CHECK-NEXT: ^bb0(%[[W:[^:]*]]: f16, %[[G:[^:]*]]: f16, %{{.*}}: f16):
// CHECK-NEXT: %[[C:.*]] = arith.constant -4.998780e-02 : f16
// CHECK-NEXT: %[[R:.*]] = math.fma %[[G]], %[[C]], %[[W]] : f16
// CHECK-NEXT: linalg.yield %[[R]] : f16
// CHECK-NEXT: } -> tensor<8xf16>
func.func @sgd_f16(%w: tensor<8xf16>, %g: tensor<8xf16>) -> tensor<8xf16> {
  %0 = pulptrain.sgd_update %w, %g {lr = 0.05 : f64} : (tensor<8xf16>, tensor<8xf16>) -> tensor<8xf16>
  return %0 : tensor<8xf16>
}

// -----

// Momentum and weight decay in bf16: g + wd * w, then momentum * buf + g
// (the new buffer, a result), then w - lr * buf, each one fma; every
// constant rounded to bf16 (0.9 -> 0.8984375, 0.01 -> 0.010009765625).
// CHECK-LABEL: func.func @momentum_bf16
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[W:[^:]*]]: bf16, %[[G:[^:]*]]: bf16, %[[B:[^:]*]]: bf16, %{{.*}}: bf16, %{{.*}}: bf16):
// CHECK-NEXT: %[[WD:.*]] = arith.constant 1.000980e-02 : bf16
// CHECK-NEXT: %[[S:.*]] = math.fma %[[WD]], %[[W]], %[[G]] : bf16
// CHECK-NEXT: %[[M:.*]] = arith.constant 8.984370e-01 : bf16
// CHECK-NEXT: %[[NB:.*]] = math.fma %[[M]], %[[B]], %[[S]] : bf16
// CHECK-NEXT: %[[LR:.*]] = arith.constant -1.000980e-02 : bf16
// CHECK-NEXT: %[[NW:.*]] = math.fma %[[NB]], %[[LR]], %[[W]] : bf16
// CHECK-NEXT: linalg.yield %[[NW]], %[[NB]] : bf16, bf16
func.func @momentum_bf16(%w: tensor<8xbf16>, %g: tensor<8xbf16>, %m: tensor<8xbf16>) -> (tensor<8xbf16>, tensor<8xbf16>) {
  %0:2 = pulptrain.sgd_update %w, %g, %m {lr = 0.01 : f64, momentum = 0.9 : f64, weight_decay = 0.01 : f64} : (tensor<8xbf16>, tensor<8xbf16>, tensor<8xbf16>) -> (tensor<8xbf16>, tensor<8xbf16>)
  return %0#0, %0#1 : tensor<8xbf16>, tensor<8xbf16>
}

// -----

// Nesterov: the step g + momentum * buf' is one more fma.
// CHECK-LABEL: func.func @nesterov_f16
// CHECK-COUNT-3: math.fma
// CHECK-NOT: arith.extf
// CHECK: linalg.yield
func.func @nesterov_f16(%w: tensor<8xf16>, %g: tensor<8xf16>, %m: tensor<8xf16>) -> (tensor<8xf16>, tensor<8xf16>) {
  %0:2 = pulptrain.sgd_update %w, %g, %m {lr = 0.01 : f64, momentum = 0.9 : f64, nesterov = true} : (tensor<8xf16>, tensor<8xf16>, tensor<8xf16>) -> (tensor<8xf16>, tensor<8xf16>)
  return %0#0, %0#1 : tensor<8xf16>, tensor<8xf16>
}

// -----

// An lr that would be subnormal in f16 (1e-5 < 2^-14) keeps the f32
// arithmetic: in f16 it would keep 8 of its 11 bits (and 1e-8 none).
// CHECK-LABEL: func.func @tiny_lr_f16
// CHECK: arith.extf
// CHECK: arith.mulf %{{.*}} : f32
// CHECK: arith.subf %{{.*}} : f32
// CHECK: arith.truncf
// CHECK-NOT: math.fma
func.func @tiny_lr_f16(%w: tensor<8xf16>, %g: tensor<8xf16>) -> tensor<8xf16> {
  %0 = pulptrain.sgd_update %w, %g {lr = 1.0e-5 : f64} : (tensor<8xf16>, tensor<8xf16>) -> tensor<8xf16>
  return %0 : tensor<8xf16>
}

// -----

// Adam (a square root and a division) and f32 parameters keep their
// arithmetic.
// CHECK-LABEL: func.func @adam_f16
// CHECK: math.sqrt %{{.*}} : f32
// CHECK: arith.truncf
// CHECK-NOT: math.fma %{{.*}} : f16
// CHECK-LABEL: func.func @sgd_f32
// CHECK: arith.mulf %{{.*}} : f32
// CHECK-NOT: math.fma
// CHECK: return
func.func @adam_f16(%w: tensor<8xf16>, %g: tensor<8xf16>, %m: tensor<8xf16>, %v: tensor<8xf16>, %t: tensor<f32>) -> (tensor<8xf16>, tensor<8xf16>, tensor<8xf16>) {
  %0:3 = pulptrain.adam_update %w, %g, %m, %v, %t {lr = 1.0e-3 : f64, beta1 = 0.9 : f64, beta2 = 0.999 : f64, eps = 1.0e-7 : f64, weight_decay = 0.0 : f64} : (tensor<8xf16>, tensor<8xf16>, tensor<8xf16>, tensor<8xf16>, tensor<f32>) -> (tensor<8xf16>, tensor<8xf16>, tensor<8xf16>)
  return %0#0, %0#1, %0#2 : tensor<8xf16>, tensor<8xf16>, tensor<8xf16>
}
func.func @sgd_f32(%w: tensor<8xf32>, %g: tensor<8xf32>) -> tensor<8xf32> {
  %0 = pulptrain.sgd_update %w, %g {lr = 0.05 : f64} : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// A batch-1 Linear weight gradient fused afterwards: the gradient keeps its
// f32 product and its one rounding to f16 (PyTorch's f16 gradient), the
// update its f16 fma.
// FUSED-LABEL: func.func @linear_sgd_f16
// FUSED: linalg.generic
// FUSED-NEXT: ^bb0(%[[W:[^:]*]]: f16, %[[A:[^:]*]]: f16, %[[B:[^:]*]]: f16, %{{.*}}: f16):
// FUSED: %[[P:.*]] = arith.mulf %{{.*}}, %{{.*}} : f32
// FUSED: %[[G:.*]] = arith.truncf %{{.*}} : f32 to f16
// FUSED: %[[R:.*]] = math.fma %[[G]], %{{.*}}, %[[W]] : f16
// FUSED-NEXT: linalg.yield %[[R]] : f16
// FUSED-NOT: linalg.generic
// FUSED: return
func.func @linear_sgd_f16(%x: tensor<4xf16>, %dy: tensor<2xf16>, %w: tensor<2x4xf16>) -> tensor<2x4xf16> {
  %g = pulptrain.linear_wgt_grad %x, %dy : (tensor<4xf16>, tensor<2xf16>) -> tensor<2x4xf16>
  %0 = pulptrain.sgd_update %w, %g {lr = 0.5 : f64} : (tensor<2x4xf16>, tensor<2x4xf16>) -> tensor<2x4xf16>
  return %0 : tensor<2x4xf16>
}

// -----

// Two products added (a body the SGD lowering does not make, marked by
// hand): one fma fuses the first, the second stays a 16-bit product.
#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @two_products
// CHECK: ^bb0(%[[A:[^:]*]]: f16, %[[B:[^:]*]]: f16, %[[C:[^:]*]]: f16, %{{.*}}: f16):
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[B]], %[[C]] : f16
// CHECK-NEXT: %[[R:.*]] = math.fma %[[A]], %[[B]], %[[P]] : f16
// CHECK-NEXT: linalg.yield %[[R]] : f16
func.func @two_products(%a: tensor<8xf16>, %b: tensor<8xf16>, %c: tensor<8xf16>) -> tensor<8xf16> {
  %e = tensor.empty() : tensor<8xf16>
  %r = linalg.generic {indexing_maps = [#id, #id, #id, #id], iterator_types = ["parallel"]}
      ins(%a, %b, %c : tensor<8xf16>, tensor<8xf16>, tensor<8xf16>) outs(%e : tensor<8xf16>)
      attrs = {pulptrain.optimizer_update} {
  ^bb0(%x: f16, %y: f16, %z: f16, %out: f16):
    %xe = arith.extf %x : f16 to f32
    %ye = arith.extf %y : f16 to f32
    %ze = arith.extf %z : f16 to f32
    %p = arith.mulf %xe, %ye : f32
    %q = arith.mulf %ye, %ze : f32
    %s = arith.addf %p, %q : f32
    %t = arith.truncf %s : f32 to f16
    linalg.yield %t : f16
  } -> tensor<8xf16>
  return %r : tensor<8xf16>
}
