// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --pulptrain-distinct-results | FileCheck %s

// A value returned twice gets a copy for its second result (found by
// bench/fuzz: buffer-results-to-out-params crashed on it).

// CHECK-LABEL: func.func @twice
// CHECK: %[[H:.*]] = pulptrain.linear
// CHECK: %[[COPY1:.*]] = bufferization.alloc_tensor() copy(%[[H]]) : tensor<4xf32>
// CHECK: %[[COPY2:.*]] = bufferization.alloc_tensor() copy(%[[H]]) : tensor<4xf32>
// CHECK: return %[[H]], %[[COPY1]], %[[COPY2]]
func.func @twice(%x: tensor<4xf32>, %w: tensor<4x4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %h = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<4x4xf32>) -> tensor<4xf32>
  return %h, %h, %h : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @memref_twice
// CHECK: %[[ALLOC:.*]] = memref.alloc() : memref<8xf32>
// CHECK: linalg.copy ins(%arg0 : memref<8xf32>) outs(%[[ALLOC]] : memref<8xf32>)
// CHECK: return %arg0, %[[ALLOC]]
func.func @memref_twice(%a: memref<8xf32>) -> (memref<8xf32>, memref<8xf32>) {
  return %a, %a : memref<8xf32>, memref<8xf32>
}

// -----

// Distinct results are left alone.
// CHECK-LABEL: func.func @distinct
// CHECK-NOT: alloc_tensor
// CHECK: return %arg0, %arg1
func.func @distinct(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

func.func @dynamic(%a: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  // expected-error @below {{'func.return' op returns the same value of type 'tensor<?xf32>' as result #1 and an earlier result; each result needs its own buffer, and a copy needs a static shape}}
  return %a, %a : tensor<?xf32>, tensor<?xf32>
}
