// RUN: pulptrain-opt %s --convert-pulptrain-to-linalg --split-input-file | FileCheck %s

// Linear: a matrix-vector reduction accumulating in f32 into the bias.
// CHECK-DAG: #[[WMAP:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[XMAP:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[OMAP:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @linear
// CHECK-NOT: pulptrain.
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%arg2 : tensor<2xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[WMAP]], #[[XMAP]], #[[OMAP]]], iterator_types = ["parallel", "reduction"]} ins(%arg1, %arg0 : tensor<2x4xf32>, tensor<4xf32>) outs(%[[INIT]] : tensor<2xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @linear(%x: tensor<4xf32>, %w: tensor<2x4xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
  %0 = pulptrain.linear %x, %w, %b : (tensor<4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// f16: operands are extended to f32 inside the generic, the f32 result is
// rounded once at the end.
// CHECK-LABEL: func.func @linear_f16
// CHECK: linalg.generic
// CHECK: ^bb0(%[[A:.*]]: f16, %[[B:.*]]: f16, %[[ACC:.*]]: f32)
// CHECK: arith.extf %[[A]] : f16 to f32
// CHECK: arith.extf %[[B]] : f16 to f32
// CHECK: linalg.generic
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: return %{{.*}} : tensor<2xf16>
func.func @linear_f16(%x: tensor<4xf16>, %w: tensor<2x4xf16>) -> tensor<2xf16> {
  %0 = pulptrain.linear %x, %w : (tensor<4xf16>, tensor<2x4xf16>) -> tensor<2xf16>
  return %0 : tensor<2xf16>
}

// -----

// Conv2D with stride 2 and padding: the input is embedded in a zero tensor,
// viewed as [groups, channels per group, H, W], and indexed with the stride.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 * 2 + d5, d3 * 2 + d6)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d4, d5, d6)>
// CHECK-LABEL: func.func @conv
// CHECK: tensor.insert_slice %arg0 into %{{.*}}[0, 1, 1] [3, 7, 5] [1, 1, 1] : tensor<3x7x5xf32> into tensor<3x9x7xf32>
// CHECK: tensor.expand_shape {{.*}} into tensor<1x3x9x7xf32>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[W]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK: tensor.collapse_shape {{.*}} into tensor<4x4x3xf32>
func.func @conv(%x: tensor<3x7x5xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<4x4x3xf32> {
  %0 = pulptrain.conv2d %x, %w stride [2, 2] padding [1, 1, 1, 1] : (tensor<3x7x5xf32>, tensor<4x3x3x3xf32>) -> tensor<4x4x3xf32>
  return %0 : tensor<4x4x3xf32>
}

// -----

// Conv2D input gradient: the output gradient is dilated by the stride and
// padded, then convolved with the flipped kernel. With a padding of at most
// kernel-1 the convolution yields the rows and columns of the unpadded input
// only: dy is padded by kernel-1-padding (here 1, not 2), dx is [3, 7, 5]
// (not the padded [3, 9, 7]) and nothing is cropped.
// CHECK-DAG: #[[FLIP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, -d3 + 2, -d4 + 2)>
// CHECK-LABEL: func.func @conv_in_grad
// CHECK: tensor.insert_slice %arg0 into %{{.*}}[0, 1, 1] [4, 4, 3] [1, 2, 2] : tensor<4x4x3xf32> into tensor<4x9x7xf32>
// CHECK: linalg.generic {indexing_maps = [#[[FLIP]]
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x4x9x7xf32>, tensor<1x4x3x3x3xf32>) outs(%{{.*}} : tensor<1x3x7x5xf32>)
// CHECK-NOT: tensor.extract_slice
// CHECK: return
func.func @conv_in_grad(%dy: tensor<4x4x3xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<3x7x5xf32> {
  %0 = pulptrain.conv2d_in_grad %dy, %w stride [2, 2] padding [1, 1, 1, 1] : (tensor<4x4x3xf32>, tensor<4x3x3x3xf32>) -> tensor<3x7x5xf32>
  return %0 : tensor<3x7x5xf32>
}

// -----

// A padding wider than kernel-1 (2 for a 2x2 kernel): dy is padded by
// kernel-1, the padded input gradient [3, 9, 7] computed and its padding
// cropped off.
// CHECK-LABEL: func.func @conv_in_grad_wide_padding
// CHECK: tensor.insert_slice %arg0 into %{{.*}}[0, 1, 1] [4, 8, 6] [1, 1, 1] : tensor<4x8x6xf32> into tensor<4x10x8xf32>
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x3x9x7xf32>)
// CHECK: tensor.extract_slice %{{.*}}[0, 2, 2] [3, 5, 3] [1, 1, 1] : tensor<3x9x7xf32> to tensor<3x5x3xf32>
func.func @conv_in_grad_wide_padding(%dy: tensor<4x8x6xf32>, %w: tensor<4x3x2x2xf32>) -> tensor<3x5x3xf32> {
  %0 = pulptrain.conv2d_in_grad %dy, %w stride [1, 1] padding [2, 2, 2, 2] : (tensor<4x8x6xf32>, tensor<4x3x2x2xf32>) -> tensor<3x5x3xf32>
  return %0 : tensor<3x5x3xf32>
}

// -----

// HWC layout: transposed to CHW and back.
// CHECK-LABEL: func.func @relu_pool_hwc
// CHECK: linalg.transpose ins(%arg0 : tensor<4x4x2xf32>) outs(%{{.*}} : tensor<2x4x4xf32>) permutation = [2, 0, 1]
// CHECK: arith.maximumf
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x2x2xf32>) outs(%{{.*}} : tensor<2x2x2xf32>) permutation = [1, 2, 0]
func.func @relu_pool_hwc(%x: tensor<4x4x2xf32>) -> tensor<2x2x2xf32> {
  %0 = pulptrain.maxpool2d %x kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] layout <hwc> : (tensor<4x4x2xf32>) -> tensor<2x2x2xf32>
  return %0 : tensor<2x2x2xf32>
}

// -----

// Max-pooling gradient: an argmax generic (first maximum wins: strict ogt,
// or a NaN, as PyTorch), then a scatter loop nest over the output.
// CHECK-LABEL: func.func @maxpool_grad
// CHECK: linalg.generic
// CHECK: linalg.index 3
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf uno
// CHECK: arith.ori
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tensor.extract
// CHECK: arith.addf
// CHECK: tensor.insert
func.func @maxpool_grad(%x: tensor<2x4x4xf32>, %dy: tensor<2x2x2xf32>) -> tensor<2x4x4xf32> {
  %0 = pulptrain.maxpool2d_grad %x, %dy kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<2x4x4xf32>, tensor<2x2x2xf32>) -> tensor<2x4x4xf32>
  return %0 : tensor<2x4x4xf32>
}

// -----

// Max pooling with the positions of its maxima: one generic gives both, the
// maxima in the input's own type (f16 here: a maximum is exact in it), the
// positions as i32 truncated to bytes; the scatter reads the bytes as
// unsigned.
// CHECK-LABEL: func.func @maxpool_argmax_scatter
// CHECK: %[[ARG:.*]]:2 = linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<2x2x2xf16>, tensor<2x2x2xi32>)
// CHECK:   arith.extf
// CHECK:   arith.cmpf ogt
// CHECK: %[[POS:.*]] = linalg.generic {{.*}} ins(%[[ARG]]#1 : tensor<2x2x2xi32>) outs(%{{.*}} : tensor<2x2x2xi8>)
// CHECK:   arith.trunci %{{.*}} : i32 to i8
// CHECK: scf.for
// CHECK:   tensor.extract %[[POS]]
// CHECK:   arith.index_castui %{{.*}} : i8 to index
// CHECK: return %[[ARG]]#0, %[[POS]]
func.func @maxpool_argmax_scatter(%x: tensor<2x4x4xf16>, %dy: tensor<2x2x2xf16>)
    -> (tensor<2x2x2xf16>, tensor<2x2x2xi8>, tensor<2x4x4xf16>) {
  %y, %p = pulptrain.maxpool2d_argmax %x kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<2x4x4xf16>) -> (tensor<2x2x2xf16>, tensor<2x2x2xi8>)
  %dx = pulptrain.maxpool2d_scatter %p, %dy kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<2x2x2xi8>, tensor<2x2x2xf16>) -> tensor<2x4x4xf16>
  return %y, %p, %dx : tensor<2x2x2xf16>, tensor<2x2x2xi8>, tensor<2x4x4xf16>
}

// -----

// The relu byte mask and the gradient from it: element-wise generics, the
// gradient selected in its own type (bf16 here), without rounding.
// CHECK-LABEL: func.func @relu_mask
// CHECK: %[[M:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<4xbf16>) outs(%{{.*}} : tensor<4xi8>)
// CHECK:   arith.extf
// CHECK:   arith.cmpf ogt
// CHECK:   arith.extui %{{.*}} : i1 to i8
// CHECK: linalg.generic {{.*}} ins(%[[M]], %arg1 : tensor<4xi8>, tensor<4xbf16>) outs(%{{.*}} : tensor<4xbf16>)
// CHECK:   arith.cmpi ne
// CHECK:   arith.select %{{.*}} : bf16
func.func @relu_mask(%y: tensor<4xbf16>, %dy: tensor<4xbf16>) -> tensor<4xbf16> {
  %m = pulptrain.relu_mask %y : tensor<4xbf16> -> tensor<4xi8>
  %dx = pulptrain.relu_mask_grad %m, %dy : tensor<4xi8>, tensor<4xbf16>
  return %dx : tensor<4xbf16>
}

// -----

// SGD with momentum: one element-wise generic writes the parameter and the
// buffer, the buffer's new value feeding the parameter's; it is marked for
// pulptrain-fuse-weight-update.
// CHECK-LABEL: func.func @sgd
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1, %arg2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%{{.*}}, %{{.*}} : tensor<4xf32>, tensor<4xf32>) attrs = {pulptrain.optimizer_update}
// CHECK: ^bb0(%[[W:[^:]*]]: f32, %[[G:[^:]*]]: f32, %[[M:[^:]*]]: f32,
// CHECK: %[[C:.*]] = arith.constant 0.899999976 : f32
// CHECK: %[[MM:.*]] = arith.mulf %[[C]], %[[M]]
// CHECK: %[[STEP:.*]] = arith.addf %[[MM]], %[[G]]
// CHECK: arith.constant 0.00999999977 : f32
// CHECK: %[[NEW:.*]] = arith.subf %[[W]]
// CHECK: linalg.yield %[[NEW]], %[[STEP]] : f32, f32
func.func @sgd(%w: tensor<4xf32>, %g: tensor<4xf32>, %m: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0:2 = pulptrain.sgd_update %w, %g, %m {lr = 0.01 : f64, momentum = 0.9 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#0, %0#1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// SGD with Nesterov momentum: the buffer's new value is stored, and the
// parameter steps by g + momentum * buf' (PyTorch's order).
// CHECK-LABEL: func.func @sgd_nesterov
// CHECK: linalg.generic {{.*}} attrs = {pulptrain.optimizer_update}
// CHECK: ^bb0(%[[W:[^:]*]]: f32, %[[G:[^:]*]]: f32, %[[M:[^:]*]]: f32,
// CHECK: %[[C:.*]] = arith.constant 0.899999976 : f32
// CHECK: %[[MM:.*]] = arith.mulf %[[C]], %[[M]]
// CHECK: %[[BUF:.*]] = arith.addf %[[MM]], %[[G]]
// CHECK: %[[C2:.*]] = arith.constant 0.899999976 : f32
// CHECK: %[[MB:.*]] = arith.mulf %[[C2]], %[[BUF]]
// CHECK: %[[STEP:.*]] = arith.addf %[[G]], %[[MB]]
// CHECK: %[[LR:.*]] = arith.constant 0.00999999977 : f32
// CHECK: %[[D:.*]] = arith.mulf %[[LR]], %[[STEP]]
// CHECK: %[[NEW:.*]] = arith.subf %[[W]], %[[D]]
// CHECK: linalg.yield %[[NEW]], %[[BUF]] : f32, f32
func.func @sgd_nesterov(%w: tensor<4xf32>, %g: tensor<4xf32>, %m: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0:2 = pulptrain.sgd_update %w, %g, %m {lr = 0.01 : f64, momentum = 0.9 : f64, nesterov = true} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#0, %0#1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Adam: the bias corrections of step t in f64 (beta1^t and beta2^t by
// binary exponentiation over the bits of t, then sqrt), rounded to f32
// rank-0 tensors; one element-wise generic with the parameter first and
// the two moments last, marked for pulptrain-fuse-weight-update.
// CHECK-LABEL: func.func @adam
// CHECK: %[[T:.*]] = tensor.extract %arg4[] : tensor<f32>
// CHECK: %[[N:.*]] = arith.fptosi %[[T]] : f32 to i32
// CHECK: %[[P:.*]]:5 = scf.while ({{.*}} = %[[N]], {{.*}}) : (i32, f64, f64, f64, f64) -> (i32, f64, f64, f64, f64)
// CHECK: arith.shrui
// CHECK: arith.subf %{{.*}}, %[[P]]#3 : f64
// CHECK: arith.subf %{{.*}}, %[[P]]#4 : f64
// CHECK: math.sqrt %{{.*}} : f64
// CHECK: %[[NS:.*]] = tensor.from_elements %{{.*}} : tensor<f32>
// CHECK: %[[BC:.*]] = tensor.from_elements %{{.*}} : tensor<f32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #[[SCALAR:.*]], #[[SCALAR]], #{{.*}}, #{{.*}}, #{{.*}}, #{{.*}}, #{{.*}}]{{.*}} ins(%arg0, %arg1, %[[NS]], %[[BC]], %arg2, %arg3 : tensor<4xf16>, tensor<4xf16>, tensor<f32>, tensor<f32>, tensor<4xf32>, tensor<4xf32>) {{.*}} attrs = {pulptrain.optimizer_update}
// CHECK: math.sqrt %{{.*}} : f32
// CHECK: linalg.yield %{{.*}}, %{{.*}}, %{{.*}} : f16, f32, f32
func.func @adam(%w: tensor<4xf16>, %g: tensor<4xf16>, %m: tensor<4xf32>, %v: tensor<4xf32>, %t: tensor<f32>) -> (tensor<4xf16>, tensor<4xf32>, tensor<4xf32>) {
  %0:3 = pulptrain.adam_update %w, %g, %m, %v, %t {lr = 0.01 : f64} : (tensor<4xf16>, tensor<4xf16>, tensor<4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf16>, tensor<4xf32>, tensor<4xf32>)
  return %0#0, %0#1, %0#2 : tensor<4xf16>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Linear weight gradient at batch 1: an all-parallel outer product that
// does not read its init (no zero fill) and adds no zero to the product.
// CHECK-LABEL: func.func @linear_wgt_grad
// CHECK-NOT: linalg.fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x4xf32>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%arg1, %arg0 : tensor<2xf32>, tensor<4xf32>) outs(%[[E]] : tensor<2x4xf32>)
// CHECK: ^bb0(%[[A:[^:]*]]: f32, %[[B:[^:]*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[A]], %[[B]]
// CHECK-NEXT: linalg.yield %[[P]]
func.func @linear_wgt_grad(%x: tensor<4xf32>, %dy: tensor<2xf32>) -> tensor<2x4xf32> {
  %0 = pulptrain.linear_wgt_grad %x, %dy : (tensor<4xf32>, tensor<2xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// The MSE loss and its gradient of the same operands: one reduction generic
// sums the squares and writes the gradient (one pass, one kernel); the mean
// is taken after it. Each value is computed as by the ops apart.
// CHECK-LABEL: func.func @mse_with_grad
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}}iterator_types = ["reduction"]} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}}, %{{.*}} : tensor<f32>, tensor<4xf32>)
// CHECK: %[[D:.*]] = arith.subf
// CHECK: %[[SQ:.*]] = arith.mulf %[[D]], %[[D]]
// CHECK: %[[S:.*]] = arith.addf %{{.*}}, %[[SQ]]
// CHECK: %[[TWO:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[G:.*]] = arith.mulf %[[D]], %[[TWO]]
// CHECK: linalg.yield %[[S]], %[[G]] : f32, f32
// CHECK: %[[L:.*]] = linalg.generic {{.*}} ins(%[[R]]#0 : tensor<f32>)
// CHECK: arith.constant 2.500000e-01 : f32
// CHECK: return %[[L]], %[[R]]#1
func.func @mse_with_grad(%p: tensor<4xf32>, %t: tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>) {
  %l = pulptrain.mse_loss %p, %t : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  %g = pulptrain.mse_loss_grad %p, %t : tensor<4xf32>
  return %l, %g : tensor<f32>, tensor<4xf32>
}

// -----

// A gradient before the loss, or of other operands, is lowered on its own.
// CHECK-LABEL: func.func @mse_grad_first
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel"]} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction"]} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<f32>)
func.func @mse_grad_first(%p: tensor<4xf32>, %t: tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>) {
  %g = pulptrain.mse_loss_grad %p, %t : tensor<4xf32>
  %l = pulptrain.mse_loss %p, %t : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  return %l, %g : tensor<f32>, tensor<4xf32>
}

// -----

// The cross-entropy loss and its gradient of the same operands: after the
// max, exp(x - max) as an element-wise map (forked over the cores), then
// one reduction sums it, t and t * x; the gradient reads the same
// exponentials (one exponential per logit).
// CHECK-LABEL: func.func @cross_entropy_with_grad
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}}iterator_types = ["reduction"]} ins(%arg0 : tensor<4xf32>)
// CHECK: arith.maximumf
// CHECK: %[[E:.*]] = linalg.generic {{.*}}iterator_types = ["parallel"]} ins(%arg0, %[[MAX]] : tensor<4xf32>, tensor<f32>)
// CHECK: math.exp
// CHECK: %[[S:.*]]:3 = linalg.generic {{.*}}iterator_types = ["reduction"]} ins(%arg0, %[[E]], %arg1 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) outs({{.*}} : tensor<f32>, tensor<f32>, tensor<f32>)
// CHECK-NOT: math.exp
// CHECK: %[[L:.*]] = linalg.generic {{.*}} ins(%[[MAX]], %[[S]]#0, %[[S]]#1, %[[S]]#2 : tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>)
// CHECK: math.log
// CHECK: %[[G:.*]] = linalg.generic {{.*}} ins(%[[E]], %[[S]]#0, %[[S]]#1, %arg1 : tensor<4xf32>, tensor<f32>, tensor<f32>, tensor<4xf32>)
// CHECK: arith.divf
// CHECK-NOT: math.exp
// CHECK: return %[[L]], %[[G]]
func.func @cross_entropy_with_grad(%x: tensor<4xf32>, %t: tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>) {
  %l = pulptrain.cross_entropy_loss %x, %t : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  %g = pulptrain.cross_entropy_loss_grad %x, %t : tensor<4xf32>
  return %l, %g : tensor<f32>, tensor<4xf32>
}

// -----

// Dropout: the row-major index of the element (linalg.index) drawn through
// the 32-bit counter-based hash (without a sample number, its key is a
// constant), kept below (1 - p) * 2^32 (0xC0000000 for
// p = 0.25), scaled by 1 / (1 - p); computed in f32, rounded once to f16.
// CHECK-LABEL: func.func @dropout_f16
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[IJ:.*]] = arith.addi %{{.*}}, %[[J]] : index
// CHECK: %[[H:.*]] = arith.index_castui %[[IJ]] : index to i32
// CHECK: arith.muli %[[H]], %c-1640531535_i32 : i32
// CHECK: %[[KEEP:.*]] = arith.cmpi ult, %{{.*}}, %c-1073741824_i32 : i32
// CHECK: %[[NOISE:.*]] = arith.select %[[KEEP]], %{{.*}}, %{{.*}} : f32
// CHECK: arith.mulf %{{.*}}, %[[NOISE]] : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @dropout_f16(%x: tensor<4x5xf16>) -> tensor<4x5xf16> {
  %0 = pulptrain.dropout %x {p = 0.25 : f64, seed = 3 : i64} : tensor<4x5xf16>
  return %0 : tensor<4x5xf16>
}

// -----

// Dropout with a sample number: the key of the mask, mix(seed * 0x85EBCA77
// + sample * 0x27D4EB2F) (0x27D4EB2F = 668265263; seed 2 gives 198677742),
// is computed once, outside the element loop, and reaches it as a rank-0
// tensor of its bits; each element adds it to its index times 0x9E3779B1.
// CHECK-LABEL: func.func @dropout_sample
// CHECK-SAME: %[[X:[^:]*]]: tensor<6xbf16>, %[[N:[^:]*]]: tensor<f32>
// CHECK: %[[S:.*]] = tensor.extract %[[N]][] : tensor<f32>
// CHECK: %[[SI:.*]] = arith.fptoui %[[S]] : f32 to i32
// CHECK: %[[T:.*]] = arith.muli %[[SI]], %c668265263_i32 : i32
// CHECK: %[[K0:.*]] = arith.addi %[[T]], %c198677742_i32 : i32
// CHECK: arith.muli %{{.*}}, %c-2048144789_i32 : i32
// CHECK: arith.muli %{{.*}}, %c-1028477387_i32 : i32
// CHECK: %[[KEY:.*]] = arith.xori
// CHECK-NEXT: %[[BITS:.*]] = arith.bitcast %[[KEY]] : i32 to f32
// CHECK: %[[KT:.*]] = tensor.from_elements %[[BITS]] : tensor<f32>
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[KT]] : tensor<6xbf16>, tensor<f32>)
// CHECK: ^bb0(%{{.*}}: bf16, %[[KIN:[^:]*]]: f32
// CHECK: %[[K:.*]] = arith.bitcast %[[KIN]] : f32 to i32
// CHECK: %[[I:.*]] = arith.index_castui
// CHECK: %[[IA:.*]] = arith.muli %[[I]], %c-1640531535_i32 : i32
// CHECK: arith.addi %[[IA]], %[[K]] : i32
// CHECK: arith.cmpi ult, %{{.*}}, %c-2147483648_i32 : i32
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @dropout_sample(%x: tensor<6xbf16>, %n: tensor<f32>) -> tensor<6xbf16> {
  %0 = pulptrain.dropout_grad %x sample %n {p = 0.5 : f64, seed = 2 : i64} : tensor<6xbf16>
  return %0 : tensor<6xbf16>
}

// -----

// Hardswish as PyTorch's kernel: x * clamp(x + 3, 0, 6) / 6.
// CHECK-LABEL: func.func @hardswish
// CHECK: ^bb0(%[[X:[^:]*]]: f32
// CHECK: %[[S:.*]] = arith.addf %[[X]], %{{.*}} : f32
// CHECK: %[[LO:.*]] = arith.maximumf %[[S]], %{{.*}} : f32
// CHECK: %[[C:.*]] = arith.minimumf %[[LO]], %{{.*}} : f32
// CHECK: %[[P:.*]] = arith.mulf %[[X]], %[[C]] : f32
// CHECK: arith.divf %[[P]], %{{.*}} : f32
func.func @hardswish(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = pulptrain.hardswish %x : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Average pooling with ceil_mode and count_include_pad = false: the input
// padded by 1 on top, left and right and by 2 at the bottom (1 + the row
// the last windows reach past the padding), a window sum, then a constant
// [Ho, Wo] table of PyTorch's reciprocal divisors (1/4 at the top-left
// corner: 2x2 input elements; 1/2 at the bottom-left: the last row's window
// holds one input row).
// CHECK-LABEL: func.func @avgpool_ceil_exclude_pad
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 1, 1] [2, 6, 7] [1, 1, 1] : tensor<2x6x7xf32> into tensor<2x9x9xf32>
// CHECK: arith.constant dense<{{\[\[}}2.500000e-01, 0.166666672, 0.166666672, 2.500000e-01], [0.166666672, 0.111111112, 0.111111112, 0.166666672], [0.166666672, 0.111111112, 0.111111112, 0.166666672], [5.000000e-01, 0.333333343, 0.333333343, 5.000000e-01]]> : tensor<4x4xf32>
// CHECK: linalg.generic
// CHECK: arith.mulf
func.func @avgpool_ceil_exclude_pad(%x: tensor<2x6x7xf32>) -> tensor<2x4x4xf32> {
  %0 = pulptrain.avgpool2d %x kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1] {ceil_mode = true, count_include_pad = false} : (tensor<2x6x7xf32>) -> tensor<2x4x4xf32>
  return %0 : tensor<2x4x4xf32>
}

// -----

// Adaptive average pooling 5 -> 3 rows ([0, 2), [1, 4), [3, 5)) and 4 -> 2
// columns: 0/1 membership matrices, a window-sum generic reducing over
// (h, w), then the reciprocal window sizes.
// CHECK-LABEL: func.func @adaptive_avgpool
// CHECK-DAG: arith.constant dense<{{\[\[}}1.000000e+00, 1.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 1.000000e+00, 1.000000e+00]]> : tensor<3x5xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}2.500000e-01, 2.500000e-01], [0.166666672, 0.166666672], [2.500000e-01, 2.500000e-01]]> : tensor<3x2xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]
func.func @adaptive_avgpool(%x: tensor<2x5x4xf32>) -> tensor<2x3x2xf32> {
  %0 = pulptrain.adaptive_avgpool2d %x : (tensor<2x5x4xf32>) -> tensor<2x3x2xf32>
  return %0 : tensor<2x3x2xf32>
}

// -----

// Dilated convolution: the taps step by the dilation in the input map.
// CHECK-DAG: #[[XMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 + d5 * 2, d3 * 2 + d6 * 3)>
// CHECK-LABEL: func.func @conv_dilation
// CHECK: linalg.generic {indexing_maps = [#[[XMAP]],
func.func @conv_dilation(%x: tensor<2x9x9xf32>, %w: tensor<4x2x3x2xf32>) -> tensor<4x5x3xf32> {
  %0 = pulptrain.conv2d %x, %w stride [1, 2] padding [0, 0, 0, 0] {dilation = array<i64: 2, 3>} : (tensor<2x9x9xf32>, tensor<4x2x3x2xf32>) -> tensor<4x5x3xf32>
  return %0 : tensor<4x5x3xf32>
}

// -----

// Average-pooling gradients. Windows that tile the input exactly (global
// pooling over 5x3, and 2x2 stride 2 on 4x6): each input element's
// gradient is its window's output gradient times 1 / (Kh * Kw), read in
// place through a floordiv map, with no dilated copy and no window sum.
// Overlapping windows (3x3 stride 1) keep the window sum over the padded,
// dilated output gradient.
// CHECK-DAG: #[[GLOBAL:.*]] = affine_map<(d0, d1, d2) -> (d0, d1 floordiv 5, d2 floordiv 3)>
// CHECK-DAG: #[[TWO:.*]] = affine_map<(d0, d1, d2) -> (d0, d1 floordiv 2, d2 floordiv 2)>
// CHECK-LABEL: func.func @avgpool_grad_tiling
// CHECK: linalg.generic {indexing_maps = [#[[GLOBAL]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{.*}} : tensor<2x1x1xf32>) outs(%{{.*}} : tensor<2x5x3xf32>)
// CHECK: arith.constant 0.0666666701 : f32
// CHECK: linalg.generic {indexing_maps = [#[[TWO]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{.*}} : tensor<2x2x3xf32>) outs(%{{.*}} : tensor<2x4x6xf32>)
// CHECK: arith.constant 2.500000e-01 : f32
// CHECK-NOT: floordiv
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]
func.func @avgpool_grad_tiling(%g: tensor<2x1x1xf32>, %h: tensor<2x2x3xf32>,
                               %k: tensor<2x4x6xf32>)
    -> (tensor<2x5x3xf32>, tensor<2x4x6xf32>, tensor<2x4x6xf32>) {
  %0 = pulptrain.avgpool2d_grad %g kernel [5, 3] stride [5, 3] padding [0, 0, 0, 0] : (tensor<2x1x1xf32>) -> tensor<2x5x3xf32>
  %1 = pulptrain.avgpool2d_grad %h kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<2x2x3xf32>) -> tensor<2x4x6xf32>
  %2 = pulptrain.avgpool2d_grad %k kernel [3, 3] stride [1, 1] padding [1, 1, 1, 1] : (tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  return %0, %1, %2 : tensor<2x5x3xf32>, tensor<2x4x6xf32>, tensor<2x4x6xf32>
}

// -----

// BatchNorm running statistics: per-channel sums over H x W in f32, then
// (1 - momentum) * running + momentum * mean and
// (1 - momentum) * running + momentum / (N - 1) * (sum of squares), rounded
// to the element type (N = 12: 0.2 / 11).
// CHECK-LABEL: func.func @batch_norm_running_stats
// CHECK: arith.constant 0.0833333358 : f32
// CHECK: arith.constant 8.000000e-01 : f32
// CHECK: arith.constant 2.000000e-01 : f32
// CHECK: arith.constant 8.000000e-01 : f32
// CHECK: arith.constant 0.0181818176 : f32
// CHECK: arith.truncf {{.*}} : f32 to f16
func.func @batch_norm_running_stats(%x: tensor<2x3x4xf16>, %rm: tensor<2xf16>, %rv: tensor<2xf16>) -> (tensor<2xf16>, tensor<2xf16>) {
  %m, %v = pulptrain.batch_norm_running_stats %x, %rm, %rv {momentum = 0.2 : f64} : (tensor<2x3x4xf16>, tensor<2xf16>, tensor<2xf16>) -> (tensor<2xf16>, tensor<2xf16>)
  return %m, %v : tensor<2xf16>, tensor<2xf16>
}
