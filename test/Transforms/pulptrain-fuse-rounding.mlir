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

// What stays apart: the rounding of a reduction whose init the element
// type does not hold exactly (0.1), of a producer with another user, and of
// an element-wise producer that reads its init.
#mk = affine_map<(d0, d1) -> (d0, d1)>
#m = affine_map<(d0, d1) -> (d0)>
#id1 = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @kept
// CHECK-COUNT-6: linalg.generic
// CHECK-NOT: linalg.generic
func.func @kept(%a: tensor<8x16xf16>, %v: tensor<8xf16>, %acc: tensor<8xf32>)
    -> (tensor<8xf16>, tensor<8xf16>, tensor<8xf32>, tensor<8xf16>) {
  %tenth = arith.constant 0.1 : f32
  %e0 = tensor.empty() : tensor<8xf32>
  %f = linalg.fill ins(%tenth : f32) outs(%e0 : tensor<8xf32>) -> tensor<8xf32>
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

// -----

// A matrix-vector product in f16 (a Linear layer without bias): the f32
// reduction from a fill of zeros and its rounding become one reduction into
// the f16 result, from an f16 fill of zeros, that extends the output value
// to f32 and rounds the f32 result once (its epilogue), marked
// pulptrain.f32_accumulator. No f32 tensor is left.
#wo = affine_map<(d0, d1) -> (d0, d1)>
#xi = affine_map<(d0, d1) -> (d1)>
#yo = affine_map<(d0, d1) -> (d0)>
#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @matvec_fill
// CHECK-NOT: f32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<32xf16>
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f16
// CHECK: %[[F:.*]] = linalg.fill ins(%[[Z]] : f16) outs(%[[E]] : tensor<32xf16>)
// CHECK: %[[R:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: ins(%arg0, %arg1 : tensor<32x64xf16>, tensor<64xf16>) outs(%[[F]] : tensor<32xf16>)
// CHECK-SAME: pulptrain.f32_accumulator
// CHECK: ^bb0(%{{.*}}: f16, %{{.*}}: f16, %[[OUT:.*]]: f16):
// CHECK: %[[ACC:.*]] = arith.extf %[[OUT]] {pulptrain.f32_accumulator} : f16 to f32
// CHECK: %[[M:.*]] = arith.mulf
// CHECK: %[[S:.*]] = arith.addf %[[ACC]], %[[M]] : f32
// CHECK: %[[T:.*]] = arith.truncf %[[S]] {pulptrain.f32_accumulator} : f32 to f16
// CHECK: linalg.yield %[[T]] : f16
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]
func.func @matvec_fill(%w: tensor<32x64xf16>, %x: tensor<64xf16>) -> tensor<32xf16> {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e0 : tensor<32xf32>) -> tensor<32xf32>
  %acc = linalg.generic {indexing_maps = [#wo, #xi, #yo], iterator_types = ["parallel", "reduction"]}
      ins(%w, %x : tensor<32x64xf16>, tensor<64xf16>) outs(%f : tensor<32xf32>) {
  ^bb0(%a: f16, %b: f16, %out: f32):
    %ea = arith.extf %a : f16 to f32
    %eb = arith.extf %b : f16 to f32
    %m = arith.mulf %ea, %eb : f32
    %s = arith.addf %out, %m : f32
    linalg.yield %s : f32
  } -> tensor<32xf32>
  %e1 = tensor.empty() : tensor<32xf16>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%acc : tensor<32xf32>) outs(%e1 : tensor<32xf16>) {
  ^bb0(%in: f32, %o: f16):
    %t = arith.truncf %in : f32 to f16
    linalg.yield %t : f16
  } -> tensor<32xf16>
  return %y : tensor<32xf16>
}

// -----

// A bf16 convolution with a bias, its grouped result reshaped before the
// rounding: the rounding moves before the reshape, and the init (the bias
// extended to f32 and broadcast) becomes the same broadcast in bf16, exact.
#bias = affine_map<(d0, d1, d2) -> (d0, d1)>
#all = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#cx = affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d2 + d3)>
#cw = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
#co = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @conv_bias
// CHECK-NOT: f32>
// CHECK: %[[B:.*]] = tensor.expand_shape %arg2
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x4x6xbf16>
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<1x4xbf16>) outs(%[[E]] : tensor<1x4x6xbf16>)
// CHECK-NEXT: ^bb0(%[[V:.*]]: bf16, %{{.*}}: bf16):
// CHECK: linalg.yield %[[V]] : bf16
// CHECK: %[[R:.*]] = linalg.generic {{.*}} outs(%[[INIT]] : tensor<1x4x6xbf16>) {{.*}}pulptrain.f32_accumulator
// CHECK: arith.extf %{{.*}} {pulptrain.f32_accumulator} : bf16 to f32
// CHECK: arith.truncf %{{.*}} {pulptrain.f32_accumulator} : f32 to bf16
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[R]] {{\[}}[0, 1], [2]] : tensor<1x4x6xbf16> into tensor<4x6xbf16>
// CHECK-NOT: linalg.generic
// CHECK: return %[[C]]
func.func @conv_bias(%x: tensor<1x2x8xbf16>, %w: tensor<1x4x2x3xbf16>, %b: tensor<4xbf16>) -> tensor<4x6xbf16> {
  %bg = tensor.expand_shape %b [[0, 1]] output_shape [1, 4] : tensor<4xbf16> into tensor<1x4xbf16>
  %e0 = tensor.empty() : tensor<1x4x6xf32>
  %init = linalg.generic {indexing_maps = [#bias, #all], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%bg : tensor<1x4xbf16>) outs(%e0 : tensor<1x4x6xf32>) {
  ^bb0(%v: bf16, %out: f32):
    %ev = arith.extf %v : bf16 to f32
    linalg.yield %ev : f32
  } -> tensor<1x4x6xf32>
  %acc = linalg.generic {indexing_maps = [#cx, #cw, #co], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : tensor<1x2x8xbf16>, tensor<1x4x2x3xbf16>) outs(%init : tensor<1x4x6xf32>) {
  ^bb0(%a: bf16, %c: bf16, %out: f32):
    %ea = arith.extf %a : bf16 to f32
    %ec = arith.extf %c : bf16 to f32
    %m = arith.mulf %ea, %ec : f32
    %s = arith.addf %out, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x4x6xf32>
  %flat = tensor.collapse_shape %acc [[0, 1], [2]] : tensor<1x4x6xf32> into tensor<4x6xf32>
  %e1 = tensor.empty() : tensor<4x6xbf16>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%flat : tensor<4x6xf32>) outs(%e1 : tensor<4x6xbf16>) {
  ^bb0(%in: f32, %o: bf16):
    %t = arith.truncf %in : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<4x6xbf16>
  return %y : tensor<4x6xbf16>
}

// -----

// A weight gradient computed in two parts (even and odd taps) inserted into
// one f32 gradient: the rounding moves before both insertions and into both
// reductions; the gradient is an f16 tensor from the start.
#px = affine_map<(d0, d1) -> (d1)>
#pg = affine_map<(d0, d1) -> (d0, d1)>
#po = affine_map<(d0, d1) -> (d0)>
#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @parts
// CHECK-NOT: f32>
// CHECK: %[[P0:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2xf16>) {{.*}}pulptrain.f32_accumulator
// CHECK: %[[P1:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2xf16>) {{.*}}pulptrain.f32_accumulator
// CHECK: %[[G:.*]] = tensor.empty() : tensor<4xf16>
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[P0]] into %[[G]][0] [2] [2]
// CHECK: %[[I1:.*]] = tensor.insert_slice %[[P1]] into %[[I0]][1] [2] [2]
// CHECK-NOT: linalg.generic
// CHECK: return %[[I1]]
func.func @parts(%x: tensor<8xf16>, %g: tensor<2x8xf16>) -> tensor<4xf16> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %p0 = linalg.generic {indexing_maps = [#px, #pg, #po], iterator_types = ["parallel", "reduction"]}
      ins(%x, %g : tensor<8xf16>, tensor<2x8xf16>) outs(%f : tensor<2xf32>) {
  ^bb0(%a: f16, %b: f16, %out: f32):
    %ea = arith.extf %a : f16 to f32
    %eb = arith.extf %b : f16 to f32
    %m = arith.mulf %ea, %eb : f32
    %s = arith.addf %out, %m : f32
    linalg.yield %s : f32
  } -> tensor<2xf32>
  %p1 = linalg.generic {indexing_maps = [#px, #pg, #po], iterator_types = ["parallel", "reduction"]}
      ins(%x, %g : tensor<8xf16>, tensor<2x8xf16>) outs(%f : tensor<2xf32>) {
  ^bb0(%a: f16, %b: f16, %out: f32):
    %ea = arith.extf %a : f16 to f32
    %eb = arith.extf %b : f16 to f32
    %m = arith.mulf %eb, %ea : f32
    %s = arith.addf %out, %m : f32
    linalg.yield %s : f32
  } -> tensor<2xf32>
  %grad = tensor.empty() : tensor<4xf32>
  %i0 = tensor.insert_slice %p0 into %grad[0] [2] [2] : tensor<2xf32> into tensor<4xf32>
  %i1 = tensor.insert_slice %p1 into %i0[1] [2] [2] : tensor<2xf32> into tensor<4xf32>
  %e1 = tensor.empty() : tensor<4xf16>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%i1 : tensor<4xf32>) outs(%e1 : tensor<4xf16>) {
  ^bb0(%in: f32, %o: f16):
    %t = arith.truncf %in : f32 to f16
    linalg.yield %t : f16
  } -> tensor<4xf16>
  return %y : tensor<4xf16>
}

// -----

// Reductions that keep their f32 result: one with a second user (the f32
// sum is returned too), one whose init is another reduction's f32 result
// (a chunk of a longer sum: its partial sum must not be rounded), and one
// with a parallel loop inside its reduction loop (its accumulator would
// not stay in one register across the reduction).
#mk = affine_map<(d0, d1) -> (d0, d1)>
#m = affine_map<(d0, d1) -> (d0)>
#n = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @kept_reductions
// CHECK-NOT: pulptrain.f32_accumulator
// CHECK-COUNT-7: linalg.generic
// CHECK-NOT: linalg.generic
func.func @kept_reductions(%a: tensor<8x16xf16>)
    -> (tensor<8xf16>, tensor<8xf32>, tensor<8xf16>, tensor<16xf16>) {
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
  %r0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%sum : tensor<8xf32>) outs(%e1 : tensor<8xf16>) {
  ^bb0(%in: f32, %o: f16):
    %t = arith.truncf %in : f32 to f16
    linalg.yield %t : f16
  } -> tensor<8xf16>
  %chunk = linalg.generic {indexing_maps = [#mk, #m], iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<8x16xf16>) outs(%f : tensor<8xf32>) {
  ^bb0(%x: f16, %out: f32):
    %ex = arith.extf %x : f16 to f32
    %s = arith.addf %out, %ex : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  %more = linalg.generic {indexing_maps = [#mk, #m], iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<8x16xf16>) outs(%chunk : tensor<8xf32>) {
  ^bb0(%x: f16, %out: f32):
    %ex = arith.extf %x : f16 to f32
    %s = arith.addf %out, %ex : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  %r1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%more : tensor<8xf32>) outs(%e1 : tensor<8xf16>) {
  ^bb0(%in: f32, %o: f16):
    %t = arith.truncf %in : f32 to f16
    linalg.yield %t : f16
  } -> tensor<8xf16>
  %e2 = tensor.empty() : tensor<16xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<16xf32>) -> tensor<16xf32>
  %cols = linalg.generic {indexing_maps = [#mk, #n], iterator_types = ["reduction", "parallel"]}
      ins(%a : tensor<8x16xf16>) outs(%f2 : tensor<16xf32>) {
  ^bb0(%x: f16, %out: f32):
    %ex = arith.extf %x : f16 to f32
    %s = arith.addf %out, %ex : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e3 = tensor.empty() : tensor<16xf16>
  %r2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%cols : tensor<16xf32>) outs(%e3 : tensor<16xf16>) {
  ^bb0(%in: f32, %o: f16):
    %t = arith.truncf %in : f32 to f16
    linalg.yield %t : f16
  } -> tensor<16xf16>
  return %r0, %sum, %r1, %r2 : tensor<8xf16>, tensor<8xf32>, tensor<8xf16>, tensor<16xf16>
}

// -----

// An SGD update that pulptrain-fuse-weight-update fused a weight gradient's
// rounding into reads the f32 gradient only to round it: the rounding goes
// back to the gradient's reduction (its epilogue, in the gradient's
// profiling region), and the update reads the f16 gradient.
#gx = affine_map<(d0, d1) -> (d1)>
#gg = affine_map<(d0, d1) -> (d0, d1)>
#go = affine_map<(d0, d1) -> (d0)>
#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @update
// CHECK-NOT: f32>
// CHECK: cluster.profile_enter 1
// CHECK: %[[G:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} outs(%{{.*}} : tensor<4xf16>) {{.*}}pulptrain.f32_accumulator
// CHECK: cluster.profile_exit 1
// CHECK: cluster.profile_enter 2
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[G]] : tensor<4xf16>, tensor<4xf16>)
// CHECK-NEXT: ^bb0(%[[W:.*]]: f16, %[[DW:.*]]: f16, %{{.*}}: f16):
// CHECK-NOT: arith.truncf
// CHECK: arith.extf %[[DW]] : f16 to f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK-NOT: linalg.generic
func.func @update(%w: tensor<4xf16>, %x: tensor<8xf16>, %g: tensor<4x8xf16>) -> tensor<4xf16> {
  %zero = arith.constant 0.0 : f32
  %lr = arith.constant 0.5 : f32
  cluster.profile_enter 1
  %e = tensor.empty() : tensor<4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %dw = linalg.generic {indexing_maps = [#gx, #gg, #go], iterator_types = ["parallel", "reduction"]}
      ins(%x, %g : tensor<8xf16>, tensor<4x8xf16>) outs(%f : tensor<4xf32>) {
  ^bb0(%a: f16, %b: f16, %out: f32):
    %ea = arith.extf %a : f16 to f32
    %eb = arith.extf %b : f16 to f32
    %m = arith.mulf %ea, %eb : f32
    %s = arith.addf %out, %m : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  cluster.profile_exit 1
  cluster.profile_enter 2
  %e1 = tensor.empty() : tensor<4xf16>
  %new = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%w, %dw : tensor<4xf16>, tensor<4xf32>) outs(%e1 : tensor<4xf16>) {
  ^bb0(%p: f16, %d: f32, %o: f16):
    %t = arith.truncf %d : f32 to f16
    %ep = arith.extf %p : f16 to f32
    %et = arith.extf %t : f16 to f32
    %step = arith.mulf %et, %lr : f32
    %r = arith.subf %ep, %step : f32
    %rt = arith.truncf %r : f32 to f16
    linalg.yield %rt : f16
  } -> tensor<4xf16>
  cluster.profile_exit 2
  return %new : tensor<4xf16>
}

// -----

// The same for a gradient made of two parts inserted into one tensor (a
// weight gradient over column pairs): the update reads the f16 gradient,
// both parts are rounded in their epilogues.
#px = affine_map<(d0, d1) -> (d1)>
#pg = affine_map<(d0, d1) -> (d0, d1)>
#po = affine_map<(d0, d1) -> (d0)>
#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @update_parts
// CHECK-NOT: f32>
// CHECK: %[[P0:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2xf16>) {{.*}}pulptrain.f32_accumulator
// CHECK: %[[P1:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2xf16>) {{.*}}pulptrain.f32_accumulator
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[P0]]
// CHECK: %[[I1:.*]] = tensor.insert_slice %[[P1]] into %[[I0]]
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[I1]] : tensor<4xf16>, tensor<4xf16>)
// CHECK-NOT: arith.truncf %{{.*}} : f32 to f16
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK-NOT: linalg.generic
func.func @update_parts(%w: tensor<4xf16>, %x: tensor<8xf16>, %g: tensor<2x8xf16>) -> tensor<4xf16> {
  %zero = arith.constant 0.0 : f32
  %lr = arith.constant 0.5 : f32
  %e = tensor.empty() : tensor<2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %p0 = linalg.generic {indexing_maps = [#px, #pg, #po], iterator_types = ["parallel", "reduction"]}
      ins(%x, %g : tensor<8xf16>, tensor<2x8xf16>) outs(%f : tensor<2xf32>) {
  ^bb0(%a: f16, %b: f16, %out: f32):
    %ea = arith.extf %a : f16 to f32
    %eb = arith.extf %b : f16 to f32
    %m = arith.mulf %ea, %eb : f32
    %s = arith.addf %out, %m : f32
    linalg.yield %s : f32
  } -> tensor<2xf32>
  %p1 = linalg.generic {indexing_maps = [#px, #pg, #po], iterator_types = ["parallel", "reduction"]}
      ins(%x, %g : tensor<8xf16>, tensor<2x8xf16>) outs(%f : tensor<2xf32>) {
  ^bb0(%a: f16, %b: f16, %out: f32):
    %ea = arith.extf %a : f16 to f32
    %eb = arith.extf %b : f16 to f32
    %m = arith.mulf %eb, %ea : f32
    %s = arith.addf %out, %m : f32
    linalg.yield %s : f32
  } -> tensor<2xf32>
  %grad = tensor.empty() : tensor<4xf32>
  %i0 = tensor.insert_slice %p0 into %grad[0] [2] [2] : tensor<2xf32> into tensor<4xf32>
  %i1 = tensor.insert_slice %p1 into %i0[1] [2] [2] : tensor<2xf32> into tensor<4xf32>
  %e1 = tensor.empty() : tensor<4xf16>
  %new = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%w, %i1 : tensor<4xf16>, tensor<4xf32>) outs(%e1 : tensor<4xf16>) {
  ^bb0(%p: f16, %d: f32, %o: f16):
    %t = arith.truncf %d : f32 to f16
    %ep = arith.extf %p : f16 to f32
    %et = arith.extf %t : f16 to f32
    %step = arith.mulf %et, %lr : f32
    %r = arith.subf %ep, %step : f32
    %rt = arith.truncf %r : f32 to f16
    linalg.yield %rt : f16
  } -> tensor<4xf16>
  return %new : tensor<4xf16>
}
