// RUN: pulptrain-opt %s --convert-pulptrain-to-linalg --cse | FileCheck %s

// An op that pulptrain-recompute computes again carries the mark in its
// location; what it lowers to gets the pulptrain.recomputed attribute, so
// CSE keeps it apart from the forward op it repeats. Without the mark the
// two relus are one generic after CSE.

// CHECK-LABEL: func.func @marked
// CHECK:     %[[A:.*]] = linalg.generic
// CHECK-NOT: pulptrain.recomputed
// CHECK:     %[[E:.*]] = tensor.empty() {pulptrain.recomputed}
// CHECK:     %[[B:.*]] = linalg.generic {{.*}} outs(%[[E]] : {{.*}}) attrs = {pulptrain.recomputed}
// CHECK:     return %[[A]], %[[B]]
func.func @marked(%c: tensor<2x4x4xf32>) -> (tensor<2x4x4xf32>, tensor<2x4x4xf32>) {
  %b = pulptrain.relu %c : tensor<2x4x4xf32>
  %b2 = pulptrain.relu %c : tensor<2x4x4xf32> loc(fused<"pulptrain.recomputed">["relu"])
  return %b, %b2 : tensor<2x4x4xf32>, tensor<2x4x4xf32>
}

// CHECK-LABEL: func.func @unmarked
// CHECK:     %[[A:.*]] = linalg.generic
// CHECK-NOT: linalg.generic
// CHECK:     return %[[A]], %[[A]]
func.func @unmarked(%c: tensor<2x4x4xf32>) -> (tensor<2x4x4xf32>, tensor<2x4x4xf32>) {
  %b = pulptrain.relu %c : tensor<2x4x4xf32>
  %b2 = pulptrain.relu %c : tensor<2x4x4xf32>
  return %b, %b2 : tensor<2x4x4xf32>, tensor<2x4x4xf32>
}
