// RUN: pulptrain-opt %s --pulptrain-approximate-math | FileCheck %s

// exp: range reduction (n = floor(x log2(e) + 1/2)), a polynomial of fused
// multiply-adds and 2^n from the exponent bits; no math.exp is left.
// CHECK-LABEL: func.func @exp
// CHECK-NOT: math.exp
// CHECK: math.floor
// CHECK: math.fma
// CHECK: arith.fptosi
// CHECK: arith.shli
// CHECK: arith.bitcast {{.*}} : i32 to f32
// CHECK-NOT: math.exp
// CHECK: return
func.func @exp(%x: f32) -> f32 {
  %0 = math.exp %x : f32
  return %0 : f32
}

// log: an input below the smallest normal (2^-126) is scaled by 2^24 and
// 24 ln 2 subtracted from the result (upstream's approximation reads the
// exponent field, which a subnormal does not hold).
// CHECK-LABEL: func.func @log
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK: %[[MIN:.*]] = arith.constant 1.17549435E-38 : f32
// CHECK: %[[SMALL:.*]] = arith.cmpf olt, %[[X]], %[[MIN]] : f32
// CHECK: %[[SCALE:.*]] = arith.constant 0x4B800000 : f32
// CHECK: %[[SCALED:.*]] = arith.mulf %[[X]], %[[SCALE]] : f32
// CHECK: arith.select %[[SMALL]], %[[SCALED]], %[[X]] : f32
// CHECK-NOT: math.log
// CHECK: %[[OFFSET:.*]] = arith.constant 16.6355324 : f32
// CHECK: %[[SUB:.*]] = arith.select %[[SMALL]], %[[OFFSET]]
// CHECK: %[[R:.*]] = arith.subf %{{.*}}, %[[SUB]] : f32
// CHECK: return %[[R]]
func.func @log(%x: f32) -> f32 {
  %0 = math.log %x : f32
  return %0 : f32
}

// tanh: a rational approximation (one division), no call.
// CHECK-LABEL: func.func @tanh
// CHECK-NOT: math.tanh
// CHECK: arith.divf
// CHECK-NOT: math.tanh
// CHECK: return
func.func @tanh(%x: f32) -> f32 {
  %0 = math.tanh %x : f32
  return %0 : f32
}

// f16 and bf16 go through the f32 approximation.
// CHECK-LABEL: func.func @narrow
// CHECK-SAME: (%[[H:.*]]: f16, %[[B:.*]]: bf16)
// CHECK: arith.extf %[[H]] : f16 to f32
// CHECK: %[[TH:.*]] = arith.truncf %{{.*}} : f32 to f16
// CHECK: arith.extf %[[B]] : bf16 to f32
// CHECK: %[[TB:.*]] = arith.truncf %{{.*}} : f32 to bf16
// CHECK-NOT: math.tanh
// CHECK-NOT: math.exp
// CHECK: return %[[TH]], %[[TB]]
func.func @narrow(%h: f16, %b: bf16) -> (f16, bf16) {
  %0 = math.tanh %h : f16
  %1 = math.exp %b : bf16
  return %0, %1 : f16, bf16
}

// Other math ops are single instructions of the cores and stay.
// CHECK-LABEL: func.func @others
// CHECK: math.sqrt
// CHECK: math.fma
func.func @others(%x: f32) -> f32 {
  %0 = math.sqrt %x : f32
  %1 = math.fma %0, %x, %x : f32
  return %1 : f32
}
