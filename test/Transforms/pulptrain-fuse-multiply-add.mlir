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
