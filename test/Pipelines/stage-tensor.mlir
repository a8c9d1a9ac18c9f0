// RUN: pulptrain-opt %s --split-input-file --pulptrain-stage-tensor | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file "--pulptrain-stage-tensor=im2col=fwd" | FileCheck %s --check-prefix=IM2COL
// RUN: not pulptrain-opt %s "--pulptrain-stage-tensor=im2col=fwd,bwd" 2>&1 | FileCheck %s --check-prefix=BADOPT
// RUN: pulptrain-opt %s --split-input-file "--pulptrain-stage-tensor=simd=true" | FileCheck %s --check-prefix=SIMD
// RUN: pulptrain-opt %s --split-input-file "--pulptrain-stage-tensor=elementwise-in-place=false" | FileCheck %s --check-prefix=NOINPLACE

// Stage 1 alone: pulptrain ops on tensors enter; linalg (and tensor) ops
// on tensors leave. With im2col=fwd, the forward convolution is a patch
// tensor and a matmul; by default only the input gradient is.

// CHECK-LABEL: func.func @layer
// CHECK-NOT: pulptrain.
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: linalg.generic
// CHECK: arith.maximumf
// CHECK: return {{.*}} : tensor<4x6x6xf32>

// IM2COL-LABEL: func.func @layer
// IM2COL: tensor<1x18x36xf32>
// IM2COL: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
func.func @layer(%x: tensor<2x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<4x6x6xf32> {
  %y = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] : (tensor<2x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<4x6x6xf32>
  %r = pulptrain.relu %y : tensor<4x6x6xf32>
  return %r : tensor<4x6x6xf32>
}

// With simd, an f16 convolution reduces over channel pairs: the input
// copied as HWC, the channels the innermost reduction; without, it keeps
// the CHW direct kernel (the kernel width innermost).
// CHECK-LABEL: func.func @layer_f16
// CHECK-NOT: linalg.transpose
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x2x8x8xf16>, tensor<1x4x2x3x3xf16>)
// SIMD-LABEL: func.func @layer_f16
// SIMD: linalg.transpose ins(%{{.*}} : tensor<1x2x8x8xf16>) outs(%{{.*}} : tensor<1x8x8x2xf16>)
// SIMD: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x8x8x2xf16>, tensor<1x4x3x3x2xf16>)
func.func @layer_f16(%x: tensor<2x8x8xf16>, %w: tensor<4x2x3x3xf16>) -> tensor<4x6x6xf16> {
  %y = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] : (tensor<2x8x8xf16>, tensor<4x2x3x3xf16>) -> tensor<4x6x6xf16>
  return %y : tensor<4x6x6xf16>
}

// A ReLU whose input (the convolution output, collapsed) dies at it, at
// the function's peak of live buffer bytes, computes its result in that
// buffer (pulptrain-elementwise-in-place); with elementwise-in-place=false
// it writes a buffer of its own.
// CHECK-LABEL: func.func @relu_between_convs
// CHECK: %[[C:.*]] = tensor.collapse_shape
// CHECK: linalg.generic {{.*}} ins(%[[C]] : tensor<4x6x6xf32>) outs(%[[C]] : tensor<4x6x6xf32>)
// CHECK: arith.maximumf
// NOINPLACE-LABEL: func.func @relu_between_convs
// NOINPLACE: %[[C:.*]] = tensor.collapse_shape
// NOINPLACE-NOT: outs(%[[C]] :
// NOINPLACE: arith.maximumf
func.func @relu_between_convs(%x: tensor<2x8x8xf32>, %w: tensor<4x2x3x3xf32>, %w2: tensor<4x4x3x3xf32>) -> tensor<4x4x4xf32> {
  %y = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] : (tensor<2x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<4x6x6xf32>
  %r = pulptrain.relu %y : tensor<4x6x6xf32>
  %z = pulptrain.conv2d %r, %w2 stride [1, 1] padding [0, 0, 0, 0] : (tensor<4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<4x4x4xf32>
  return %z : tensor<4x4x4xf32>
}

// BADOPT: for the --im2col option: Cannot find option named 'bwd'!
