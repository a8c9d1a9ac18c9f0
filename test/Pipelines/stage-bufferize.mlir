// RUN: pulptrain-opt %s --pulptrain-stage-bufferize | FileCheck %s

// Stage 2 alone: linalg on tensors enters; buffers leave. Every result is
// an out-parameter of its own (the value returned twice is copied first),
// the caller's arguments are never written (the bias the linear layer
// accumulates into is copied), and each copy is a linalg.copy.

#mv0 = affine_map<(d0, d1) -> (d0, d1)>
#mv1 = affine_map<(d0, d1) -> (d1)>
#mv2 = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @layer(
// CHECK-SAME: %[[X:[^:]*]]: memref<8xf32>, %[[W:[^:]*]]: memref<4x8xf32>, %[[B:[^:]*]]: memref<4xf32>,
// CHECK-SAME: %[[OUT0:[^:]*]]: memref<4xf32>, %[[OUT1:[^:]*]]: memref<4xf32>)
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%[[B]] : memref<4xf32>) outs(%[[OUT0]] : memref<4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[W]], %[[X]] : memref<4x8xf32>, memref<8xf32>) outs(%[[OUT0]] : memref<4xf32>)
// CHECK: linalg.copy ins(%[[OUT0]] : memref<4xf32>) outs(%[[OUT1]] : memref<4xf32>)
// CHECK-NOT: memref.copy
// CHECK: return{{$}}
func.func @layer(%x: tensor<8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %y = linalg.generic {indexing_maps = [#mv0, #mv1, #mv2], iterator_types = ["parallel", "reduction"]}
      ins(%w, %x : tensor<4x8xf32>, tensor<8xf32>) outs(%b : tensor<4xf32>) {
  ^bb0(%a: f32, %v: f32, %acc: f32):
    %p = arith.mulf %a, %v : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %y, %y : tensor<4xf32>, tensor<4xf32>
}
