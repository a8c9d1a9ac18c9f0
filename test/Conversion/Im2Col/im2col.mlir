// RUN: pulptrain-opt %s --pulptrain-im2col | FileCheck %s
// RUN: pulptrain-opt %s --pulptrain-im2col=patch-budget=1152 | FileCheck %s --check-prefix=CHUNK
// RUN: pulptrain-opt %s --pulptrain-im2col=patch-budget=100 | FileCheck %s --check-prefix=DIRECT
// RUN: pulptrain-opt %s --pulptrain-im2col=steps=in-grad | FileCheck %s --check-prefix=STEPS

// The indexing maps of all the functions below.
// CHECK-DAG: #[[PATCH:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, 0, d1, d2 + d4, d3 + d5)>
// CHECK-DAG: #[[ID6:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, d3)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[WPATCH:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4 * 2 + d2, d5 * 2 + d3)>
// CHECK-DAG: #[[WRHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[FLIP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d1, -d3 + 2, -d4 + 2)>
// CHECK-DAG: #[[QPATCH:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 + d4 + 1, d3 + d5 + 1)>
// CHECK-DAG: #[[PWLHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>

// Forward: the patch [G, Cg*Kh*Kw, Ho*Wo] of the (unpadded) input, then the
// product with the weight [G, K, Cg*Kh*Kw].
// CHECK-LABEL: func.func @fwd
// CHECK: %[[W:.*]] = tensor.collapse_shape {{.*}} into tensor<1x8x36xf32>
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[PATCH]], #[[ID6]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins({{.*}} : tensor<1x1x4x6x6xf32>) outs({{.*}} : tensor<1x4x3x3x4x4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]]
// CHECK: %[[PM:.*]] = tensor.collapse_shape %[[P]] {{\[\[}}0], [1, 2, 3], [4, 5]] : tensor<1x4x3x3x4x4xf32> into tensor<1x36x16xf32>
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins({{.*}}, %[[PM]] : tensor<1x8x1x36xf32>, tensor<1x36x16xf32>) outs({{.*}} : tensor<1x8x16xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK-NOT: linalg.generic
// CHECK: tensor.expand_shape {{.*}} into tensor<8x4x4xf32>
// CHECK-NOT: pulptrain.conv2d

// Partial im2col: two input channels (2*3*3*16*4 = 1152 bytes) per patch,
// two products accumulating into one result.
// CHUNK-LABEL: func.func @fwd
// CHUNK: ins({{.*}} : tensor<1x2x2x6x6xf32>) outs({{.*}} : tensor<1x2x3x3x4x4xf32>)
// CHUNK: %[[Y0:.*]] = linalg.generic {{.*}} ins({{.*}} : tensor<1x8x2x18xf32>, tensor<1x18x16xf32>) outs(%{{.*}} : tensor<1x8x16xf32>)
// CHUNK: ins({{.*}} : tensor<1x2x2x6x6xf32>) outs({{.*}} : tensor<1x2x3x3x4x4xf32>)
// CHUNK: linalg.generic {{.*}} ins({{.*}} : tensor<1x8x2x18xf32>, tensor<1x18x16xf32>) outs(%[[Y0]] : tensor<1x8x16xf32>)

// Not even one channel's patch fits: the direct lowering remains.
// DIRECT-LABEL: func.func @fwd
// DIRECT: pulptrain.conv2d
// STEPS-LABEL: func.func @fwd
// STEPS: pulptrain.conv2d
func.func @fwd(%x: tensor<4x6x6xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<8x4x4xf32> {
  %y = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] : (tensor<4x6x6xf32>, tensor<8x4x3x3xf32>) -> tensor<8x4x4xf32>
  return %y : tensor<8x4x4xf32>
}

// Weight gradient: dW [G, K, Cg*Kh*Kw] += dY [G, K, Ho*Wo] . P^T, the patch
// of the padded input; chunks are output rows (one per 1152 bytes).
// CHECK-LABEL: func.func @wgt_grad
// CHECK: tensor.insert_slice {{.*}} into {{.*}}[0, 1, 1] [4, 6, 6] [1, 1, 1] : tensor<4x6x6xf32> into tensor<4x8x8xf32>
// CHECK: linalg.generic {indexing_maps = [#[[WPATCH]], #{{.*}}]{{.*}} ins({{.*}} : tensor<1x4x8x8xf32>) outs({{.*}} : tensor<1x4x3x3x3x3xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[WRHS]], #{{.*}}]{{.*}} ins({{.*}} : tensor<1x8x1x9xf32>, tensor<1x36x9xf32>) outs({{.*}} : tensor<1x8x36xf32>)
// CHECK: tensor.expand_shape {{.*}} into tensor<8x4x3x3xf32>
// STEPS-LABEL: func.func @wgt_grad
// STEPS: pulptrain.conv2d_wgt_grad
// CHUNK-LABEL: func.func @wgt_grad
// CHUNK-COUNT-3: ins({{.*}} : tensor<1x8x3x3xf32>, tensor<1x36x3xf32>) outs({{.*}} : tensor<1x8x36xf32>)
// CHUNK-NOT: tensor<1x36x3xf32>
// CHUNK-LABEL: func.func @in_grad
func.func @wgt_grad(%x: tensor<4x6x6xf32>, %dy: tensor<8x3x3xf32>) -> tensor<8x4x3x3xf32> {
  %dw = pulptrain.conv2d_wgt_grad %x, %dy stride [2, 2] padding [1, 1, 1, 1] : (tensor<4x6x6xf32>, tensor<8x3x3xf32>) -> tensor<8x4x3x3xf32>
  return %dw : tensor<8x4x3x3xf32>
}

// Input gradient: the flipped, transposed kernel [G, Cg, K*Kh*Kw] times the
// patch of the padded output gradient, unpadded input positions only.
// CHECK-LABEL: func.func @in_grad
// CHECK: linalg.generic {indexing_maps = [#[[FLIP]], #{{.*}}]{{.*}} outs({{.*}} : tensor<1x4x8x3x3xf32>)
// CHECK: tensor.insert_slice {{.*}}[0, 0, 2, 2] [1, 8, 6, 6] [1, 1, 1, 1] : tensor<1x8x6x6xf32> into tensor<1x8x10x10xf32>
// CHECK: linalg.generic {indexing_maps = [#[[QPATCH]], #{{.*}}]{{.*}} outs({{.*}} : tensor<1x8x3x3x6x6xf32>)
// CHECK: linalg.generic {{.*}} ins({{.*}} : tensor<1x4x1x72xf32>, tensor<1x72x36xf32>) outs({{.*}} : tensor<1x4x36xf32>)
// CHECK: tensor.expand_shape {{.*}} into tensor<4x6x6xf32>
// STEPS-LABEL: func.func @in_grad
// STEPS-NOT: pulptrain.conv2d_in_grad
func.func @in_grad(%dy: tensor<8x6x6xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<4x6x6xf32> {
  %dx = pulptrain.conv2d_in_grad %dy, %w stride [1, 1] padding [1, 1, 1, 1] : (tensor<8x6x6xf32>, tensor<8x4x3x3xf32>) -> tensor<4x6x6xf32>
  return %dx : tensor<4x6x6xf32>
}

// Pointwise: a product of the feature map itself, no patch; two groups,
// HWC layout (transposed to CHW and back).
// CHECK-LABEL: func.func @pointwise_grouped_hwc
// CHECK: linalg.transpose
// CHECK: linalg.generic {indexing_maps = [#[[PWLHS]], #{{.*}}, #{{.*}}]{{.*}} ins({{.*}} : tensor<2x3x2xf32>, tensor<2x2x20xf32>) outs({{.*}} : tensor<2x3x20xf32>)
// CHECK-NOT: linalg.generic
// CHECK: linalg.transpose
func.func @pointwise_grouped_hwc(%x: tensor<4x5x4xf32>, %w: tensor<6x1x1x2xf32>) -> tensor<4x5x6xf32> {
  %y = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] groups 2 layout <hwc> : (tensor<4x5x4xf32>, tensor<6x1x1x2xf32>) -> tensor<4x5x6xf32>
  return %y : tensor<4x5x6xf32>
}

// Depthwise convolutions keep their direct kernel.
// CHECK-LABEL: func.func @depthwise
// CHECK: pulptrain.conv2d {{.*}} groups 4
func.func @depthwise(%x: tensor<4x6x6xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<4x4x4xf32> {
  %y = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] groups 4 : (tensor<4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<4x4x4xf32>
  return %y : tensor<4x4x4xf32>
}
