// RUN: pulptrain-opt %s --pulptrain-print-op-costs --verify-diagnostics -o /dev/null

// CostOpInterface, op by op: MACs by definition, bytes read per operand
// (only the input rows and columns a strided window touches), bytes
// written per result.

func.func @costs(%x: tensor<576xf32>, %w: tensor<32x576xf32>, %b: tensor<32xf32>,
                 %img: tensor<8x8x8xf32>, %cw: tensor<16x8x3x3xf32>,
                 %dw: tensor<8x1x3x3xf32>, %pw: tensor<4x8x1x1xf32>,
                 %dy: tensor<16x6x6xf32>, %label: tensor<32xf32>,
                 %buf: tensor<32x576xf32>) {
  // 32 x 576 weights, one MAC each.
  // expected-remark @below {{cost of 'pulptrain.linear': 18432 MACs, reads [2304, 73728, 128] bytes (76160), writes [128] bytes (128)}}
  %y = pulptrain.linear %x, %w, %b : (tensor<576xf32>, tensor<32x576xf32>, tensor<32xf32>) -> tensor<32xf32>
  // 16 x 6 x 6 outputs of 8 x 3 x 3 products.
  // expected-remark @below {{cost of 'pulptrain.conv2d': 41472 MACs, reads [2048, 4608] bytes (6656), writes [2304] bytes (2304)}}
  %c = pulptrain.conv2d %img, %cw stride [1, 1] padding [0, 0, 0, 0] : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x6x6xf32>
  // Depthwise, stride 2, padding 1: 8 x 4 x 4 outputs of 3 x 3 products;
  // the windows still touch every input row and column.
  // expected-remark @below {{cost of 'pulptrain.conv2d': 1152 MACs, reads [2048, 288] bytes (2336), writes [512] bytes (512)}}
  %d = pulptrain.conv2d %img, %dw stride [2, 2] padding [1, 1, 1, 1] groups 8 : (tensor<8x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<8x4x4xf32>
  // A 1x1 window with stride 2 reads every other row and column: a quarter
  // of the input.
  // expected-remark @below {{cost of 'pulptrain.conv2d': 512 MACs, reads [512, 128] bytes (640), writes [256] bytes (256)}}
  %s = pulptrain.conv2d %img, %pw stride [2, 2] padding [0, 0, 0, 0] : (tensor<8x8x8xf32>, tensor<4x8x1x1xf32>) -> tensor<4x4x4xf32>
  // expected-remark @below {{cost of 'pulptrain.conv2d_wgt_grad': 41472 MACs, reads [2048, 2304] bytes (4352), writes [4608] bytes (4608)}}
  %g = pulptrain.conv2d_wgt_grad %img, %dy stride [1, 1] padding [0, 0, 0, 0] : (tensor<8x8x8xf32>, tensor<16x6x6xf32>) -> tensor<16x8x3x3xf32>
  // expected-remark @below {{cost of 'pulptrain.relu': 0 MACs, reads [128] bytes (128), writes [128] bytes (128)}}
  %r = pulptrain.relu %y : tensor<32xf32>
  // expected-remark @below {{cost of 'pulptrain.mse_loss': 32 MACs, reads [128, 128] bytes (256), writes [4] bytes (4)}}
  %l = pulptrain.mse_loss %r, %label : (tensor<32xf32>, tensor<32xf32>) -> tensor<f32>
  // Three terms per weight: the step, momentum and weight decay.
  // expected-remark @below {{cost of 'pulptrain.sgd_update': 55296 MACs, reads [73728, 73728, 73728] bytes (221184), writes [73728, 73728] bytes (147456)}}
  %new, %newbuf = pulptrain.sgd_update %w, %w, %buf {lr = 0.1 : f64, momentum = 0.9 : f64, weight_decay = 0.001 : f64} : (tensor<32x576xf32>, tensor<32x576xf32>, tensor<32x576xf32>) -> (tensor<32x576xf32>, tensor<32x576xf32>)
  return
}
