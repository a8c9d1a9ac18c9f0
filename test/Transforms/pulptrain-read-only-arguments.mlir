// RUN: pulptrain-opt %s --pulptrain-read-only-arguments | FileCheck %s
// RUN: pulptrain-opt %s --pulptrain-read-only-arguments --one-shot-bufferize="bufferize-function-boundaries=1 function-boundary-type-conversion=identity-layout-map" | FileCheck %s --check-prefix=BUF
// RUN: pulptrain-opt %s --one-shot-bufferize="bufferize-function-boundaries=1 function-boundary-type-conversion=identity-layout-map" | FileCheck %s --check-prefix=INPLACE

// Every tensor argument of a function with a body becomes read-only; other
// arguments, declarations and an explicit choice are left alone.

// CHECK-LABEL: func.func private @external(tensor<2xf32>)
// CHECK-LABEL: func.func @step(
// CHECK-SAME: %{{.*}}: tensor<4xf32> {bufferization.writable = false},
// CHECK-SAME: %{{.*}}: tensor<2xf32> {bufferization.writable = false, pulptrain.param = "fc.bias"},
// CHECK-SAME: %{{.*}}: index,
// CHECK-SAME: %{{.*}}: tensor<2xf32> {bufferization.writable = true})

// An op that would compute in place into the bias (its accumulator's
// initial value) now works on a copy: the caller's buffer is only read.
// Without the pass it writes into the caller's buffer.
// BUF-LABEL: func.func @step(
// BUF-SAME: %[[X:.*]]: memref<4xf32>, %[[B:.*]]: memref<2xf32> {pulptrain.param = "fc.bias"}
// BUF: %[[COPY:.*]] = memref.alloc() {{.*}}: memref<2xf32>
// BUF: memref.copy %[[B]], %[[COPY]]
// BUF: linalg.generic {{.*}} outs(%[[COPY]] : memref<2xf32>)
// BUF: return %[[COPY]]
// INPLACE-LABEL: func.func @step(
// INPLACE-SAME: %[[X:[^:]*]]: memref<4xf32>, %[[B:[^:]*]]: memref<2xf32> {pulptrain.param = "fc.bias"}
// INPLACE-NOT: memref.copy
// INPLACE: linalg.generic {{.*}} outs(%[[B]] : memref<2xf32>)
#in = affine_map<(o, i) -> (i)>
#out = affine_map<(o, i) -> (o)>
func.func private @external(tensor<2xf32>)
func.func @step(%x: tensor<4xf32>, %b: tensor<2xf32> {pulptrain.param = "fc.bias"}, %n: index,
                %w: tensor<2xf32> {bufferization.writable = true}) -> tensor<2xf32> {
  %r = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4xf32>) outs(%b : tensor<2xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<2xf32>
  return %r : tensor<2xf32>
}
