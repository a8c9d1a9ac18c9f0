// RUN: pulptrain-opt %s --split-input-file --pulptrain-collapse-elementwise | FileCheck %s

// A 3x3 kernel's SGD update on contiguous buffers: one loop over the 1152
// weights, each operand collapsed, the body unchanged.
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @update
// CHECK-SAME: (%[[W:.*]]: memref<16x8x3x3xf16>, %[[G:.*]]: memref<16x8x3x3xf16>)
// CHECK-DAG: %[[CW:.*]] = memref.collapse_shape %[[W]] {{\[\[}}0, 1, 2, 3]] : memref<16x8x3x3xf16> into memref<1152xf16>
// CHECK-DAG: %[[CG:.*]] = memref.collapse_shape %[[G]] {{\[\[}}0, 1, 2, 3]] : memref<16x8x3x3xf16> into memref<1152xf16>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ID]]], iterator_types = ["parallel"]} ins(%[[CW]], %[[CG]] : memref<1152xf16>, memref<1152xf16>) outs(%{{.*}} : memref<1152xf16>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: f16, %[[B:.*]]: f16, %{{.*}}: f16):
// CHECK-NEXT: %[[C:.*]] = arith.constant -4.998780e-02 : f16
// CHECK-NEXT: %[[R:.*]] = math.fma %[[B]], %[[C]], %[[A]] : f16
// CHECK-NEXT: linalg.yield %[[R]] : f16
func.func @update(%w: memref<16x8x3x3xf16>, %g: memref<16x8x3x3xf16>) {
  linalg.generic {indexing_maps = [#id4, #id4, #id4],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%w, %g : memref<16x8x3x3xf16>, memref<16x8x3x3xf16>)
      outs(%w : memref<16x8x3x3xf16>) {
  ^bb0(%a: f16, %b: f16, %out: f16):
    %c = arith.constant -4.998780e-02 : f16
    %r = math.fma %b, %c, %a : f16
    linalg.yield %r : f16
  }
  return
}

// -----

// Left alone: a strided window of a larger buffer (not contiguous), a
// broadcast operand (not an identity map), a reduction, a tensor op (all
// f16), and an f32 op on contiguous buffers (no pairs to gain).
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @kept
// CHECK-NOT: collapse_shape
// CHECK: iterator_types = ["parallel", "parallel"]
// CHECK: iterator_types = ["parallel", "parallel"]
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: iterator_types = ["parallel", "parallel"]
// CHECK: iterator_types = ["parallel", "parallel"]
// CHECK: return
func.func @kept(%big: memref<8x16xf16>, %x: memref<8xf16>, %y: memref<8x8xf16>,
                %t: tensor<4x4xf16>, %z: memref<8x8xf32>) -> tensor<4x4xf16> {
  %win = memref.subview %big[0, 0] [8, 8] [1, 1] : memref<8x16xf16> to memref<8x8xf16, strided<[16, 1]>>
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%win : memref<8x8xf16, strided<[16, 1]>>) outs(%y : memref<8x8xf16>) {
  ^bb0(%a: f16, %out: f16):
    linalg.yield %a : f16
  }
  linalg.generic {indexing_maps = [#row, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<8xf16>) outs(%y : memref<8x8xf16>) {
  ^bb0(%a: f16, %out: f16):
    linalg.yield %a : f16
  }
  linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]}
      ins(%y : memref<8x8xf16>) outs(%x : memref<8xf16>) {
  ^bb0(%a: f16, %out: f16):
    %s = arith.addf %a, %out : f16
    linalg.yield %s : f16
  }
  %e = tensor.empty() : tensor<4x4xf16>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%t : tensor<4x4xf16>) outs(%e : tensor<4x4xf16>) {
  ^bb0(%a: f16, %out: f16):
    linalg.yield %a : f16
  } -> tensor<4x4xf16>
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%z : memref<8x8xf32>) outs(%z : memref<8x8xf32>) {
  ^bb0(%a: f32, %out: f32):
    %m = arith.maximumf %a, %out : f32
    linalg.yield %m : f32
  }
  return %r : tensor<4x4xf16>
}
