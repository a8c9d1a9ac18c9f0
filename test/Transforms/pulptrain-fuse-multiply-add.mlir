// RUN: pulptrain-opt %s --pulptrain-fuse-multiply-add | FileCheck %s

// CHECK-LABEL: func.func @fuse
// CHECK-SAME: (%[[A:.*]]: f32, %[[B:.*]]: f32, %[[C:.*]]: f32)
// CHECK: %[[F1:.*]] = math.fma %[[A]], %[[B]], %[[C]] : f32
// CHECK: %[[F2:.*]] = math.fma %[[A]], %[[B]], %[[F1]] : f32
// CHECK: %[[NEG:.*]] = arith.negf %[[A]] : f32
// CHECK: %[[F3:.*]] = math.fma %[[NEG]], %[[B]], %[[F2]] : f32
// CHECK: return %[[F3]]
func.func @fuse(%a: f32, %b: f32, %c: f32) -> f32 {
  %p = arith.mulf %a, %b : f32
  %s = arith.addf %p, %c : f32
  %q = arith.mulf %a, %b : f32
  %t = arith.addf %s, %q : f32
  %r = arith.mulf %a, %b : f32
  %u = arith.subf %t, %r : f32
  return %u : f32
}

// A product with another use stays, and bf16 (no fused instruction) too.
// CHECK-LABEL: func.func @keep
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: arith.mulf {{.*}} : bf16
// CHECK: arith.addf {{.*}} : bf16
// CHECK-NOT: math.fma
func.func @keep(%a: f32, %b: f32, %c: f32, %x: bf16, %y: bf16) -> (f32, f32, bf16) {
  %p = arith.mulf %a, %b : f32
  %s = arith.addf %p, %c : f32
  %m = arith.mulf %x, %y : bf16
  %n = arith.addf %m, %y : bf16
  return %s, %p, %n : f32, f32, bf16
}

// An SGD step w - lr * g: the constant factor is negated at compile time
// (exactly), on either side of the product, so no negation runs.
// CHECK-LABEL: func.func @sgd
// CHECK-SAME: (%[[W:.*]]: f32, %[[G:.*]]: f32)
// CHECK-DAG: %[[NLR:.*]] = arith.constant -0.00999999977 : f32
// CHECK-DAG: %[[NTWO:.*]] = arith.constant -2.000000e+00 : f32
// CHECK-NOT: arith.negf
// CHECK: %[[F1:.*]] = math.fma %[[G]], %[[NLR]], %[[W]] : f32
// CHECK: %[[F2:.*]] = math.fma %[[NTWO]], %[[G]], %[[F1]] : f32
// CHECK: return %[[F2]]
func.func @sgd(%w: f32, %g: f32) -> f32 {
  %lr = arith.constant 0.00999999977 : f32
  %two = arith.constant 2.0 : f32
  %p = arith.mulf %g, %lr : f32
  %u = arith.subf %w, %p : f32
  %q = arith.mulf %two, %g : f32
  %v = arith.subf %u, %q : f32
  return %v : f32
}
