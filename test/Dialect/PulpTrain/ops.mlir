// RUN: pulptrain-opt %s --verify-roundtrip | FileCheck %s
// RUN: pulptrain-opt %s --mlir-print-op-generic | pulptrain-opt | FileCheck %s

// Every pulptrain op in f32, f16 and bf16 (the same functions, one per
// element type), plus casts between the three.

// CHECK-LABEL: func.func @layers_f32
func.func @layers_f32(%x: tensor<576xf32>, %w: tensor<32x576xf32>, %b: tensor<32xf32>,
                    %dy: tensor<32xf32>, %fm: tensor<8x8x8xf32>,
                    %k: tensor<16x8x3x3xf32>, %kb: tensor<16xf32>,
                    %dfm: tensor<16x6x6xf32>, %dwk: tensor<8x1x3x3xf32>,
                    %xh: tensor<7x5x3xf32>, %kh: tensor<4x2x2x3xf32>,
                    %dyh: tensor<3x2x4xf32>) {
  // CHECK: pulptrain.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<576xf32>, tensor<32x576xf32>, tensor<32xf32>) -> tensor<32xf32>
  %0 = pulptrain.linear %x, %w, %b : (tensor<576xf32>, tensor<32x576xf32>, tensor<32xf32>) -> tensor<32xf32>
  // CHECK: pulptrain.linear %{{.*}}, %{{.*}} : (tensor<576xf32>, tensor<32x576xf32>) -> tensor<32xf32>
  %1 = pulptrain.linear %x, %w : (tensor<576xf32>, tensor<32x576xf32>) -> tensor<32xf32>
  // CHECK: pulptrain.linear_wgt_grad
  %2 = pulptrain.linear_wgt_grad %x, %dy : (tensor<576xf32>, tensor<32xf32>) -> tensor<32x576xf32>
  // CHECK: pulptrain.linear_in_grad
  %3 = pulptrain.linear_in_grad %dy, %w : (tensor<32xf32>, tensor<32x576xf32>) -> tensor<576xf32>
  // CHECK: pulptrain.bias_grad %{{.*}} : (tensor<32xf32>) -> tensor<32xf32>
  %4 = pulptrain.bias_grad %dy : (tensor<32xf32>) -> tensor<32xf32>
  // CHECK: pulptrain.conv2d %{{.*}}, %{{.*}}, %{{.*}} stride [1, 1] padding [0, 0, 0, 0] :
  %5 = pulptrain.conv2d %fm, %k, %kb stride [1, 1] padding [0, 0, 0, 0]
      : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<16x6x6xf32>
  // CHECK: pulptrain.conv2d_wgt_grad %{{.*}}, %{{.*}} stride [1, 1] padding [0, 0, 0, 0] :
  %6 = pulptrain.conv2d_wgt_grad %fm, %dfm stride [1, 1] padding [0, 0, 0, 0]
      : (tensor<8x8x8xf32>, tensor<16x6x6xf32>) -> tensor<16x8x3x3xf32>
  // CHECK: pulptrain.conv2d_in_grad
  %7 = pulptrain.conv2d_in_grad %dfm, %k stride [1, 1] padding [0, 0, 0, 0]
      : (tensor<16x6x6xf32>, tensor<16x8x3x3xf32>) -> tensor<8x8x8xf32>
  // CHECK: pulptrain.bias_grad %{{.*}} : (tensor<16x6x6xf32>) -> tensor<16xf32>
  %8 = pulptrain.bias_grad %dfm : (tensor<16x6x6xf32>) -> tensor<16xf32>
  // Depthwise, stride 2, asymmetric padding.
  // CHECK: pulptrain.conv2d %{{.*}}, %{{.*}} stride [2, 2] padding [1, 0, 1, 0] groups 8 :
  %9 = pulptrain.conv2d %fm, %dwk stride [2, 2] padding [1, 0, 1, 0] groups 8
      : (tensor<8x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<8x4x4xf32>
  // CHECK: pulptrain.conv2d_in_grad %{{.*}}, %{{.*}} stride [2, 2] padding [1, 0, 1, 0] groups 8 :
  %10 = pulptrain.conv2d_in_grad %9, %dwk stride [2, 2] padding [1, 0, 1, 0] groups 8
      : (tensor<8x4x4xf32>, tensor<8x1x3x3xf32>) -> tensor<8x8x8xf32>
  // HWC layout: input [H, W, C], weight [Cout, Kh, Kw, Cin].
  // CHECK: pulptrain.conv2d %{{.*}}, %{{.*}} stride [2, 2] padding [0, 0, 0, 0] layout <hwc> :
  %11 = pulptrain.conv2d %xh, %kh stride [2, 2] padding [0, 0, 0, 0] layout <hwc>
      : (tensor<7x5x3xf32>, tensor<4x2x2x3xf32>) -> tensor<3x2x4xf32>
  // CHECK: pulptrain.conv2d_wgt_grad {{.*}} layout <hwc>
  %12 = pulptrain.conv2d_wgt_grad %xh, %dyh stride [2, 2] padding [0, 0, 0, 0] layout <hwc>
      : (tensor<7x5x3xf32>, tensor<3x2x4xf32>) -> tensor<4x2x2x3xf32>
  // CHECK: pulptrain.bias_grad %{{.*}} layout <hwc> : (tensor<3x2x4xf32>) -> tensor<4xf32>
  %13 = pulptrain.bias_grad %11 layout <hwc> : (tensor<3x2x4xf32>) -> tensor<4xf32>
  return
}

// CHECK-LABEL: func.func @issue17_ops
func.func @issue17_ops(%x: tensor<16x6x6xf32>, %dy: tensor<16x6x6xf32>,
                       %h: tensor<10xbf16>, %n: tensor<f32>) {
  // CHECK: pulptrain.relu6 %{{.*}} : tensor<16x6x6xf32>
  %0 = pulptrain.relu6 %x : tensor<16x6x6xf32>
  // CHECK: pulptrain.relu6_grad %{{.*}}, %{{.*}} : tensor<16x6x6xf32>
  %1 = pulptrain.relu6_grad %x, %dy : tensor<16x6x6xf32>
  // CHECK: pulptrain.hardswish %{{.*}} : tensor<16x6x6xf32>
  %2 = pulptrain.hardswish %x : tensor<16x6x6xf32>
  // CHECK: pulptrain.hardswish_grad %{{.*}}, %{{.*}} : tensor<16x6x6xf32>
  %3 = pulptrain.hardswish_grad %x, %dy : tensor<16x6x6xf32>
  // CHECK: pulptrain.hardsigmoid %{{.*}} : tensor<10xbf16>
  %4 = pulptrain.hardsigmoid %h : tensor<10xbf16>
  // CHECK: pulptrain.hardsigmoid_grad %{{.*}}, %{{.*}} : tensor<10xbf16>
  %5 = pulptrain.hardsigmoid_grad %h, %h : tensor<10xbf16>
  // CHECK: pulptrain.mul_scalar %{{.*}} {scalar = 2.000000e+00 : f64} : tensor<16x6x6xf32>
  %6 = pulptrain.mul_scalar %x {scalar = 2.0 : f64} : tensor<16x6x6xf32>
  // CHECK: pulptrain.add_scalar %{{.*}} {scalar = -1.000000e+00 : f64} : tensor<10xbf16>
  %7 = pulptrain.add_scalar %h {scalar = -1.0 : f64} : tensor<10xbf16>
  // CHECK: pulptrain.dropout %{{.*}} {p = 2.500000e-01 : f64, seed = 3 : i64} : tensor<16x6x6xf32>
  %8 = pulptrain.dropout %x {p = 0.25 : f64, seed = 3 : i64} : tensor<16x6x6xf32>
  // CHECK: pulptrain.dropout %{{.*}} {p = 5.000000e-01 : f64} : tensor<10xbf16>
  %9 = pulptrain.dropout %h {p = 0.5 : f64} : tensor<10xbf16>
  // CHECK: pulptrain.dropout_grad %{{.*}} {p = 2.500000e-01 : f64, seed = 3 : i64} : tensor<16x6x6xf32>
  %10 = pulptrain.dropout_grad %dy {p = 0.25 : f64, seed = 3 : i64} : tensor<16x6x6xf32>
  // A sample number (a rank-0 f32 tensor, its type implied).
  // CHECK: pulptrain.dropout %{{.*}} sample %{{.*}} {p = 5.000000e-01 : f64} : tensor<10xbf16>
  %11 = pulptrain.dropout %h sample %n {p = 0.5 : f64} : tensor<10xbf16>
  // CHECK: pulptrain.dropout_grad %{{.*}} sample %{{.*}} {p = 5.000000e-01 : f64, seed = 7 : i64} : tensor<10xbf16>
  %12 = pulptrain.dropout_grad %h sample %n {p = 0.5 : f64, seed = 7 : i64} : tensor<10xbf16>
  return
}

// A dilated convolution in all three steps: 8x8 input, 3x3 kernel with
// dilation 2 (span 5), padding 2.
// CHECK-LABEL: func.func @conv_dilation
func.func @conv_dilation(%x: tensor<8x8x8xf32>, %w: tensor<16x8x3x3xf32>,
                         %dy: tensor<16x8x8xf32>) {
  // CHECK: pulptrain.conv2d %{{.*}}, %{{.*}} stride [1, 1] padding [2, 2, 2, 2] {dilation = array<i64: 2, 2>} : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x8x8xf32>
  %0 = pulptrain.conv2d %x, %w stride [1, 1] padding [2, 2, 2, 2] {dilation = array<i64: 2, 2>} : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x8x8xf32>
  // CHECK: pulptrain.conv2d_wgt_grad %{{.*}}, %{{.*}} {dilation = array<i64: 2, 2>}
  %1 = pulptrain.conv2d_wgt_grad %x, %dy stride [1, 1] padding [2, 2, 2, 2] {dilation = array<i64: 2, 2>} : (tensor<8x8x8xf32>, tensor<16x8x8xf32>) -> tensor<16x8x3x3xf32>
  // CHECK: pulptrain.conv2d_in_grad %{{.*}}, %{{.*}} {dilation = array<i64: 2, 2>}
  %2 = pulptrain.conv2d_in_grad %dy, %w stride [1, 1] padding [2, 2, 2, 2] {dilation = array<i64: 2, 2>} : (tensor<16x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<8x8x8xf32>
  return
}

// ceil_mode and count_include_pad are printed when not their defaults.
// CHECK-LABEL: func.func @pool_options
func.func @pool_options(%x: tensor<2x6x7xf32>, %dy: tensor<2x4x4xf32>,
                        %a: tensor<3x7x5xf16>, %da: tensor<3x3x2xf16>,
                        %h: tensor<7x5x3xbf16>) {
  // CHECK: pulptrain.avgpool2d %{{.*}} kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1] {ceil_mode = true, count_include_pad = false} : (tensor<2x6x7xf32>) -> tensor<2x4x4xf32>
  %0 = pulptrain.avgpool2d %x kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1] {ceil_mode = true, count_include_pad = false} : (tensor<2x6x7xf32>) -> tensor<2x4x4xf32>
  // CHECK: pulptrain.avgpool2d_grad %{{.*}} {ceil_mode = true} : (tensor<2x4x4xf32>) -> tensor<2x6x7xf32>
  %1 = pulptrain.avgpool2d_grad %dy kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1] {ceil_mode = true} : (tensor<2x4x4xf32>) -> tensor<2x6x7xf32>
  // CHECK: pulptrain.maxpool2d %{{.*}} {ceil_mode = true} : (tensor<2x6x7xf32>) -> tensor<2x4x4xf32>
  %2 = pulptrain.maxpool2d %x kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1] {ceil_mode = true} : (tensor<2x6x7xf32>) -> tensor<2x4x4xf32>
  // CHECK: pulptrain.maxpool2d_grad %{{.*}}, %{{.*}} {ceil_mode = true} : (tensor<2x6x7xf32>, tensor<2x4x4xf32>) -> tensor<2x6x7xf32>
  %3 = pulptrain.maxpool2d_grad %x, %dy kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1] {ceil_mode = true} : (tensor<2x6x7xf32>, tensor<2x4x4xf32>) -> tensor<2x6x7xf32>
  // CHECK: pulptrain.avgpool2d %{{.*}} padding [1, 1, 1, 1] : (tensor<2x6x7xf32>) -> tensor<2x3x4xf32>
  %4 = pulptrain.avgpool2d %x kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1] {ceil_mode = false, count_include_pad = true} : (tensor<2x6x7xf32>) -> tensor<2x3x4xf32>
  // CHECK: pulptrain.adaptive_avgpool2d %{{.*}} : (tensor<3x7x5xf16>) -> tensor<3x3x2xf16>
  %5 = pulptrain.adaptive_avgpool2d %a : (tensor<3x7x5xf16>) -> tensor<3x3x2xf16>
  // CHECK: pulptrain.adaptive_avgpool2d_grad %{{.*}} : (tensor<3x3x2xf16>) -> tensor<3x7x5xf16>
  %6 = pulptrain.adaptive_avgpool2d_grad %da : (tensor<3x3x2xf16>) -> tensor<3x7x5xf16>
  // CHECK: pulptrain.adaptive_avgpool2d %{{.*}} layout <hwc> : (tensor<7x5x3xbf16>) -> tensor<3x2x3xbf16>
  %7 = pulptrain.adaptive_avgpool2d %h layout <hwc> : (tensor<7x5x3xbf16>) -> tensor<3x2x3xbf16>
  return
}

// CHECK-LABEL: func.func @activations_f32
func.func @activations_f32(%x: tensor<16x6x6xf32>, %dy: tensor<16x6x6xf32>,
                         %v: tensor<10xf32>) {
  // CHECK: pulptrain.relu %{{.*}} : tensor<16x6x6xf32>
  %0 = pulptrain.relu %x : tensor<16x6x6xf32>
  // CHECK: pulptrain.relu_grad %{{.*}}, %{{.*}} : tensor<16x6x6xf32>
  %1 = pulptrain.relu_grad %x, %dy : tensor<16x6x6xf32>
  // CHECK: pulptrain.leaky_relu %{{.*}} {negative_slope = 1.000000e-01 : f64} : tensor<16x6x6xf32>
  %2 = pulptrain.leaky_relu %x {negative_slope = 0.1 : f64} : tensor<16x6x6xf32>
  // CHECK: pulptrain.leaky_relu %{{.*}} : tensor<16x6x6xf32>
  %3 = pulptrain.leaky_relu %x : tensor<16x6x6xf32>
  // CHECK: pulptrain.leaky_relu_grad %{{.*}}, %{{.*}} {negative_slope = 1.000000e-01 : f64} : tensor<16x6x6xf32>
  %4 = pulptrain.leaky_relu_grad %x, %dy {negative_slope = 0.1 : f64} : tensor<16x6x6xf32>
  // CHECK: pulptrain.sigmoid
  %5 = pulptrain.sigmoid %x : tensor<16x6x6xf32>
  // CHECK: pulptrain.sigmoid_grad
  %6 = pulptrain.sigmoid_grad %5, %dy : tensor<16x6x6xf32>
  // CHECK: pulptrain.tanh
  %7 = pulptrain.tanh %x : tensor<16x6x6xf32>
  // CHECK: pulptrain.tanh_grad
  %8 = pulptrain.tanh_grad %7, %dy : tensor<16x6x6xf32>
  // CHECK: pulptrain.softmax %{{.*}} : tensor<10xf32>
  %9 = pulptrain.softmax %v : tensor<10xf32>
  // CHECK: pulptrain.softmax_grad %{{.*}}, %{{.*}} : tensor<10xf32>
  %10 = pulptrain.softmax_grad %9, %v : tensor<10xf32>
  // CHECK: pulptrain.softmax %{{.*}} {axis = 0 : i64} : tensor<16x6x6xf32>
  %11 = pulptrain.softmax %x {axis = 0} : tensor<16x6x6xf32>
  // CHECK: pulptrain.softmax_grad %{{.*}}, %{{.*}} {axis = 0 : i64} : tensor<16x6x6xf32>
  %12 = pulptrain.softmax_grad %11, %dy {axis = 0} : tensor<16x6x6xf32>
  // CHECK: pulptrain.add
  %13 = pulptrain.add %x, %dy : tensor<16x6x6xf32>
  return
}

// CHECK-LABEL: func.func @pool_norm_f32
func.func @pool_norm_f32(%x: tensor<16x6x6xf32>, %dy: tensor<16x3x3xf32>,
                       %xh: tensor<7x5x3xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>) {
  // CHECK: pulptrain.maxpool2d %{{.*}} kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] :
  %0 = pulptrain.maxpool2d %x kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0]
      : (tensor<16x6x6xf32>) -> tensor<16x3x3xf32>
  // CHECK: pulptrain.maxpool2d_grad
  %1 = pulptrain.maxpool2d_grad %x, %dy kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0]
      : (tensor<16x6x6xf32>, tensor<16x3x3xf32>) -> tensor<16x6x6xf32>
  // CHECK: pulptrain.avgpool2d %{{.*}} kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1] :
  %2 = pulptrain.avgpool2d %x kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1]
      : (tensor<16x6x6xf32>) -> tensor<16x3x3xf32>
  // CHECK: pulptrain.avgpool2d_grad
  %3 = pulptrain.avgpool2d_grad %2 kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1]
      : (tensor<16x3x3xf32>) -> tensor<16x6x6xf32>
  // CHECK: pulptrain.maxpool2d %{{.*}} layout <hwc>
  %4 = pulptrain.maxpool2d %xh kernel [2, 2] stride [1, 1] padding [0, 0, 0, 0] layout <hwc>
      : (tensor<7x5x3xf32>) -> tensor<6x4x3xf32>
  // CHECK: pulptrain.instance_norm %{{.*}}, %{{.*}}, %{{.*}} :
  %5 = pulptrain.instance_norm %x, %g, %b
      : (tensor<16x6x6xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<16x6x6xf32>
  // CHECK: pulptrain.instance_norm_in_grad %{{.*}}, %{{.*}}, %{{.*}} {eps = 1.000000e-03 : f64} :
  %6 = pulptrain.instance_norm_in_grad %x, %g, %5 {eps = 1.0e-3 : f64}
      : (tensor<16x6x6xf32>, tensor<16xf32>, tensor<16x6x6xf32>) -> tensor<16x6x6xf32>
  // CHECK: pulptrain.instance_norm_wgt_grad
  %7:2 = pulptrain.instance_norm_wgt_grad %x, %5
      : (tensor<16x6x6xf32>, tensor<16x6x6xf32>) -> (tensor<16xf32>, tensor<16xf32>)
  return
}

// CHECK-LABEL: func.func @batch_norm
func.func @batch_norm(%x: tensor<16x6x6xf16>, %xh: tensor<6x6x16xf16>,
                      %g: tensor<16xf16>, %b: tensor<16xf16>) {
  // CHECK: pulptrain.batch_norm %{{.*}}, %{{.*}}, %{{.*}} {eps = 1.000000e-03 : f64} :
  %0 = pulptrain.batch_norm %x, %g, %b {eps = 1.0e-3 : f64}
      : (tensor<16x6x6xf16>, tensor<16xf16>, tensor<16xf16>) -> tensor<16x6x6xf16>
  // CHECK: pulptrain.batch_norm_in_grad %{{.*}}, %{{.*}}, %{{.*}} layout <hwc> :
  %1 = pulptrain.batch_norm_in_grad %xh, %g, %xh layout <hwc>
      : (tensor<6x6x16xf16>, tensor<16xf16>, tensor<6x6x16xf16>) -> tensor<6x6x16xf16>
  // CHECK: pulptrain.batch_norm_wgt_grad
  %2:2 = pulptrain.batch_norm_wgt_grad %x, %0
      : (tensor<16x6x6xf16>, tensor<16x6x6xf16>) -> (tensor<16xf16>, tensor<16xf16>)
  // CHECK: pulptrain.batch_norm_running_stats %{{.*}}, %{{.*}}, %{{.*}} {momentum = 2.000000e-01 : f64} :
  %3:2 = pulptrain.batch_norm_running_stats %x, %g, %b {momentum = 0.2 : f64}
      : (tensor<16x6x6xf16>, tensor<16xf16>, tensor<16xf16>) -> (tensor<16xf16>, tensor<16xf16>)
  return
}

// CHECK-LABEL: func.func @loss_sgd_f32
func.func @loss_sgd_f32(%y: tensor<32xf32>, %t: tensor<32xf32>, %w: tensor<32x576xf32>,
                      %dw: tensor<32x576xf32>, %m: tensor<32x576xf32>) {
  // CHECK: pulptrain.mse_loss %{{.*}}, %{{.*}} : (tensor<32xf32>, tensor<32xf32>) -> tensor<f32>
  %0 = pulptrain.mse_loss %y, %t : (tensor<32xf32>, tensor<32xf32>) -> tensor<f32>
  // CHECK: pulptrain.mse_loss_grad
  %1 = pulptrain.mse_loss_grad %y, %t : tensor<32xf32>
  // CHECK: pulptrain.cross_entropy_loss
  %2 = pulptrain.cross_entropy_loss %y, %t : (tensor<32xf32>, tensor<32xf32>) -> tensor<f32>
  // CHECK: pulptrain.cross_entropy_loss_grad
  %3 = pulptrain.cross_entropy_loss_grad %y, %t : tensor<32xf32>
  // CHECK: pulptrain.sgd_update %{{.*}}, %{{.*}} {lr = 1.000000e-02 : f64} :
  %4 = pulptrain.sgd_update %w, %dw {lr = 0.01 : f64}
      : (tensor<32x576xf32>, tensor<32x576xf32>) -> tensor<32x576xf32>
  // CHECK: pulptrain.sgd_update %{{.*}}, %{{.*}}, %{{.*}} {lr = {{.*}}, momentum = 9.000000e-01 : f64, weight_decay = {{.*}}} :
  %5:2 = pulptrain.sgd_update %w, %dw, %m {lr = 0.01 : f64, momentum = 0.9 : f64, weight_decay = 1.0e-4 : f64}
      : (tensor<32x576xf32>, tensor<32x576xf32>, tensor<32x576xf32>) -> (tensor<32x576xf32>, tensor<32x576xf32>)
  // CHECK: pulptrain.sgd_update %{{.*}}, %{{.*}}, %{{.*}} {lr = {{.*}}, momentum = 9.000000e-01 : f64, nesterov = true} :
  %6:2 = pulptrain.sgd_update %w, %dw, %m {lr = 0.01 : f64, momentum = 0.9 : f64, nesterov = true}
      : (tensor<32x576xf32>, tensor<32x576xf32>, tensor<32x576xf32>) -> (tensor<32x576xf32>, tensor<32x576xf32>)
  // CHECK: pulptrain.adam_update %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {beta1 = 8.000000e-01 : f64, beta2 = {{.*}} : f64, eps = {{.*}} : f64, lr = 1.000000e-03 : f64} :
  %step = arith.constant dense<1.0> : tensor<f32>
  %7:3 = pulptrain.adam_update %w, %dw, %m, %m, %step {lr = 1.0e-3 : f64, beta1 = 0.8 : f64, beta2 = 0.99 : f64, eps = 1.0e-7 : f64, weight_decay = 0.0 : f64}
      : (tensor<32x576xf32>, tensor<32x576xf32>, tensor<32x576xf32>, tensor<32x576xf32>, tensor<f32>) -> (tensor<32x576xf32>, tensor<32x576xf32>, tensor<32x576xf32>)
  return
}

// CHECK-LABEL: func.func @layers_f16
func.func @layers_f16(%x: tensor<576xf16>, %w: tensor<32x576xf16>, %b: tensor<32xf16>,
                    %dy: tensor<32xf16>, %fm: tensor<8x8x8xf16>,
                    %k: tensor<16x8x3x3xf16>, %kb: tensor<16xf16>,
                    %dfm: tensor<16x6x6xf16>, %dwk: tensor<8x1x3x3xf16>,
                    %xh: tensor<7x5x3xf16>, %kh: tensor<4x2x2x3xf16>,
                    %dyh: tensor<3x2x4xf16>) {
  // CHECK: pulptrain.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<576xf16>, tensor<32x576xf16>, tensor<32xf16>) -> tensor<32xf16>
  %0 = pulptrain.linear %x, %w, %b : (tensor<576xf16>, tensor<32x576xf16>, tensor<32xf16>) -> tensor<32xf16>
  // CHECK: pulptrain.linear %{{.*}}, %{{.*}} : (tensor<576xf16>, tensor<32x576xf16>) -> tensor<32xf16>
  %1 = pulptrain.linear %x, %w : (tensor<576xf16>, tensor<32x576xf16>) -> tensor<32xf16>
  // CHECK: pulptrain.linear_wgt_grad
  %2 = pulptrain.linear_wgt_grad %x, %dy : (tensor<576xf16>, tensor<32xf16>) -> tensor<32x576xf16>
  // CHECK: pulptrain.linear_in_grad
  %3 = pulptrain.linear_in_grad %dy, %w : (tensor<32xf16>, tensor<32x576xf16>) -> tensor<576xf16>
  // CHECK: pulptrain.bias_grad %{{.*}} : (tensor<32xf16>) -> tensor<32xf16>
  %4 = pulptrain.bias_grad %dy : (tensor<32xf16>) -> tensor<32xf16>
  // CHECK: pulptrain.conv2d %{{.*}}, %{{.*}}, %{{.*}} stride [1, 1] padding [0, 0, 0, 0] :
  %5 = pulptrain.conv2d %fm, %k, %kb stride [1, 1] padding [0, 0, 0, 0]
      : (tensor<8x8x8xf16>, tensor<16x8x3x3xf16>, tensor<16xf16>) -> tensor<16x6x6xf16>
  // CHECK: pulptrain.conv2d_wgt_grad %{{.*}}, %{{.*}} stride [1, 1] padding [0, 0, 0, 0] :
  %6 = pulptrain.conv2d_wgt_grad %fm, %dfm stride [1, 1] padding [0, 0, 0, 0]
      : (tensor<8x8x8xf16>, tensor<16x6x6xf16>) -> tensor<16x8x3x3xf16>
  // CHECK: pulptrain.conv2d_in_grad
  %7 = pulptrain.conv2d_in_grad %dfm, %k stride [1, 1] padding [0, 0, 0, 0]
      : (tensor<16x6x6xf16>, tensor<16x8x3x3xf16>) -> tensor<8x8x8xf16>
  // CHECK: pulptrain.bias_grad %{{.*}} : (tensor<16x6x6xf16>) -> tensor<16xf16>
  %8 = pulptrain.bias_grad %dfm : (tensor<16x6x6xf16>) -> tensor<16xf16>
  // Depthwise, stride 2, asymmetric padding.
  // CHECK: pulptrain.conv2d %{{.*}}, %{{.*}} stride [2, 2] padding [1, 0, 1, 0] groups 8 :
  %9 = pulptrain.conv2d %fm, %dwk stride [2, 2] padding [1, 0, 1, 0] groups 8
      : (tensor<8x8x8xf16>, tensor<8x1x3x3xf16>) -> tensor<8x4x4xf16>
  // CHECK: pulptrain.conv2d_in_grad %{{.*}}, %{{.*}} stride [2, 2] padding [1, 0, 1, 0] groups 8 :
  %10 = pulptrain.conv2d_in_grad %9, %dwk stride [2, 2] padding [1, 0, 1, 0] groups 8
      : (tensor<8x4x4xf16>, tensor<8x1x3x3xf16>) -> tensor<8x8x8xf16>
  // HWC layout: input [H, W, C], weight [Cout, Kh, Kw, Cin].
  // CHECK: pulptrain.conv2d %{{.*}}, %{{.*}} stride [2, 2] padding [0, 0, 0, 0] layout <hwc> :
  %11 = pulptrain.conv2d %xh, %kh stride [2, 2] padding [0, 0, 0, 0] layout <hwc>
      : (tensor<7x5x3xf16>, tensor<4x2x2x3xf16>) -> tensor<3x2x4xf16>
  // CHECK: pulptrain.conv2d_wgt_grad {{.*}} layout <hwc>
  %12 = pulptrain.conv2d_wgt_grad %xh, %dyh stride [2, 2] padding [0, 0, 0, 0] layout <hwc>
      : (tensor<7x5x3xf16>, tensor<3x2x4xf16>) -> tensor<4x2x2x3xf16>
  // CHECK: pulptrain.bias_grad %{{.*}} layout <hwc> : (tensor<3x2x4xf16>) -> tensor<4xf16>
  %13 = pulptrain.bias_grad %11 layout <hwc> : (tensor<3x2x4xf16>) -> tensor<4xf16>
  return
}

// CHECK-LABEL: func.func @activations_f16
func.func @activations_f16(%x: tensor<16x6x6xf16>, %dy: tensor<16x6x6xf16>,
                         %v: tensor<10xf16>) {
  // CHECK: pulptrain.relu %{{.*}} : tensor<16x6x6xf16>
  %0 = pulptrain.relu %x : tensor<16x6x6xf16>
  // CHECK: pulptrain.relu_grad %{{.*}}, %{{.*}} : tensor<16x6x6xf16>
  %1 = pulptrain.relu_grad %x, %dy : tensor<16x6x6xf16>
  // CHECK: pulptrain.leaky_relu %{{.*}} {negative_slope = 1.000000e-01 : f64} : tensor<16x6x6xf16>
  %2 = pulptrain.leaky_relu %x {negative_slope = 0.1 : f64} : tensor<16x6x6xf16>
  // CHECK: pulptrain.leaky_relu %{{.*}} : tensor<16x6x6xf16>
  %3 = pulptrain.leaky_relu %x : tensor<16x6x6xf16>
  // CHECK: pulptrain.leaky_relu_grad %{{.*}}, %{{.*}} {negative_slope = 1.000000e-01 : f64} : tensor<16x6x6xf16>
  %4 = pulptrain.leaky_relu_grad %x, %dy {negative_slope = 0.1 : f64} : tensor<16x6x6xf16>
  // CHECK: pulptrain.sigmoid
  %5 = pulptrain.sigmoid %x : tensor<16x6x6xf16>
  // CHECK: pulptrain.sigmoid_grad
  %6 = pulptrain.sigmoid_grad %5, %dy : tensor<16x6x6xf16>
  // CHECK: pulptrain.tanh
  %7 = pulptrain.tanh %x : tensor<16x6x6xf16>
  // CHECK: pulptrain.tanh_grad
  %8 = pulptrain.tanh_grad %7, %dy : tensor<16x6x6xf16>
  // CHECK: pulptrain.softmax %{{.*}} : tensor<10xf16>
  %9 = pulptrain.softmax %v : tensor<10xf16>
  // CHECK: pulptrain.softmax_grad %{{.*}}, %{{.*}} : tensor<10xf16>
  %10 = pulptrain.softmax_grad %9, %v : tensor<10xf16>
  // CHECK: pulptrain.softmax %{{.*}} {axis = 0 : i64} : tensor<16x6x6xf16>
  %11 = pulptrain.softmax %x {axis = 0} : tensor<16x6x6xf16>
  // CHECK: pulptrain.softmax_grad %{{.*}}, %{{.*}} {axis = 0 : i64} : tensor<16x6x6xf16>
  %12 = pulptrain.softmax_grad %11, %dy {axis = 0} : tensor<16x6x6xf16>
  // CHECK: pulptrain.add
  %13 = pulptrain.add %x, %dy : tensor<16x6x6xf16>
  return
}

// CHECK-LABEL: func.func @pool_norm_f16
func.func @pool_norm_f16(%x: tensor<16x6x6xf16>, %dy: tensor<16x3x3xf16>,
                       %xh: tensor<7x5x3xf16>, %g: tensor<16xf16>, %b: tensor<16xf16>) {
  // CHECK: pulptrain.maxpool2d %{{.*}} kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] :
  %0 = pulptrain.maxpool2d %x kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0]
      : (tensor<16x6x6xf16>) -> tensor<16x3x3xf16>
  // CHECK: pulptrain.maxpool2d_grad
  %1 = pulptrain.maxpool2d_grad %x, %dy kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0]
      : (tensor<16x6x6xf16>, tensor<16x3x3xf16>) -> tensor<16x6x6xf16>
  // CHECK: pulptrain.avgpool2d %{{.*}} kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1] :
  %2 = pulptrain.avgpool2d %x kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1]
      : (tensor<16x6x6xf16>) -> tensor<16x3x3xf16>
  // CHECK: pulptrain.avgpool2d_grad
  %3 = pulptrain.avgpool2d_grad %2 kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1]
      : (tensor<16x3x3xf16>) -> tensor<16x6x6xf16>
  // CHECK: pulptrain.maxpool2d %{{.*}} layout <hwc>
  %4 = pulptrain.maxpool2d %xh kernel [2, 2] stride [1, 1] padding [0, 0, 0, 0] layout <hwc>
      : (tensor<7x5x3xf16>) -> tensor<6x4x3xf16>
  // CHECK: pulptrain.instance_norm %{{.*}}, %{{.*}}, %{{.*}} :
  %5 = pulptrain.instance_norm %x, %g, %b
      : (tensor<16x6x6xf16>, tensor<16xf16>, tensor<16xf16>) -> tensor<16x6x6xf16>
  // CHECK: pulptrain.instance_norm_in_grad %{{.*}}, %{{.*}}, %{{.*}} {eps = 1.000000e-03 : f64} :
  %6 = pulptrain.instance_norm_in_grad %x, %g, %5 {eps = 1.0e-3 : f64}
      : (tensor<16x6x6xf16>, tensor<16xf16>, tensor<16x6x6xf16>) -> tensor<16x6x6xf16>
  // CHECK: pulptrain.instance_norm_wgt_grad
  %7:2 = pulptrain.instance_norm_wgt_grad %x, %5
      : (tensor<16x6x6xf16>, tensor<16x6x6xf16>) -> (tensor<16xf16>, tensor<16xf16>)
  return
}

// CHECK-LABEL: func.func @loss_sgd_f16
func.func @loss_sgd_f16(%y: tensor<32xf16>, %t: tensor<32xf16>, %w: tensor<32x576xf16>,
                      %dw: tensor<32x576xf16>, %m: tensor<32x576xf16>) {
  // CHECK: pulptrain.mse_loss %{{.*}}, %{{.*}} : (tensor<32xf16>, tensor<32xf16>) -> tensor<f16>
  %0 = pulptrain.mse_loss %y, %t : (tensor<32xf16>, tensor<32xf16>) -> tensor<f16>
  // CHECK: pulptrain.mse_loss_grad
  %1 = pulptrain.mse_loss_grad %y, %t : tensor<32xf16>
  // CHECK: pulptrain.cross_entropy_loss
  %2 = pulptrain.cross_entropy_loss %y, %t : (tensor<32xf16>, tensor<32xf16>) -> tensor<f16>
  // CHECK: pulptrain.cross_entropy_loss_grad
  %3 = pulptrain.cross_entropy_loss_grad %y, %t : tensor<32xf16>
  // CHECK: pulptrain.sgd_update %{{.*}}, %{{.*}} {lr = 1.000000e-02 : f64} :
  %4 = pulptrain.sgd_update %w, %dw {lr = 0.01 : f64}
      : (tensor<32x576xf16>, tensor<32x576xf16>) -> tensor<32x576xf16>
  // CHECK: pulptrain.sgd_update %{{.*}}, %{{.*}}, %{{.*}} {lr = {{.*}}, momentum = 9.000000e-01 : f64, weight_decay = {{.*}}} :
  %5:2 = pulptrain.sgd_update %w, %dw, %m {lr = 0.01 : f64, momentum = 0.9 : f64, weight_decay = 1.0e-4 : f64}
      : (tensor<32x576xf16>, tensor<32x576xf16>, tensor<32x576xf16>) -> (tensor<32x576xf16>, tensor<32x576xf16>)
  return
}

// CHECK-LABEL: func.func @layers_bf16
func.func @layers_bf16(%x: tensor<576xbf16>, %w: tensor<32x576xbf16>, %b: tensor<32xbf16>,
                    %dy: tensor<32xbf16>, %fm: tensor<8x8x8xbf16>,
                    %k: tensor<16x8x3x3xbf16>, %kb: tensor<16xbf16>,
                    %dfm: tensor<16x6x6xbf16>, %dwk: tensor<8x1x3x3xbf16>,
                    %xh: tensor<7x5x3xbf16>, %kh: tensor<4x2x2x3xbf16>,
                    %dyh: tensor<3x2x4xbf16>) {
  // CHECK: pulptrain.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<576xbf16>, tensor<32x576xbf16>, tensor<32xbf16>) -> tensor<32xbf16>
  %0 = pulptrain.linear %x, %w, %b : (tensor<576xbf16>, tensor<32x576xbf16>, tensor<32xbf16>) -> tensor<32xbf16>
  // CHECK: pulptrain.linear %{{.*}}, %{{.*}} : (tensor<576xbf16>, tensor<32x576xbf16>) -> tensor<32xbf16>
  %1 = pulptrain.linear %x, %w : (tensor<576xbf16>, tensor<32x576xbf16>) -> tensor<32xbf16>
  // CHECK: pulptrain.linear_wgt_grad
  %2 = pulptrain.linear_wgt_grad %x, %dy : (tensor<576xbf16>, tensor<32xbf16>) -> tensor<32x576xbf16>
  // CHECK: pulptrain.linear_in_grad
  %3 = pulptrain.linear_in_grad %dy, %w : (tensor<32xbf16>, tensor<32x576xbf16>) -> tensor<576xbf16>
  // CHECK: pulptrain.bias_grad %{{.*}} : (tensor<32xbf16>) -> tensor<32xbf16>
  %4 = pulptrain.bias_grad %dy : (tensor<32xbf16>) -> tensor<32xbf16>
  // CHECK: pulptrain.conv2d %{{.*}}, %{{.*}}, %{{.*}} stride [1, 1] padding [0, 0, 0, 0] :
  %5 = pulptrain.conv2d %fm, %k, %kb stride [1, 1] padding [0, 0, 0, 0]
      : (tensor<8x8x8xbf16>, tensor<16x8x3x3xbf16>, tensor<16xbf16>) -> tensor<16x6x6xbf16>
  // CHECK: pulptrain.conv2d_wgt_grad %{{.*}}, %{{.*}} stride [1, 1] padding [0, 0, 0, 0] :
  %6 = pulptrain.conv2d_wgt_grad %fm, %dfm stride [1, 1] padding [0, 0, 0, 0]
      : (tensor<8x8x8xbf16>, tensor<16x6x6xbf16>) -> tensor<16x8x3x3xbf16>
  // CHECK: pulptrain.conv2d_in_grad
  %7 = pulptrain.conv2d_in_grad %dfm, %k stride [1, 1] padding [0, 0, 0, 0]
      : (tensor<16x6x6xbf16>, tensor<16x8x3x3xbf16>) -> tensor<8x8x8xbf16>
  // CHECK: pulptrain.bias_grad %{{.*}} : (tensor<16x6x6xbf16>) -> tensor<16xbf16>
  %8 = pulptrain.bias_grad %dfm : (tensor<16x6x6xbf16>) -> tensor<16xbf16>
  // Depthwise, stride 2, asymmetric padding.
  // CHECK: pulptrain.conv2d %{{.*}}, %{{.*}} stride [2, 2] padding [1, 0, 1, 0] groups 8 :
  %9 = pulptrain.conv2d %fm, %dwk stride [2, 2] padding [1, 0, 1, 0] groups 8
      : (tensor<8x8x8xbf16>, tensor<8x1x3x3xbf16>) -> tensor<8x4x4xbf16>
  // CHECK: pulptrain.conv2d_in_grad %{{.*}}, %{{.*}} stride [2, 2] padding [1, 0, 1, 0] groups 8 :
  %10 = pulptrain.conv2d_in_grad %9, %dwk stride [2, 2] padding [1, 0, 1, 0] groups 8
      : (tensor<8x4x4xbf16>, tensor<8x1x3x3xbf16>) -> tensor<8x8x8xbf16>
  // HWC layout: input [H, W, C], weight [Cout, Kh, Kw, Cin].
  // CHECK: pulptrain.conv2d %{{.*}}, %{{.*}} stride [2, 2] padding [0, 0, 0, 0] layout <hwc> :
  %11 = pulptrain.conv2d %xh, %kh stride [2, 2] padding [0, 0, 0, 0] layout <hwc>
      : (tensor<7x5x3xbf16>, tensor<4x2x2x3xbf16>) -> tensor<3x2x4xbf16>
  // CHECK: pulptrain.conv2d_wgt_grad {{.*}} layout <hwc>
  %12 = pulptrain.conv2d_wgt_grad %xh, %dyh stride [2, 2] padding [0, 0, 0, 0] layout <hwc>
      : (tensor<7x5x3xbf16>, tensor<3x2x4xbf16>) -> tensor<4x2x2x3xbf16>
  // CHECK: pulptrain.bias_grad %{{.*}} layout <hwc> : (tensor<3x2x4xbf16>) -> tensor<4xbf16>
  %13 = pulptrain.bias_grad %11 layout <hwc> : (tensor<3x2x4xbf16>) -> tensor<4xbf16>
  return
}

// CHECK-LABEL: func.func @activations_bf16
func.func @activations_bf16(%x: tensor<16x6x6xbf16>, %dy: tensor<16x6x6xbf16>,
                         %v: tensor<10xbf16>) {
  // CHECK: pulptrain.relu %{{.*}} : tensor<16x6x6xbf16>
  %0 = pulptrain.relu %x : tensor<16x6x6xbf16>
  // CHECK: pulptrain.relu_grad %{{.*}}, %{{.*}} : tensor<16x6x6xbf16>
  %1 = pulptrain.relu_grad %x, %dy : tensor<16x6x6xbf16>
  // CHECK: pulptrain.leaky_relu %{{.*}} {negative_slope = 1.000000e-01 : f64} : tensor<16x6x6xbf16>
  %2 = pulptrain.leaky_relu %x {negative_slope = 0.1 : f64} : tensor<16x6x6xbf16>
  // CHECK: pulptrain.leaky_relu %{{.*}} : tensor<16x6x6xbf16>
  %3 = pulptrain.leaky_relu %x : tensor<16x6x6xbf16>
  // CHECK: pulptrain.leaky_relu_grad %{{.*}}, %{{.*}} {negative_slope = 1.000000e-01 : f64} : tensor<16x6x6xbf16>
  %4 = pulptrain.leaky_relu_grad %x, %dy {negative_slope = 0.1 : f64} : tensor<16x6x6xbf16>
  // CHECK: pulptrain.sigmoid
  %5 = pulptrain.sigmoid %x : tensor<16x6x6xbf16>
  // CHECK: pulptrain.sigmoid_grad
  %6 = pulptrain.sigmoid_grad %5, %dy : tensor<16x6x6xbf16>
  // CHECK: pulptrain.tanh
  %7 = pulptrain.tanh %x : tensor<16x6x6xbf16>
  // CHECK: pulptrain.tanh_grad
  %8 = pulptrain.tanh_grad %7, %dy : tensor<16x6x6xbf16>
  // CHECK: pulptrain.softmax %{{.*}} : tensor<10xbf16>
  %9 = pulptrain.softmax %v : tensor<10xbf16>
  // CHECK: pulptrain.softmax_grad %{{.*}}, %{{.*}} : tensor<10xbf16>
  %10 = pulptrain.softmax_grad %9, %v : tensor<10xbf16>
  // CHECK: pulptrain.softmax %{{.*}} {axis = 0 : i64} : tensor<16x6x6xbf16>
  %11 = pulptrain.softmax %x {axis = 0} : tensor<16x6x6xbf16>
  // CHECK: pulptrain.softmax_grad %{{.*}}, %{{.*}} {axis = 0 : i64} : tensor<16x6x6xbf16>
  %12 = pulptrain.softmax_grad %11, %dy {axis = 0} : tensor<16x6x6xbf16>
  // CHECK: pulptrain.add
  %13 = pulptrain.add %x, %dy : tensor<16x6x6xbf16>
  return
}

// CHECK-LABEL: func.func @pool_norm_bf16
func.func @pool_norm_bf16(%x: tensor<16x6x6xbf16>, %dy: tensor<16x3x3xbf16>,
                       %xh: tensor<7x5x3xbf16>, %g: tensor<16xbf16>, %b: tensor<16xbf16>) {
  // CHECK: pulptrain.maxpool2d %{{.*}} kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] :
  %0 = pulptrain.maxpool2d %x kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0]
      : (tensor<16x6x6xbf16>) -> tensor<16x3x3xbf16>
  // CHECK: pulptrain.maxpool2d_grad
  %1 = pulptrain.maxpool2d_grad %x, %dy kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0]
      : (tensor<16x6x6xbf16>, tensor<16x3x3xbf16>) -> tensor<16x6x6xbf16>
  // CHECK: pulptrain.avgpool2d %{{.*}} kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1] :
  %2 = pulptrain.avgpool2d %x kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1]
      : (tensor<16x6x6xbf16>) -> tensor<16x3x3xbf16>
  // CHECK: pulptrain.avgpool2d_grad
  %3 = pulptrain.avgpool2d_grad %2 kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1]
      : (tensor<16x3x3xbf16>) -> tensor<16x6x6xbf16>
  // CHECK: pulptrain.maxpool2d %{{.*}} layout <hwc>
  %4 = pulptrain.maxpool2d %xh kernel [2, 2] stride [1, 1] padding [0, 0, 0, 0] layout <hwc>
      : (tensor<7x5x3xbf16>) -> tensor<6x4x3xbf16>
  // CHECK: pulptrain.instance_norm %{{.*}}, %{{.*}}, %{{.*}} :
  %5 = pulptrain.instance_norm %x, %g, %b
      : (tensor<16x6x6xbf16>, tensor<16xbf16>, tensor<16xbf16>) -> tensor<16x6x6xbf16>
  // CHECK: pulptrain.instance_norm_in_grad %{{.*}}, %{{.*}}, %{{.*}} {eps = 1.000000e-03 : f64} :
  %6 = pulptrain.instance_norm_in_grad %x, %g, %5 {eps = 1.0e-3 : f64}
      : (tensor<16x6x6xbf16>, tensor<16xbf16>, tensor<16x6x6xbf16>) -> tensor<16x6x6xbf16>
  // CHECK: pulptrain.instance_norm_wgt_grad
  %7:2 = pulptrain.instance_norm_wgt_grad %x, %5
      : (tensor<16x6x6xbf16>, tensor<16x6x6xbf16>) -> (tensor<16xbf16>, tensor<16xbf16>)
  return
}

// CHECK-LABEL: func.func @loss_sgd_bf16
func.func @loss_sgd_bf16(%y: tensor<32xbf16>, %t: tensor<32xbf16>, %w: tensor<32x576xbf16>,
                      %dw: tensor<32x576xbf16>, %m: tensor<32x576xbf16>) {
  // CHECK: pulptrain.mse_loss %{{.*}}, %{{.*}} : (tensor<32xbf16>, tensor<32xbf16>) -> tensor<bf16>
  %0 = pulptrain.mse_loss %y, %t : (tensor<32xbf16>, tensor<32xbf16>) -> tensor<bf16>
  // CHECK: pulptrain.mse_loss_grad
  %1 = pulptrain.mse_loss_grad %y, %t : tensor<32xbf16>
  // CHECK: pulptrain.cross_entropy_loss
  %2 = pulptrain.cross_entropy_loss %y, %t : (tensor<32xbf16>, tensor<32xbf16>) -> tensor<bf16>
  // CHECK: pulptrain.cross_entropy_loss_grad
  %3 = pulptrain.cross_entropy_loss_grad %y, %t : tensor<32xbf16>
  // CHECK: pulptrain.sgd_update %{{.*}}, %{{.*}} {lr = 1.000000e-02 : f64} :
  %4 = pulptrain.sgd_update %w, %dw {lr = 0.01 : f64}
      : (tensor<32x576xbf16>, tensor<32x576xbf16>) -> tensor<32x576xbf16>
  // CHECK: pulptrain.sgd_update %{{.*}}, %{{.*}}, %{{.*}} {lr = {{.*}}, momentum = 9.000000e-01 : f64, weight_decay = {{.*}}} :
  %5:2 = pulptrain.sgd_update %w, %dw, %m {lr = 0.01 : f64, momentum = 0.9 : f64, weight_decay = 1.0e-4 : f64}
      : (tensor<32x576xbf16>, tensor<32x576xbf16>, tensor<32x576xbf16>) -> (tensor<32x576xbf16>, tensor<32x576xbf16>)
  return
}

// CHECK-LABEL: func.func @casts
func.func @casts(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  // CHECK: pulptrain.cast %{{.*}} : tensor<4x2xf32> to tensor<4x2xf16>
  %0 = pulptrain.cast %x : tensor<4x2xf32> to tensor<4x2xf16>
  // CHECK: pulptrain.cast %{{.*}} : tensor<4x2xf16> to tensor<4x2xbf16>
  %1 = pulptrain.cast %0 : tensor<4x2xf16> to tensor<4x2xbf16>
  // CHECK: pulptrain.cast %{{.*}} : tensor<4x2xbf16> to tensor<4x2xf32>
  %2 = pulptrain.cast %1 : tensor<4x2xbf16> to tensor<4x2xf32>
  return %2 : tensor<4x2xf32>
}

// Byte masks of the backward pass (pulptrain-compact-masks).
// CHECK-LABEL: func.func @masks
func.func @masks(%y: tensor<2x4x4xf16>, %dy: tensor<2x4x4xf16>,
                 %dp: tensor<2x2x2xf16>) {
  // CHECK: pulptrain.relu_mask %{{.*}} : tensor<2x4x4xf16> -> tensor<2x4x4xi8>
  %m = pulptrain.relu_mask %y : tensor<2x4x4xf16> -> tensor<2x4x4xi8>
  // CHECK: pulptrain.relu_mask_grad %{{.*}}, %{{.*}} : tensor<2x4x4xi8>, tensor<2x4x4xf16>
  %dx = pulptrain.relu_mask_grad %m, %dy : tensor<2x4x4xi8>, tensor<2x4x4xf16>
  // CHECK: %{{.*}}, %[[P:.*]] = pulptrain.maxpool2d_argmax %{{.*}} kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<2x4x4xf16>) -> (tensor<2x2x2xf16>, tensor<2x2x2xi8>)
  %o, %p = pulptrain.maxpool2d_argmax %y kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<2x4x4xf16>) -> (tensor<2x2x2xf16>, tensor<2x2x2xi8>)
  // CHECK: pulptrain.maxpool2d_scatter %[[P]], %{{.*}} kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<2x2x2xi8>, tensor<2x2x2xf16>) -> tensor<2x4x4xf16>
  %dz = pulptrain.maxpool2d_scatter %p, %dp kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : (tensor<2x2x2xi8>, tensor<2x2x2xf16>) -> tensor<2x4x4xf16>
  return
}
