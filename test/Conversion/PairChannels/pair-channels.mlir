// RUN: pulptrain-opt %s --split-input-file --pulptrain-pair-channels | FileCheck %s

// The maps of the convolutions over channel pairs, loops
// (g, oh, k, ow, kh, kw, c), and of the flipped kernel.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d3 + d5, d6)>
// CHECK-DAG: #[[XS:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d4 * 2, d3 * 2 + d5 * 2, d6)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2, d4, d5, d6)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2, d1, d3)>
// CHECK-DAG: #[[DY:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4 + 1, d3 + d5 + 1, d6)>
// CHECK-DAG: #[[FLIP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d1, -d2 + 2, -d3 + 2)>

// Forward: the padded input as [G, Hp, Wp, Cg] and the weight as
// [G, K, Kh, Kw, Cg], reduced over the channels innermost into f32, then
// rounded once.
// CHECK-LABEL: func.func @fwd
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 1, 1] [4, 8, 8] [1, 1, 1] : tensor<4x8x8xf16> into tensor<4x10x10xf16>
// CHECK: %[[XT:.*]] = linalg.transpose ins(%{{.*}} : tensor<1x4x10x10xf16>) outs(%{{.*}} : tensor<1x10x10x4xf16>) permutation = [0, 2, 3, 1]
// CHECK: %[[WT:.*]] = linalg.transpose ins(%{{.*}} : tensor<1x8x4x3x3xf16>) outs(%{{.*}} : tensor<1x8x3x3x4xf16>) permutation = [0, 1, 3, 4, 2]
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[Y]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[XT]], %[[WT]] : tensor<1x10x10x4xf16>, tensor<1x8x3x3x4xf16>) outs(%{{.*}} : tensor<1x8x8x8xf32>)
// CHECK: arith.extf
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK-NOT: pulptrain.conv2d
func.func @fwd(%x: tensor<4x8x8xf16>, %w: tensor<8x4x3x3xf16>) -> tensor<8x8x8xf16> {
  %y = pulptrain.conv2d %x, %w stride [1, 1] padding [1, 1, 1, 1] : (tensor<4x8x8xf16>, tensor<8x4x3x3xf16>) -> tensor<8x8x8xf16>
  return %y : tensor<8x8x8xf16>
}

// Stride and dilation in the input map; two groups of two channels; the
// bias initializes the f32 accumulator.
// CHECK-LABEL: func.func @fwd_strided
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x2x9x9xbf16>) outs(%{{.*}} : tensor<2x9x9x2xbf16>)
// CHECK: linalg.generic {indexing_maps = [#[[XS]], #[[W]], #[[Y]]]{{.*}} ins(%{{.*}}, %{{.*}} : tensor<2x9x9x2xbf16>, tensor<2x3x3x3x2xbf16>) outs(%{{.*}} : tensor<2x3x3x3xf32>)
func.func @fwd_strided(%x: tensor<4x9x9xbf16>, %w: tensor<6x2x3x3xbf16>, %b: tensor<6xbf16>) -> tensor<6x3x3xbf16> {
  %y = pulptrain.conv2d %x, %w, %b stride [2, 2] padding [0, 0, 0, 0] groups 2 {dilation = array<i64: 2, 2>} : (tensor<4x9x9xbf16>, tensor<6x2x3x3xbf16>, tensor<6xbf16>) -> tensor<6x3x3xbf16>
  return %y : tensor<6x3x3xbf16>
}

// Input gradient: the output gradient padded by the kernel span minus one
// as [G, ph, pw, K], the flipped kernel with the output channels innermost,
// only the unpadded input positions (offset by the padding, 1).
// CHECK-LABEL: func.func @in_grad
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 2, 2] [8, 6, 6] [1, 1, 1] : tensor<8x6x6xf16> into tensor<8x10x10xf16>
// CHECK: %[[DYT:.*]] = linalg.transpose ins(%{{.*}} : tensor<1x8x10x10xf16>) outs(%{{.*}} : tensor<1x10x10x8xf16>) permutation = [0, 2, 3, 1]
// CHECK: %[[WF:.*]] = linalg.generic {indexing_maps = [#[[FLIP]], #{{.*}}]{{.*}} ins(%{{.*}} : tensor<1x8x4x3x3xf16>) outs(%{{.*}} : tensor<1x4x3x3x8xf16>)
// CHECK: linalg.generic {indexing_maps = [#[[DY]], #[[W]], #[[Y]]]{{.*}} ins(%[[DYT]], %[[WF]] : tensor<1x10x10x8xf16>, tensor<1x4x3x3x8xf16>) outs(%{{.*}} : tensor<1x4x6x6xf32>)
// CHECK-NOT: pulptrain.conv2d_in_grad
func.func @in_grad(%dy: tensor<8x6x6xf16>, %w: tensor<8x4x3x3xf16>) -> tensor<4x6x6xf16> {
  %dx = pulptrain.conv2d_in_grad %dy, %w stride [1, 1] padding [1, 1, 1, 1] : (tensor<8x6x6xf16>, tensor<8x4x3x3xf16>) -> tensor<4x6x6xf16>
  return %dx : tensor<4x6x6xf16>
}

// What does not pair keeps its op: f32, an odd channel count, depthwise
// (one channel per group), a weight gradient with a column stride of 2 or
// an odd output width, a depthwise 3x3 weight gradient (each element of the
// shifted copy would feed 3 MACs, below the 8 that pay for it), an input
// gradient of an odd count of output channels.
// CHECK-LABEL: func.func @unchanged
// CHECK: pulptrain.conv2d %{{.*}} : (tensor<4x8x8xf32>
// CHECK: pulptrain.conv2d %{{.*}} : (tensor<3x8x8xf16>
// CHECK: pulptrain.conv2d %{{.*}} groups 4 : (tensor<4x8x8xf16>
// CHECK: pulptrain.conv2d_wgt_grad %{{.*}} stride [1, 2]
// CHECK: pulptrain.conv2d_wgt_grad %{{.*}} : (tensor<4x8x7xf16>
// CHECK: pulptrain.conv2d_wgt_grad %{{.*}} groups 4 : (tensor<4x8x8xf16>
// CHECK: pulptrain.conv2d_in_grad %{{.*}} : (tensor<5x8x8xf16>
func.func @unchanged(%x: tensor<4x8x8xf32>, %w: tensor<8x4x3x3xf32>,
                     %x3: tensor<3x8x8xf16>, %w3: tensor<8x3x3x3xf16>,
                     %xd: tensor<4x8x8xf16>, %wd: tensor<4x1x3x3xf16>,
                     %dys: tensor<8x8x4xf16>, %x7: tensor<4x8x7xf16>, %dy7: tensor<8x8x7xf16>,
                     %dyd: tensor<4x8x8xf16>, %dy5: tensor<5x8x8xf16>, %w5: tensor<5x4x3x3xf16>)
    -> (tensor<8x8x8xf32>, tensor<8x8x8xf16>, tensor<4x8x8xf16>, tensor<8x4x3x3xf16>, tensor<8x4x3x3xf16>, tensor<4x1x3x3xf16>, tensor<4x8x8xf16>) {
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [1, 1, 1, 1] : (tensor<4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<8x8x8xf32>
  %1 = pulptrain.conv2d %x3, %w3 stride [1, 1] padding [1, 1, 1, 1] : (tensor<3x8x8xf16>, tensor<8x3x3x3xf16>) -> tensor<8x8x8xf16>
  %2 = pulptrain.conv2d %xd, %wd stride [1, 1] padding [1, 1, 1, 1] groups 4 : (tensor<4x8x8xf16>, tensor<4x1x3x3xf16>) -> tensor<4x8x8xf16>
  %3 = pulptrain.conv2d_wgt_grad %xd, %dys stride [1, 2] padding [1, 1, 1, 1] : (tensor<4x8x8xf16>, tensor<8x8x4xf16>) -> tensor<8x4x3x3xf16>
  %4 = pulptrain.conv2d_wgt_grad %x7, %dy7 stride [1, 1] padding [1, 1, 1, 1] : (tensor<4x8x7xf16>, tensor<8x8x7xf16>) -> tensor<8x4x3x3xf16>
  %5 = pulptrain.conv2d_wgt_grad %xd, %dyd stride [1, 1] padding [1, 1, 1, 1] groups 4 : (tensor<4x8x8xf16>, tensor<4x8x8xf16>) -> tensor<4x1x3x3xf16>
  %6 = pulptrain.conv2d_in_grad %dy5, %w5 stride [1, 1] padding [1, 1, 1, 1] : (tensor<5x8x8xf16>, tensor<5x4x3x3xf16>) -> tensor<4x8x8xf16>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<8x8x8xf32>, tensor<8x8x8xf16>, tensor<4x8x8xf16>, tensor<8x4x3x3xf16>, tensor<8x4x3x3xf16>, tensor<4x1x3x3xf16>, tensor<4x8x8xf16>
}

// -----

// The weight gradient pairs along the output columns: the padded input with
// an even row length (8 + 2 -> 10, plus a zero column: 12), the taps 0 and
// 2 read it at columns ow + 2t, tap 1 reads a copy shifted left by one
// column at ow + 0; the two f32 parts are interleaved (stride 2) and
// rounded once.
// CHECK-DAG: #[[COLS:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2, d3 + d5, d6 + d4 * 2)>
// CHECK-DAG: #[[DY:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d6)>
// CHECK-DAG: #[[SHIFT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3 + 1)>
// CHECK-LABEL: func.func @wgt_grad
// CHECK: %[[XP:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 1, 1] [4, 8, 8] [1, 1, 1] : tensor<4x8x8xf16> into tensor<4x10x12xf16>
// CHECK: %[[X:.*]] = tensor.expand_shape %[[XP]]
// CHECK: %[[E:.*]] = linalg.generic {indexing_maps = [#[[COLS]], #[[DY]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[X]], %{{.*}} : tensor<1x4x10x12xf16>, tensor<1x8x8x8xf16>) outs(%{{.*}} : tensor<1x8x4x3x2xf32>)
// CHECK: %[[G:.*]] = tensor.insert_slice %[[E]] into %{{.*}}[0, 0, 0, 0, 0] [1, 8, 4, 3, 2] [1, 1, 1, 1, 2] : tensor<1x8x4x3x2xf32> into tensor<1x8x4x3x3xf32>
// CHECK: %[[XS:.*]] = linalg.generic {indexing_maps = [#[[SHIFT]], #{{.*}}]{{.*}} ins(%[[X]] : tensor<1x4x10x12xf16>) outs(%{{.*}} : tensor<1x4x10x10xf16>)
// CHECK: %[[O:.*]] = linalg.generic {indexing_maps = [#[[COLS]], #[[DY]], #{{.*}}]{{.*}} ins(%[[XS]], %{{.*}} : tensor<1x4x10x10xf16>, tensor<1x8x8x8xf16>) outs(%{{.*}} : tensor<1x8x4x3x1xf32>)
// CHECK: tensor.insert_slice %[[O]] into %[[G]][0, 0, 0, 0, 1] [1, 8, 4, 3, 1] [1, 1, 1, 1, 2]
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK-NOT: pulptrain.conv2d_wgt_grad
func.func @wgt_grad(%x: tensor<4x8x8xf16>, %dy: tensor<8x8x8xf16>) -> tensor<8x4x3x3xf16> {
  %dw = pulptrain.conv2d_wgt_grad %x, %dy stride [1, 1] padding [1, 1, 1, 1] : (tensor<4x8x8xf16>, tensor<8x8x8xf16>) -> tensor<8x4x3x3xf16>
  return %dw : tensor<8x4x3x3xf16>
}

// -----

// An even dilation puts every tap at an even column: one part, no shifted
// copy and no extra column (the rows are 12 long already). Row stride 2 is
// fine (pairs run along the columns).
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2, d5 * 2 + d3 * 2, d6 + d4 * 2)>
// CHECK-LABEL: func.func @wgt_grad_dilated
// CHECK: linalg.generic {indexing_maps = [#[[X]], {{.*}} ins(%{{.*}} : tensor<1x2x11x12xbf16>, tensor<1x4x4x8xbf16>) outs(%{{.*}} : tensor<1x4x2x3x3xf32>)
// CHECK-NOT: tensor.insert_slice
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @wgt_grad_dilated(%x: tensor<2x9x12xbf16>, %dy: tensor<4x4x8xbf16>) -> tensor<4x2x3x3xbf16> {
  %dw = pulptrain.conv2d_wgt_grad %x, %dy stride [2, 1] padding [1, 1, 0, 0] {dilation = array<i64: 2, 2>} : (tensor<2x9x12xbf16>, tensor<4x4x8xbf16>) -> tensor<4x2x3x3xbf16>
  return %dw : tensor<4x2x3x3xbf16>
}
