// RUN: pulptrain-opt %s --pulptrain-fuse-rounding --split-input-file | FileCheck %s

// A batch-1 Linear weight gradient in f16: the outer product is computed
// in f32 and rounded by a second generic; the rounding moves into the
// product, whose result becomes the f16 tensor (no f32 temporary).
#o = affine_map<(d0, d1) -> (d0)>
#i = affine_map<(d0, d1) -> (d1)>
#oi = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @outer_product
// CHECK-NOT: tensor<128x256xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<128x256xf16>
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%arg1, %arg0 : tensor<128xf16>, tensor<256xf16>) outs(%[[E]] : tensor<128x256xf16>)
// CHECK: arith.mulf
// CHECK-NEXT: %[[T:.*]] = arith.truncf %{{.*}} : f32 to f16
// CHECK-NEXT: linalg.yield %[[T]] : f16
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]
func.func @outer_product(%x: tensor<256xf16>, %dy: tensor<128xf16>) -> tensor<128x256xf16> {
  %e0 = tensor.empty() : tensor<128x256xf32>
  %p = linalg.generic {indexing_maps = [#o, #i, #oi], iterator_types = ["parallel", "parallel"]}
      ins(%dy, %x : tensor<128xf16>, tensor<256xf16>) outs(%e0 : tensor<128x256xf32>) {
  ^bb0(%a: f16, %b: f16, %out: f32):
    %ea = arith.extf %a : f16 to f32
    %eb = arith.extf %b : f16 to f32
    %m = arith.mulf %ea, %eb : f32
    linalg.yield %m : f32
  } -> tensor<128x256xf32>
  %e1 = tensor.empty() : tensor<128x256xf16>
  %dw = linalg.generic {indexing_maps = [#oi, #oi], iterator_types = ["parallel", "parallel"]}
      ins(%p : tensor<128x256xf32>) outs(%e1 : tensor<128x256xf16>) {
  ^bb0(%in: f32, %out: f16):
    %t = arith.truncf %in : f32 to f16
    linalg.yield %t : f16
  } -> tensor<128x256xf16>
  return %dw : tensor<128x256xf16>
}

// -----

// A bf16 activation (ReLU) is fused the same way.
#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @relu_bf16
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<64xbf16>) outs(%{{.*}} : tensor<64xbf16>)
// CHECK: arith.maximumf
// CHECK-NEXT: arith.truncf %{{.*}} : f32 to bf16
// CHECK-NOT: linalg.generic
func.func @relu_bf16(%x: tensor<64xbf16>) -> tensor<64xbf16> {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<64xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<64xbf16>) outs(%e0 : tensor<64xf32>) {
  ^bb0(%a: bf16, %out: f32):
    %ea = arith.extf %a : bf16 to f32
    %m = arith.maximumf %ea, %zero : f32
    linalg.yield %m : f32
  } -> tensor<64xf32>
  %e1 = tensor.empty() : tensor<64xbf16>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%r : tensor<64xf32>) outs(%e1 : tensor<64xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %t = arith.truncf %in : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<64xbf16>
  return %y : tensor<64xbf16>
}

// -----

// What stays apart: the rounding of a reduction (its f32 result
// accumulates), of a producer with another user, and of a producer that
// reads its init.
#mk = affine_map<(d0, d1) -> (d0, d1)>
#m = affine_map<(d0, d1) -> (d0)>
#id1 = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @kept
// CHECK-COUNT-6: linalg.generic
// CHECK-NOT: linalg.generic
func.func @kept(%a: tensor<8x16xf16>, %v: tensor<8xf16>, %acc: tensor<8xf32>)
    -> (tensor<8xf16>, tensor<8xf16>, tensor<8xf32>, tensor<8xf16>) {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e0 : tensor<8xf32>) -> tensor<8xf32>
  %sum = linalg.generic {indexing_maps = [#mk, #m], iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<8x16xf16>) outs(%f : tensor<8xf32>) {
  ^bb0(%x: f16, %out: f32):
    %ex = arith.extf %x : f16 to f32
    %s = arith.addf %out, %ex : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  %e1 = tensor.empty() : tensor<8xf16>
  %r0 = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%sum : tensor<8xf32>) outs(%e1 : tensor<8xf16>) {
  ^bb0(%in: f32, %out: f16):
    %t = arith.truncf %in : f32 to f16
    linalg.yield %t : f16
  } -> tensor<8xf16>
  %sq = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%v : tensor<8xf16>) outs(%e0 : tensor<8xf32>) {
  ^bb0(%x: f16, %out: f32):
    %ex = arith.extf %x : f16 to f32
    %s = arith.mulf %ex, %ex : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  %r1 = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%sq : tensor<8xf32>) outs(%e1 : tensor<8xf16>) {
  ^bb0(%in: f32, %out: f16):
    %t = arith.truncf %in : f32 to f16
    linalg.yield %t : f16
  } -> tensor<8xf16>
  %acc2 = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%v : tensor<8xf16>) outs(%acc : tensor<8xf32>) {
  ^bb0(%x: f16, %out: f32):
    %ex = arith.extf %x : f16 to f32
    %s = arith.addf %out, %ex : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  %r2 = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%acc2 : tensor<8xf32>) outs(%e1 : tensor<8xf16>) {
  ^bb0(%in: f32, %out: f16):
    %t = arith.truncf %in : f32 to f16
    linalg.yield %t : f16
  } -> tensor<8xf16>
  return %r0, %r1, %sq, %r2 : tensor<8xf16>, tensor<8xf16>, tensor<8xf32>, tensor<8xf16>
}

// -----

// A profiling bracket (pulptrain-instrument-layers) between the producer and
// its rounding: fusing would move the computation into the next region, so
// both stay.
#v = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @bracketed
// CHECK: linalg.generic
// CHECK: cluster.profile_exit 1
// CHECK: cluster.profile_enter 2
// CHECK: linalg.generic
// CHECK: arith.truncf
func.func @bracketed(%x: tensor<16xf16>) -> tensor<16xf16> {
  %zero = arith.constant 0.0 : f32
  cluster.profile_enter 1
  %e0 = tensor.empty() : tensor<16xf32>
  %r = linalg.generic {indexing_maps = [#v, #v], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf16>) outs(%e0 : tensor<16xf32>) {
  ^bb0(%a: f16, %out: f32):
    %ea = arith.extf %a : f16 to f32
    %m = arith.maximumf %ea, %zero : f32
    linalg.yield %m : f32
  } -> tensor<16xf32>
  cluster.profile_exit 1
  cluster.profile_enter 2
  %e1 = tensor.empty() : tensor<16xf16>
  %y = linalg.generic {indexing_maps = [#v, #v], iterator_types = ["parallel"]}
      ins(%r : tensor<16xf32>) outs(%e1 : tensor<16xf16>) {
  ^bb0(%in: f32, %out: f16):
    %t = arith.truncf %in : f32 to f16
    linalg.yield %t : f16
  } -> tensor<16xf16>
  cluster.profile_exit 2
  return %y : tensor<16xf16>
}

// -----

// A producer that pulptrain-recompute computes again for the backward pass
// keeps its mark on the fused op, so that CSE keeps it apart from its
// forward twin.
#m = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @recomputed
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<8xf16>) attrs = {pulptrain.recomputed}
// CHECK: arith.truncf
// CHECK-NOT: linalg.generic
func.func @recomputed(%x: tensor<8xf16>) -> tensor<8xf16> {
  %e0 = tensor.empty() : tensor<8xf32>
  %p = linalg.generic {indexing_maps = [#m, #m], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf16>) outs(%e0 : tensor<8xf32>) attrs = {pulptrain.recomputed} {
  ^bb0(%a: f16, %out: f32):
    %ea = arith.extf %a : f16 to f32
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %ea, %zero : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %e1 = tensor.empty() : tensor<8xf16>
  %y = linalg.generic {indexing_maps = [#m, #m], iterator_types = ["parallel"]}
      ins(%p : tensor<8xf32>) outs(%e1 : tensor<8xf16>) {
  ^bb0(%in: f32, %out: f16):
    %t = arith.truncf %in : f32 to f16
    linalg.yield %t : f16
  } -> tensor<8xf16>
  return %y : tensor<8xf16>
}
