// RUN: pulptrain-opt %s --split-input-file --pulptrain-bufferize | FileCheck %s

// A result computed in a buffer of its own becomes the out-parameter
// itself (no copy); a value written in place into a read-only argument is
// copied first, by a linalg.copy, never a memref.copy.

#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @step(
// CHECK-SAME: %[[X:.*]]: memref<4xf32>, %[[B:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<4xf32>)
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%[[B]] : memref<4xf32>) outs(%[[OUT]] : memref<4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[X]] : memref<4xf32>) outs(%[[OUT]] : memref<4xf32>)
// CHECK-NOT: memref.copy
// CHECK: return{{$}}
func.func @step(%x: tensor<4xf32> {bufferization.writable = false},
                %b: tensor<4xf32> {bufferization.writable = false}) -> tensor<4xf32> {
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%b : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A result that is a strided view of an argument is copied into its
// out-parameter by a linalg.copy, which becomes loops, where a strided
// memref.copy would call MLIR's C runner library.
// CHECK-LABEL: func.func @slice(
// CHECK-SAME: %[[X:.*]]: memref<8xf32>, %[[OUT:.*]]: memref<4xf32>)
// CHECK: %[[SUB:.*]] = memref.subview %[[X]][2] [4] [1]
// CHECK: linalg.copy ins(%[[SUB]] : memref<4xf32, strided<[1], offset: 2>>) outs(%[[OUT]] : memref<4xf32>)
// CHECK-NOT: memref.copy
func.func @slice(%x: tensor<8xf32> {bufferization.writable = false}) -> tensor<4xf32> {
  %s = tensor.extract_slice %x[2] [4] [1] : tensor<8xf32> to tensor<4xf32>
  return %s : tensor<4xf32>
}
