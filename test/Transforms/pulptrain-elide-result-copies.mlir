// RUN: pulptrain-opt %s --pulptrain-elide-result-copies | FileCheck %s

// A reshaped accumulator is computed in its out-parameter.
// CHECK-LABEL: func.func @reshaped
// CHECK-SAME: (%[[X:.*]]: memref<8xf32>, %[[OUT:.*]]: memref<2x2x2xf32>)
// CHECK-NOT: memref.alloc
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[OUT]] {{\[\[}}0, 1, 2]] : memref<2x2x2xf32> into memref<8xf32>
// CHECK: %[[ACC:.*]] = memref.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [2, 4] : memref<8xf32> into memref<2x4xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[ACC]] : memref<2x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[X]] : memref<8xf32>) outs(%{{.*}} : memref<8xf32>)
// CHECK-NOT: linalg.copy
// CHECK: return
func.func @reshaped(%x: memref<8xf32>, %out: memref<2x2x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %acc = memref.alloc() : memref<2x4xf32>
  linalg.fill ins(%zero : f32) outs(%acc : memref<2x4xf32>)
  %flat = memref.collapse_shape %acc [[0, 1]] : memref<2x4xf32> into memref<8xf32>
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                  iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%flat : memref<8xf32>) {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  %r = memref.expand_shape %flat [[0, 1, 2]] output_shape [2, 2, 2] : memref<8xf32> into memref<2x2x2xf32>
  linalg.copy ins(%r : memref<2x2x2xf32>) outs(%out : memref<2x2x2xf32>)
  return
}

// The temporary is read after the copy: the copy stays.
// CHECK-LABEL: func.func @used_after
// CHECK: memref.alloc
// CHECK: linalg.copy
func.func @used_after(%out: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %acc = memref.alloc() : memref<4xf32>
  linalg.copy ins(%acc : memref<4xf32>) outs(%out : memref<4xf32>)
  %v = memref.load %acc[%c0] : memref<4xf32>
  return %v : f32
}

// The out-parameter is also read elsewhere: the copy stays.
// CHECK-LABEL: func.func @target_read
// CHECK: memref.alloc
// CHECK: linalg.copy
func.func @target_read(%out: memref<4xf32>, %other: memref<4xf32>) {
  %acc = memref.alloc() : memref<4xf32>
  linalg.copy ins(%out : memref<4xf32>) outs(%other : memref<4xf32>)
  linalg.copy ins(%acc : memref<4xf32>) outs(%out : memref<4xf32>)
  return
}

// A source that is not a buffer's reshape (a strided view): the copy stays.
// CHECK-LABEL: func.func @subview
// CHECK: memref.subview
// CHECK: linalg.copy
func.func @subview(%out: memref<2xf32>) {
  %acc = memref.alloc() : memref<4xf32>
  %s = memref.subview %acc[1] [2] [1] : memref<4xf32> to memref<2xf32, strided<[1], offset: 1>>
  linalg.copy ins(%s : memref<2xf32, strided<[1], offset: 1>>) outs(%out : memref<2xf32>)
  return
}

// A view of the temporary (not a reshape) is read after the copy: the copy
// stays.
// CHECK-LABEL: func.func @view_used_after
// CHECK: memref.alloc
// CHECK: linalg.copy
func.func @view_used_after(%out: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %acc = memref.alloc() : memref<4xf32>
  %s = memref.subview %acc[1] [2] [1] : memref<4xf32> to memref<2xf32, strided<[1], offset: 1>>
  linalg.copy ins(%acc : memref<4xf32>) outs(%out : memref<4xf32>)
  %v = memref.load %s[%c0] : memref<2xf32, strided<[1], offset: 1>>
  return %v : f32
}
