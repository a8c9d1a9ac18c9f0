// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics

// One case for every diagnostic of the pulptrain verifiers and shape rules.

//===----------------------------------------------------------------------===//
// Type constraints and dialect-wide traits
//===----------------------------------------------------------------------===//

func.func @dynamic_shape(%x: tensor<?xf32>) {
  // expected-error @below {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<?xf32>'}}
  %0 = pulptrain.relu %x : tensor<?xf32>
  return
}

// -----

func.func @integer_elements(%x: tensor<4xi32>) {
  // expected-error @below {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<4xi32>'}}
  %0 = pulptrain.relu %x : tensor<4xi32>
  return
}

// -----

func.func @mixed_element_types(%x: tensor<576xf32>, %w: tensor<32x576xf16>) {
  // expected-error @below {{requires the same element type for all operands and results}}
  %0 = pulptrain.linear %x, %w : (tensor<576xf32>, tensor<32x576xf16>) -> tensor<32xf32>
  return
}

// -----

func.func @same_type(%x: tensor<4xf32>, %y: tensor<5xf32>) {
  // expected-error @below {{requires the same type for all operands and results}}
  %0 = "pulptrain.add"(%x, %y) : (tensor<4xf32>, tensor<5xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @cast_shape(%x: tensor<4xf32>) {
  // expected-error @below {{requires the same shape for all operands and results}}
  %0 = "pulptrain.cast"(%x) : (tensor<4xf32>) -> tensor<5xf16>
  return
}

// -----

func.func @missing_attribute(%x: tensor<8x8x8xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @below {{requires attribute 'stride'}}
  %0 = "pulptrain.conv2d"(%x, %w) <{padding = array<i64: 0, 0, 0, 0>, operandSegmentSizes = array<i32: 1, 1, 0>}> : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x6x6xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Linear
//===----------------------------------------------------------------------===//

func.func @linear_input_rank(%x: tensor<2x288xf32>, %w: tensor<32x576xf32>) {
  // expected-error @below {{'input' must have rank 1 [in], got rank 2}}
  %0 = pulptrain.linear %x, %w : (tensor<2x288xf32>, tensor<32x576xf32>) -> tensor<32xf32>
  return
}

// -----

func.func @linear_weight_rank(%x: tensor<576xf32>, %w: tensor<576xf32>) {
  // expected-error @below {{'weight' must have rank 2 [out, in], got rank 1}}
  %0 = pulptrain.linear %x, %w : (tensor<576xf32>, tensor<576xf32>) -> tensor<32xf32>
  return
}

// -----

func.func @linear_weight_shape(%x: tensor<576xf32>, %w: tensor<32x500xf32>) {
  // expected-error @below {{'weight' shape expected [32, 576] to match 'input' [576], got [32, 500]}}
  %0 = pulptrain.linear %x, %w : (tensor<576xf32>, tensor<32x500xf32>) -> tensor<32xf32>
  return
}

// -----

func.func @linear_bias(%x: tensor<576xf32>, %w: tensor<32x576xf32>, %b: tensor<16xf32>) {
  // expected-error @below {{'bias' shape expected [32], got [16]}}
  %0 = pulptrain.linear %x, %w, %b : (tensor<576xf32>, tensor<32x576xf32>, tensor<16xf32>) -> tensor<32xf32>
  return
}

// -----

func.func @linear_output(%x: tensor<576xf32>, %w: tensor<32x576xf32>) {
  // expected-error @below {{'output' shape expected [32], got [33]}}
  %0 = pulptrain.linear %x, %w : (tensor<576xf32>, tensor<32x576xf32>) -> tensor<33xf32>
  return
}

// -----

func.func @linear_wgt_grad_input(%x: tensor<4x4xf32>, %dy: tensor<32xf32>) {
  // expected-error @below {{'input' must have rank 1 [in], got rank 2}}
  %0 = pulptrain.linear_wgt_grad %x, %dy : (tensor<4x4xf32>, tensor<32xf32>) -> tensor<32x16xf32>
  return
}

// -----

func.func @linear_wgt_grad_dy(%x: tensor<16xf32>, %dy: tensor<2x16xf32>) {
  // expected-error @below {{'grad_output' must have rank 1 [out], got rank 2}}
  %0 = pulptrain.linear_wgt_grad %x, %dy : (tensor<16xf32>, tensor<2x16xf32>) -> tensor<32x16xf32>
  return
}

// -----

func.func @linear_wgt_grad_result(%x: tensor<16xf32>, %dy: tensor<32xf32>) {
  // expected-error @below {{'grad_weight' shape expected [32, 16], got [16, 32]}}
  %0 = pulptrain.linear_wgt_grad %x, %dy : (tensor<16xf32>, tensor<32xf32>) -> tensor<16x32xf32>
  return
}

// -----

func.func @linear_in_grad_dy_rank(%dy: tensor<1x32xf32>, %w: tensor<32x16xf32>) {
  // expected-error @below {{'grad_output' must have rank 1 [out], got rank 2}}
  %0 = pulptrain.linear_in_grad %dy, %w : (tensor<1x32xf32>, tensor<32x16xf32>) -> tensor<16xf32>
  return
}

// -----

func.func @linear_in_grad_weight_rank(%dy: tensor<32xf32>, %w: tensor<32xf32>) {
  // expected-error @below {{'weight' must have rank 2 [out, in], got rank 1}}
  %0 = pulptrain.linear_in_grad %dy, %w : (tensor<32xf32>, tensor<32xf32>) -> tensor<16xf32>
  return
}

// -----

func.func @linear_in_grad_dy(%dy: tensor<31xf32>, %w: tensor<32x16xf32>) {
  // expected-error @below {{'grad_output' shape expected [32] to match the output size of 'weight' [32, 16], got [31]}}
  %0 = pulptrain.linear_in_grad %dy, %w : (tensor<31xf32>, tensor<32x16xf32>) -> tensor<16xf32>
  return
}

// -----

func.func @linear_in_grad_result(%dy: tensor<32xf32>, %w: tensor<32x16xf32>) {
  // expected-error @below {{'grad_input' shape expected [16], got [32]}}
  %0 = pulptrain.linear_in_grad %dy, %w : (tensor<32xf32>, tensor<32x16xf32>) -> tensor<32xf32>
  return
}

// -----

func.func @bias_grad_rank(%dy: tensor<4x4xf32>) {
  // expected-error @below {{'grad_output' must have rank 1 [C] or 3 (a feature map), got rank 2}}
  %0 = pulptrain.bias_grad %dy : (tensor<4x4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @bias_grad_vector(%dy: tensor<4xf32>) {
  // expected-error @below {{'grad_bias' shape expected [4], got [5]}}
  %0 = pulptrain.bias_grad %dy : (tensor<4xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @bias_grad_hwc(%dy: tensor<6x6x16xf32>) {
  // expected-error @below {{'grad_bias' shape expected [16], got [6]}}
  %0 = pulptrain.bias_grad %dy layout <hwc> : (tensor<6x6x16xf32>) -> tensor<6xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Conv2D
//===----------------------------------------------------------------------===//

func.func @conv_input_rank(%x: tensor<8x8xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @below {{'input' must have rank 3 [C, H, W], got rank 2}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] : (tensor<8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x6x6xf32>
  return
}

// -----

func.func @conv_input_rank_hwc(%x: tensor<8x8xf32>, %w: tensor<16x3x3x8xf32>) {
  // expected-error @below {{'input' must have rank 3 [H, W, C], got rank 2}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] layout <hwc> : (tensor<8x8xf32>, tensor<16x3x3x8xf32>) -> tensor<6x6x16xf32>
  return
}

// -----

func.func @conv_weight_rank(%x: tensor<8x8x8xf32>, %w: tensor<16x8x3xf32>) {
  // expected-error @below {{'weight' must have rank 4, got rank 3}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] : (tensor<8x8x8xf32>, tensor<16x8x3xf32>) -> tensor<16x6x6xf32>
  return
}

// -----

func.func @conv_stride_count(%x: tensor<8x8x8xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @below {{'stride' must have 2 values [sh, sw], got 1}}
  %0 = pulptrain.conv2d %x, %w stride [1] padding [0, 0, 0, 0] : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x6x6xf32>
  return
}

// -----

func.func @conv_stride_value(%x: tensor<8x8x8xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @below {{'stride' values must be positive, got [0, 1]}}
  %0 = pulptrain.conv2d %x, %w stride [0, 1] padding [0, 0, 0, 0] : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x6x6xf32>
  return
}

// -----

func.func @conv_padding_count(%x: tensor<8x8x8xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @below {{'padding' must have 4 values [top, bottom, left, right], got 2}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [1, 1] : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x8x8xf32>
  return
}

// -----

func.func @conv_padding_value(%x: tensor<8x8x8xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @below {{'padding' values must be non-negative, got [0, -1, 0, 0]}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, -1, 0, 0] : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x5x6xf32>
  return
}

// -----

func.func @conv_groups_value(%x: tensor<8x8x8xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @below {{'groups' must be positive, got 0}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] groups 0 : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x6x6xf32>
  return
}

// -----

func.func @conv_groups_in(%x: tensor<8x8x8xf32>, %w: tensor<9x1x3x3xf32>) {
  // expected-error @below {{'groups' (3) must divide the input channels (8)}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] groups 3 : (tensor<8x8x8xf32>, tensor<9x1x3x3xf32>) -> tensor<9x6x6xf32>
  return
}

// -----

func.func @conv_groups_out(%x: tensor<8x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @below {{'groups' (4) must divide the output channels (6)}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] groups 4 : (tensor<8x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<6x6x6xf32>
  return
}

// -----

func.func @conv_weight_channels(%x: tensor<8x8x8xf32>, %w: tensor<8x8x3x3xf32>) {
  // expected-error @below {{'weight' input channels per group expected 1 (input channels 8 / groups 8), got 8}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] groups 8 : (tensor<8x8x8xf32>, tensor<8x8x3x3xf32>) -> tensor<8x6x6xf32>
  return
}

// -----

func.func @conv_kernel_too_large(%x: tensor<3x2x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @below {{kernel height 3 exceeds the padded input height 2}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] : (tensor<3x2x8xf32>, tensor<4x3x3x3xf32>) -> tensor<4x1x6xf32>
  return
}

// -----

func.func @conv_output(%x: tensor<8x8x8xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @below {{'output' shape expected [16, 6, 6], got [16, 8, 8]}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x8x8xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<8x8x8xf32>, %w: tensor<16x8x3x3xf32>, %b: tensor<8xf32>) {
  // expected-error @below {{'bias' shape expected [16], got [8]}}
  %0 = pulptrain.conv2d %x, %w, %b stride [1, 1] padding [0, 0, 0, 0] : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>, tensor<8xf32>) -> tensor<16x6x6xf32>
  return
}

// -----

func.func @conv_wgt_grad_dy(%x: tensor<8x8x8xf32>, %dy: tensor<16x5x5xf32>) {
  // expected-error @below {{'grad_output' shape expected [16, 6, 6], got [16, 5, 5]}}
  %0 = pulptrain.conv2d_wgt_grad %x, %dy stride [1, 1] padding [0, 0, 0, 0] : (tensor<8x8x8xf32>, tensor<16x5x5xf32>) -> tensor<16x8x3x3xf32>
  return
}

// -----

func.func @conv_wgt_grad_result(%x: tensor<8x8x8xf32>, %dy: tensor<16x6x6xf32>) {
  // expected-error @below {{'grad_weight' input channels per group expected 8 (input channels 8 / groups 1), got 4}}
  %0 = pulptrain.conv2d_wgt_grad %x, %dy stride [1, 1] padding [0, 0, 0, 0] : (tensor<8x8x8xf32>, tensor<16x6x6xf32>) -> tensor<16x4x3x3xf32>
  return
}

// -----

func.func @conv_in_grad_result(%dy: tensor<16x6x6xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @below {{'grad_input' must have rank 3 [C, H, W], got rank 2}}
  %0 = pulptrain.conv2d_in_grad %dy, %w stride [1, 1] padding [0, 0, 0, 0] : (tensor<16x6x6xf32>, tensor<16x8x3x3xf32>) -> tensor<8x8xf32>
  return
}

// -----

func.func @conv_in_grad_dy(%dy: tensor<16x3x3xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @below {{'grad_output' shape expected [16, 6, 6], got [16, 3, 3]}}
  %0 = pulptrain.conv2d_in_grad %dy, %w stride [1, 1] padding [0, 0, 0, 0] : (tensor<16x3x3xf32>, tensor<16x8x3x3xf32>) -> tensor<8x8x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

func.func @softmax_axis(%x: tensor<10xf32>) {
  // expected-error @below {{'axis' 1 is out of range for rank 1}}
  %0 = pulptrain.softmax %x {axis = 1} : tensor<10xf32>
  return
}

// -----

func.func @softmax_scalar(%x: tensor<f32>) {
  // expected-error @below {{requires a tensor of rank >= 1, got rank 0}}
  %0 = pulptrain.softmax %x : tensor<f32>
  return
}

// -----

func.func @softmax_grad_axis(%y: tensor<4x10xf32>, %dy: tensor<4x10xf32>) {
  // expected-error @below {{'axis' -3 is out of range for rank 2}}
  %0 = pulptrain.softmax_grad %y, %dy {axis = -3} : tensor<4x10xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

func.func @pool_input_rank(%x: tensor<6x6xf32>) {
  // expected-error @below {{'input' must have rank 3 [C, H, W], got rank 2}}
  %0 = pulptrain.maxpool2d %x kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<6x6xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @pool_kernel_count(%x: tensor<16x6x6xf32>) {
  // expected-error @below {{'kernel' must have 2 values [kh, kw], got 3}}
  %0 = pulptrain.maxpool2d %x kernel [2, 2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<16x6x6xf32>) -> tensor<16x3x3xf32>
  return
}

// -----

func.func @pool_kernel_value(%x: tensor<16x6x6xf32>) {
  // expected-error @below {{'kernel' values must be positive, got [2, 0]}}
  %0 = pulptrain.avgpool2d %x kernel [2, 0] stride [2, 2] padding [0, 0, 0, 0] : (tensor<16x6x6xf32>) -> tensor<16x3x3xf32>
  return
}

// -----

func.func @pool_stride(%x: tensor<16x6x6xf32>) {
  // expected-error @below {{'stride' values must be positive, got [-2, 2]}}
  %0 = pulptrain.avgpool2d %x kernel [2, 2] stride [-2, 2] padding [0, 0, 0, 0] : (tensor<16x6x6xf32>) -> tensor<16x3x3xf32>
  return
}

// -----

func.func @pool_padding_half(%x: tensor<16x6x6xf32>) {
  // expected-error @below {{'padding' [0, 0, 2, 0] must be at most half the kernel [3, 3]}}
  %0 = pulptrain.maxpool2d %x kernel [3, 3] stride [1, 1] padding [0, 0, 2, 0] : (tensor<16x6x6xf32>) -> tensor<16x4x6xf32>
  return
}

// -----

func.func @pool_kernel_too_wide(%x: tensor<16x6x2xf32>) {
  // expected-error @below {{kernel width 3 exceeds the padded input width 2}}
  %0 = pulptrain.maxpool2d %x kernel [3, 3] stride [1, 1] padding [0, 0, 0, 0] : (tensor<16x6x2xf32>) -> tensor<16x4x1xf32>
  return
}

// -----

func.func @pool_output(%x: tensor<16x6x6xf32>) {
  // expected-error @below {{'output' shape expected [16, 3, 3], got [16, 2, 2]}}
  %0 = pulptrain.avgpool2d %x kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<16x6x6xf32>) -> tensor<16x2x2xf32>
  return
}

// -----

func.func @maxpool_grad_dy(%x: tensor<16x6x6xf32>, %dy: tensor<16x2x2xf32>) {
  // expected-error @below {{'grad_output' shape expected [16, 3, 3], got [16, 2, 2]}}
  %0 = pulptrain.maxpool2d_grad %x, %dy kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<16x6x6xf32>, tensor<16x2x2xf32>) -> tensor<16x6x6xf32>
  return
}

// -----

func.func @maxpool_grad_result(%x: tensor<16x6x6xf32>, %dy: tensor<16x3x3xf32>) {
  // expected-error @below {{'grad_input' shape expected [16, 6, 6], got [16, 7, 7]}}
  %0 = pulptrain.maxpool2d_grad %x, %dy kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<16x6x6xf32>, tensor<16x3x3xf32>) -> tensor<16x7x7xf32>
  return
}

// -----

func.func @avgpool_grad_result(%dy: tensor<16x3x3xf32>) {
  // expected-error @below {{'grad_input' must have rank 3 [H, W, C], got rank 2}}
  %0 = pulptrain.avgpool2d_grad %dy kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] layout <hwc> : (tensor<16x3x3xf32>) -> tensor<6x6xf32>
  return
}

// -----

func.func @avgpool_grad_dy(%dy: tensor<16x3x3xf32>) {
  // expected-error @below {{'grad_output' shape expected [16, 4, 4], got [16, 3, 3]}}
  %0 = pulptrain.avgpool2d_grad %dy kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<16x3x3xf32>) -> tensor<16x8x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Batch normalization
//===----------------------------------------------------------------------===//

func.func @batch_norm_rank(%x: tensor<8x16xf32>, %g: tensor<8xf32>) {
  // expected-error @below {{'input' must have rank 3 [C, H, W], got rank 2}}
  %0 = pulptrain.batch_norm %x, %g, %g : (tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8x16xf32>
  return
}

// -----

func.func @batch_norm_beta(%x: tensor<8x4x4xf32>, %g: tensor<8xf32>, %b: tensor<4xf32>) {
  // expected-error @below {{'beta' shape expected [8], got [4]}}
  %0 = pulptrain.batch_norm %x, %g, %b : (tensor<8x4x4xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<8x4x4xf32>
  return
}

// -----

func.func @batch_norm_eps(%x: tensor<8x4x4xf32>, %g: tensor<8xf32>) {
  // expected-error @below {{'eps' must be positive, got -1}}
  %0 = pulptrain.batch_norm_in_grad %x, %g, %x {eps = -1.0 : f64} : (tensor<8x4x4xf32>, tensor<8xf32>, tensor<8x4x4xf32>) -> tensor<8x4x4xf32>
  return
}

// -----

func.func @batch_norm_wgt_grad_shape(%x: tensor<8x4x4xf32>) {
  // expected-error @below {{'grad_gamma' shape expected [8], got [4]}}
  %0:2 = pulptrain.batch_norm_wgt_grad %x, %x : (tensor<8x4x4xf32>, tensor<8x4x4xf32>) -> (tensor<4xf32>, tensor<8xf32>)
  return
}

// -----

func.func @running_stats_momentum(%x: tensor<8x4x4xf32>, %m: tensor<8xf32>) {
  // expected-error @below {{'momentum' must be in [0, 1], got 1.5}}
  %0:2 = pulptrain.batch_norm_running_stats %x, %m, %m {momentum = 1.5 : f64} : (tensor<8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  return
}

// -----

func.func @running_stats_nan(%x: tensor<8x4x4xf32>, %m: tensor<8xf32>) {
  // expected-error @below {{'momentum' must be finite, got nan}}
  %0:2 = pulptrain.batch_norm_running_stats %x, %m, %m {momentum = 0x7FF8000000000000 : f64} : (tensor<8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  return
}

// -----

func.func @running_stats_one_value(%x: tensor<8x1x1xf32>, %m: tensor<8xf32>) {
  // expected-error @below {{needs more than one value per channel for the unbiased variance, got 1x1}}
  %0:2 = pulptrain.batch_norm_running_stats %x, %m, %m : (tensor<8x1x1xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  return
}

// -----

func.func @running_stats_var(%x: tensor<8x4x4xf32>, %m: tensor<8xf32>, %v: tensor<4xf32>) {
  // expected-error @below {{'running_var' shape expected [8], got [4]}}
  %0:2 = pulptrain.batch_norm_running_stats %x, %m, %v : (tensor<8x4x4xf32>, tensor<8xf32>, tensor<4xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  return
}

// -----

func.func @running_stats_rank(%x: tensor<4x4xf32>, %m: tensor<4xf32>) {
  // expected-error @below {{'input' must have rank 3 [H, W, C], got rank 2}}
  %0:2 = pulptrain.batch_norm_running_stats %x, %m, %m layout <hwc> : (tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// Instance normalization
//===----------------------------------------------------------------------===//

func.func @norm_rank(%x: tensor<8x16xf32>, %g: tensor<8xf32>) {
  // expected-error @below {{'input' must have rank 3 [C, H, W], got rank 2}}
  %0 = pulptrain.instance_norm %x, %g, %g : (tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8x16xf32>
  return
}

// -----

func.func @norm_eps(%x: tensor<8x4x4xf32>, %g: tensor<8xf32>) {
  // expected-error @below {{'eps' must be positive, got 0}}
  %0 = pulptrain.instance_norm %x, %g, %g {eps = 0.0 : f64} : (tensor<8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8x4x4xf32>
  return
}

// -----

func.func @norm_gamma(%x: tensor<8x4x4xf32>, %g: tensor<4xf32>, %b: tensor<8xf32>) {
  // expected-error @below {{'gamma' shape expected [8], got [4]}}
  %0 = pulptrain.instance_norm %x, %g, %b : (tensor<8x4x4xf32>, tensor<4xf32>, tensor<8xf32>) -> tensor<8x4x4xf32>
  return
}

// -----

func.func @norm_beta_hwc(%x: tensor<4x4x8xf32>, %g: tensor<8xf32>, %b: tensor<4xf32>) {
  // expected-error @below {{'beta' shape expected [8], got [4]}}
  %0 = pulptrain.instance_norm %x, %g, %b layout <hwc> : (tensor<4x4x8xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<4x4x8xf32>
  return
}

// -----

func.func @norm_output(%x: tensor<8x4x4xf32>, %g: tensor<8xf32>) {
  // expected-error @below {{'output' shape expected [8, 4, 4], got [8, 4, 5]}}
  %0 = pulptrain.instance_norm %x, %g, %g : (tensor<8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8x4x5xf32>
  return
}

// -----

func.func @norm_in_grad_dy(%x: tensor<8x4x4xf32>, %g: tensor<8xf32>, %dy: tensor<8x4x3xf32>) {
  // expected-error @below {{'grad_output' shape expected [8, 4, 4], got [8, 4, 3]}}
  %0 = pulptrain.instance_norm_in_grad %x, %g, %dy : (tensor<8x4x4xf32>, tensor<8xf32>, tensor<8x4x3xf32>) -> tensor<8x4x4xf32>
  return
}

// -----

func.func @norm_in_grad_result(%x: tensor<8x4x4xf32>, %g: tensor<8xf32>, %dy: tensor<8x4x4xf32>) {
  // expected-error @below {{'grad_input' shape expected [8, 4, 4], got [8, 16]}}
  %0 = pulptrain.instance_norm_in_grad %x, %g, %dy : (tensor<8x4x4xf32>, tensor<8xf32>, tensor<8x4x4xf32>) -> tensor<8x16xf32>
  return
}

// -----

func.func @norm_wgt_grad_gamma(%x: tensor<8x4x4xf32>, %dy: tensor<8x4x4xf32>) {
  // expected-error @below {{'grad_gamma' shape expected [8], got [4]}}
  %0:2 = pulptrain.instance_norm_wgt_grad %x, %dy : (tensor<8x4x4xf32>, tensor<8x4x4xf32>) -> (tensor<4xf32>, tensor<8xf32>)
  return
}

// -----

func.func @norm_wgt_grad_beta(%x: tensor<8x4x4xf32>, %dy: tensor<8x4x4xf32>) {
  // expected-error @below {{'grad_beta' shape expected [8], got [4]}}
  %0:2 = pulptrain.instance_norm_wgt_grad %x, %dy : (tensor<8x4x4xf32>, tensor<8x4x4xf32>) -> (tensor<8xf32>, tensor<4xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

func.func @mse_target(%y: tensor<32xf32>, %t: tensor<31xf32>) {
  // expected-error @below {{'target' shape expected [32], got [31]}}
  %0 = pulptrain.mse_loss %y, %t : (tensor<32xf32>, tensor<31xf32>) -> tensor<f32>
  return
}

// -----

func.func @mse_result(%y: tensor<32xf32>, %t: tensor<32xf32>) {
  // expected-error @below {{'loss' must have rank 0 (a scalar), got rank 1}}
  %0 = pulptrain.mse_loss %y, %t : (tensor<32xf32>, tensor<32xf32>) -> tensor<1xf32>
  return
}

// -----

func.func @ce_logits(%y: tensor<2x10xf32>, %t: tensor<2x10xf32>) {
  // expected-error @below {{'logits' must have rank 1 [classes], got rank 2}}
  %0 = pulptrain.cross_entropy_loss %y, %t : (tensor<2x10xf32>, tensor<2x10xf32>) -> tensor<f32>
  return
}

// -----

func.func @ce_grad_logits(%y: tensor<2x10xf32>, %t: tensor<2x10xf32>) {
  // expected-error @below {{'logits' must have rank 1 [classes], got rank 2}}
  %0 = pulptrain.cross_entropy_loss_grad %y, %t : tensor<2x10xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// SGD
//===----------------------------------------------------------------------===//

func.func @sgd_lr(%w: tensor<4xf32>) {
  // expected-error @below {{'lr' must be non-negative, got -1}}
  %0 = pulptrain.sgd_update %w, %w {lr = -1.0 : f64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @sgd_momentum_value(%w: tensor<4xf32>) {
  // expected-error @below {{'momentum' must be non-negative, got -0.5}}
  %0:2 = pulptrain.sgd_update %w, %w, %w {lr = 0.1 : f64, momentum = -0.5 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func @sgd_weight_decay(%w: tensor<4xf32>) {
  // expected-error @below {{'weight_decay' must be non-negative, got -0.01}}
  %0 = pulptrain.sgd_update %w, %w {lr = 0.1 : f64, weight_decay = -0.01 : f64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @sgd_grad(%w: tensor<4xf32>, %g: tensor<5xf32>) {
  // expected-error @below {{'grad' shape expected [4], got [5]}}
  %0 = pulptrain.sgd_update %w, %g {lr = 0.1 : f64} : (tensor<4xf32>, tensor<5xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @sgd_new_param(%w: tensor<4xf32>) {
  // expected-error @below {{'new_param' shape expected [4], got [2, 2]}}
  %0 = pulptrain.sgd_update %w, %w {lr = 0.1 : f64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @sgd_missing_buffer(%w: tensor<4xf32>) {
  // expected-error @below {{'momentum' 0.9 requires a 'momentum_buffer' operand}}
  %0 = pulptrain.sgd_update %w, %w {lr = 0.1 : f64, momentum = 0.9 : f64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @adam_beta(%w: tensor<4xf32>, %t: tensor<f32>) {
  // expected-error @below {{'beta2' must be in [0, 1), got 1}}
  %0:3 = pulptrain.adam_update %w, %w, %w, %w, %t {lr = 0.1 : f64, beta2 = 1.0 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func @adam_eps(%w: tensor<4xf32>, %t: tensor<f32>) {
  // expected-error @below {{'eps' must be non-negative, got -1}}
  %0:3 = pulptrain.adam_update %w, %w, %w, %w, %t {lr = 0.1 : f64, eps = -1.0 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func @adam_lr(%w: tensor<4xf32>, %t: tensor<f32>) {
  // expected-error @below {{'lr' must be finite, got inf}}
  %0:3 = pulptrain.adam_update %w, %w, %w, %w, %t {lr = 0x7FF0000000000000 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func @adam_step_type(%w: tensor<4xf32>, %t: tensor<1xf32>) {
  // expected-error @below {{'step' must be a rank-0 f32 tensor (the step number), got 'tensor<1xf32>'}}
  %0:3 = pulptrain.adam_update %w, %w, %w, %w, %t {lr = 0.1 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<1xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func @adam_moment_shape(%w: tensor<4xf32>, %m: tensor<5xf32>, %t: tensor<f32>) {
  // expected-error @below {{'exp_avg_sq' shape expected [4], got [5]}}
  %0:3 = pulptrain.adam_update %w, %w, %w, %m, %t {lr = 0.1 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<5xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func @adam_moment_type(%w: tensor<4xf16>, %m: tensor<4xbf16>, %t: tensor<f32>) {
  // expected-error @below {{'exp_avg' element type expected f32 or 'f16' (of 'param'), got 'bf16'}}
  %0:3 = pulptrain.adam_update %w, %w, %m, %m, %t {lr = 0.1 : f64} : (tensor<4xf16>, tensor<4xf16>, tensor<4xbf16>, tensor<4xbf16>, tensor<f32>) -> (tensor<4xf16>, tensor<4xbf16>, tensor<4xbf16>)
  return
}

// -----

func.func @sgd_nesterov_without_momentum(%w: tensor<4xf32>) {
  // expected-error @below {{'nesterov' requires a non-zero 'momentum'}}
  %0 = pulptrain.sgd_update %w, %w {lr = 0.1 : f64, nesterov = true} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @sgd_unused_buffer(%w: tensor<4xf32>) {
  // expected-error @below {{'momentum_buffer' operand requires a non-zero 'momentum'}}
  %0:2 = pulptrain.sgd_update %w, %w, %w {lr = 0.1 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func @sgd_missing_new_buffer(%w: tensor<4xf32>) {
  // expected-error @below {{'new_momentum_buffer' result must be present if and only if 'momentum_buffer' is}}
  %0 = pulptrain.sgd_update %w, %w, %w {lr = 0.1 : f64, momentum = 0.9 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @sgd_buffer_shape(%w: tensor<4xf32>, %m: tensor<3xf32>) {
  // expected-error @below {{'momentum_buffer' shape expected [4], got [3]}}
  %0:2 = pulptrain.sgd_update %w, %w, %m {lr = 0.1 : f64, momentum = 0.9 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<3xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func @sgd_new_buffer_shape(%w: tensor<4xf32>) {
  // expected-error @below {{'new_momentum_buffer' shape expected [4], got [3]}}
  %0:2 = pulptrain.sgd_update %w, %w, %w {lr = 0.1 : f64, momentum = 0.9 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<3xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// Empty dimensions and non-finite attributes
//===----------------------------------------------------------------------===//

func.func @conv_zero_kernel(%x: tensor<3x8x8xf32>, %w: tensor<4x3x0x3xf32>) {
  // expected-error @below {{'weight' kernel height must be positive, got 0 (shape [4, 3, 0, 3])}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] : (tensor<3x8x8xf32>, tensor<4x3x0x3xf32>) -> tensor<4x9x6xf32>
  return
}

// -----

func.func @conv_zero_channels(%x: tensor<0x8x8xf32>, %w: tensor<4x0x3x3xf32>) {
  // expected-error @below {{'input' channels must be positive, got 0 (shape [0, 8, 8])}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] : (tensor<0x8x8xf32>, tensor<4x0x3x3xf32>) -> tensor<4x6x6xf32>
  return
}

// -----

func.func @conv_zero_out_channels(%x: tensor<3x8x8xf32>, %w: tensor<0x3x3x3xf32>) {
  // expected-error @below {{'weight' output channels must be positive, got 0 (shape [0, 3, 3, 3])}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] : (tensor<3x8x8xf32>, tensor<0x3x3x3xf32>) -> tensor<0x6x6xf32>
  return
}

// -----

func.func @conv_grad_zero_kernel(%x: tensor<3x8x8xf32>, %dy: tensor<4x9x6xf32>) {
  // expected-error @below {{'grad_weight' kernel height must be positive, got 0}}
  %0 = pulptrain.conv2d_wgt_grad %x, %dy stride [1, 1] padding [0, 0, 0, 0] : (tensor<3x8x8xf32>, tensor<4x9x6xf32>) -> tensor<4x3x0x3xf32>
  return
}

// -----

func.func @pool_zero_width(%x: tensor<4x8x0xf32>) {
  // expected-error @below {{'input' width must be positive, got 0 (shape [4, 8, 0])}}
  %0 = pulptrain.maxpool2d %x kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<4x8x0xf32>) -> tensor<4x4x0xf32>
  return
}

// -----

func.func @linear_zero_input(%x: tensor<0xf32>, %w: tensor<2x0xf32>) {
  // expected-error @below {{'input' must have no dimension of size 0, got [0]}}
  %0 = pulptrain.linear %x, %w : (tensor<0xf32>, tensor<2x0xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @linear_zero_output(%x: tensor<4xf32>, %w: tensor<0x4xf32>) {
  // expected-error @below {{'weight' must have no dimension of size 0, got [0, 4]}}
  %0 = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<0x4xf32>) -> tensor<0xf32>
  return
}

// -----

func.func @cross_entropy_no_classes(%x: tensor<0xf32>) {
  // expected-error @below {{'logits' must have no dimension of size 0, got [0]}}
  %0 = pulptrain.cross_entropy_loss %x, %x : (tensor<0xf32>, tensor<0xf32>) -> tensor<f32>
  return
}

// -----

func.func @leaky_relu_nan(%x: tensor<4xf32>) {
  // expected-error @below {{'negative_slope' must be finite, got nan}}
  %0 = pulptrain.leaky_relu %x {negative_slope = 0x7FF8000000000000 : f64} : tensor<4xf32>
  return
}

// -----

func.func @leaky_relu_grad_inf(%x: tensor<4xf32>) {
  // expected-error @below {{'negative_slope' must be finite, got inf}}
  %0 = pulptrain.leaky_relu_grad %x, %x {negative_slope = 0x7FF0000000000000 : f64} : tensor<4xf32>
  return
}

// -----

func.func @instance_norm_inf_eps(%x: tensor<2x4x4xf32>, %g: tensor<2xf32>) {
  // expected-error @below {{'eps' must be finite, got inf}}
  %0 = pulptrain.instance_norm %x, %g, %g {eps = 0x7FF0000000000000 : f64} : (tensor<2x4x4xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x4x4xf32>
  return
}

// -----

func.func @sgd_inf_lr(%p: tensor<4xf32>) {
  // expected-error @below {{'lr' must be finite, got inf}}
  %0 = pulptrain.sgd_update %p, %p {lr = 0x7FF0000000000000 : f64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @sgd_nan_momentum(%p: tensor<4xf32>) {
  // expected-error @below {{'momentum' must be finite, got nan}}
  %0:2 = pulptrain.sgd_update %p, %p, %p {lr = 0.1 : f64, momentum = 0x7FF8000000000000 : f64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func @mul_scalar_nan(%x: tensor<4xf32>) {
  // expected-error @below {{'scalar' must be finite, got nan}}
  %0 = pulptrain.mul_scalar %x {scalar = 0x7FF8000000000000 : f64} : tensor<4xf32>
  return
}

// -----

func.func @add_scalar_inf(%x: tensor<4xf32>) {
  // expected-error @below {{'scalar' must be finite, got inf}}
  %0 = pulptrain.add_scalar %x {scalar = 0x7FF0000000000000 : f64} : tensor<4xf32>
  return
}

// -----

func.func @dropout_p_above_one(%x: tensor<4xf32>) {
  // expected-error @below {{'p' must be in [0, 1], got 1.5}}
  %0 = pulptrain.dropout %x {p = 1.5 : f64} : tensor<4xf32>
  return
}

// -----

func.func @dropout_grad_p_nan(%x: tensor<4xf32>) {
  // expected-error @below {{'p' must be in [0, 1], got nan}}
  %0 = pulptrain.dropout_grad %x {p = 0x7FF8000000000000 : f64} : tensor<4xf32>
  return
}

// -----

func.func @dropout_seed_negative(%x: tensor<4xf32>) {
  // expected-error @below {{'seed' must be in [0, 2^32), got -1}}
  %0 = pulptrain.dropout %x {p = 0.5 : f64, seed = -1 : i64} : tensor<4xf32>
  return
}

// -----

func.func @dropout_grad_seed_too_big(%x: tensor<4xf32>) {
  // expected-error @below {{'seed' must be in [0, 2^32), got 4294967296}}
  %0 = pulptrain.dropout_grad %x {p = 0.5 : f64, seed = 4294967296 : i64} : tensor<4xf32>
  return
}

// -----

// The sample number is one f32 counter, not a tensor of them.
func.func @dropout_sample_not_scalar(%x: tensor<4xf32>, %n: tensor<2xf32>) {
  // expected-error @below {{operand #1 must be 0D tensor of 32-bit float values, but got 'tensor<2xf32>'}}
  %0 = "pulptrain.dropout"(%x, %n) {p = 0.5 : f64} : (tensor<4xf32>, tensor<2xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @dropout_grad_type_mismatch(%x: tensor<4xf32>) {
  // expected-error @below {{all of {grad_output, grad_input} have same type}}
  %0 = "pulptrain.dropout_grad"(%x) {p = 0.5 : f64} : (tensor<4xf32>) -> tensor<4xf16>
  return
}

// -----

func.func @maxpool_ceil_mode_wrong_size(%x: tensor<2x6x7xf32>) {
  // expected-error @below {{'output' shape expected [2, 4, 4], got [2, 3, 4]}}
  %0 = pulptrain.maxpool2d %x kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1] {ceil_mode = true} : (tensor<2x6x7xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

func.func @adaptive_avgpool_channels(%x: tensor<3x7x5xf32>) {
  // expected-error @below {{'output' has 4 channels, but 'input' has 3}}
  %0 = pulptrain.adaptive_avgpool2d %x : (tensor<3x7x5xf32>) -> tensor<4x3x2xf32>
  return
}

// -----

func.func @adaptive_avgpool_grad_rank(%dy: tensor<3x2xf32>) {
  // expected-error @below {{'grad_output' must have rank 3 [C, H, W], got rank 2}}
  %0 = pulptrain.adaptive_avgpool2d_grad %dy : (tensor<3x2xf32>) -> tensor<3x7x5xf32>
  return
}

// -----

func.func @adaptive_avgpool_empty(%x: tensor<3x7x5xf32>) {
  // expected-error @below {{'output' must have no dimension of size 0, got [3, 0, 2]}}
  %0 = pulptrain.adaptive_avgpool2d %x : (tensor<3x7x5xf32>) -> tensor<3x0x2xf32>
  return
}

// -----

func.func @conv_dilation_zero(%x: tensor<8x8x8xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @below {{'dilation' must be 2 positive values [dh, dw], got [0, 1]}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] {dilation = array<i64: 0, 1>} : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x6x6xf32>
  return
}

// -----

func.func @conv_dilation_wrong_size(%x: tensor<8x8x8xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @below {{'output' shape expected [16, 4, 4], got [16, 6, 6]}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] {dilation = array<i64: 2, 2>} : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x6x6xf32>
  return
}

// -----

func.func @conv_dilation_too_wide(%x: tensor<8x4x4xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @below {{kernel height 5 exceeds the padded input height 4}}
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [0, 0, 0, 0] {dilation = array<i64: 2, 2>} : (tensor<8x4x4xf32>, tensor<16x8x3x3xf32>) -> tensor<16x1x1xf32>
  return
}

// -----

func.func @relu_mask_shape(%y: tensor<2x4xf32>) {
  // expected-error @below {{'pulptrain.relu_mask' op failed to verify that all of {forward, mask} have same shape}}
  %m = pulptrain.relu_mask %y : tensor<2x4xf32> -> tensor<4x2xi8>
  return
}

// -----

func.func @relu_mask_type(%y: tensor<2x4xf32>) {
  // expected-error @below {{op result #0 must be statically shaped tensor of 8-bit signless integer values}}
  %m = pulptrain.relu_mask %y : tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @relu_mask_grad_shape(%m: tensor<2x4xi8>, %dy: tensor<8xf32>) {
  // expected-error @below {{failed to verify that all of {mask, grad_output, grad_input} have same shape}}
  %dx = pulptrain.relu_mask_grad %m, %dy : tensor<2x4xi8>, tensor<8xf32>
  return
}

// -----

func.func @maxpool_argmax_output(%x: tensor<16x6x6xf32>) {
  // expected-error @below {{'output' shape expected [16, 3, 3], got [16, 2, 2]}}
  %0:2 = pulptrain.maxpool2d_argmax %x kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<16x6x6xf32>) -> (tensor<16x2x2xf32>, tensor<16x2x2xi8>)
  return
}

// -----

func.func @maxpool_argmax_window(%x: tensor<1x17x17xf32>) {
  // expected-error @below {{windows of 289 elements have positions beyond an unsigned byte (at most 256)}}
  %0:2 = pulptrain.maxpool2d_argmax %x kernel [17, 17] stride [17, 17] padding [0, 0, 0, 0] : (tensor<1x17x17xf32>) -> (tensor<1x1x1xf32>, tensor<1x1x1xi8>)
  return
}

// -----

func.func @maxpool_scatter_positions(%p: tensor<16x2x3xi8>, %dy: tensor<16x3x3xf32>) {
  // expected-error @below {{'positions' shape expected [16, 3, 3], got [16, 2, 3]}}
  %0 = pulptrain.maxpool2d_scatter %p, %dy kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<16x2x3xi8>, tensor<16x3x3xf32>) -> tensor<16x6x6xf32>
  return
}

// -----

func.func @maxpool_scatter_result(%p: tensor<16x3x3xi8>, %dy: tensor<16x3x3xf32>) {
  // expected-error @below {{'grad_output' shape expected [16, 2, 2], got [16, 3, 3]}}
  %0 = pulptrain.maxpool2d_scatter %p, %dy kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<16x3x3xi8>, tensor<16x3x3xf32>) -> tensor<16x5x5xf32>
  return
}

// -----

func.func @maxpool_scatter_window(%p: tensor<1x1x1xi8>, %dy: tensor<1x1x1xf32>) {
  // expected-error @below {{windows of 289 elements have positions beyond an unsigned byte (at most 256)}}
  %0 = pulptrain.maxpool2d_scatter %p, %dy kernel [17, 17] stride [17, 17] padding [0, 0, 0, 0] : (tensor<1x1x1xi8>, tensor<1x1x1xf32>) -> tensor<1x17x17xf32>
  return
}
