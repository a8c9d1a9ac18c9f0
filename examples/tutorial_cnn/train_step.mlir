// The PULP-TrainLib tutorial CNN, one training step written in the pulptrain
// dialect: Conv2d 8->16 3x3 on an 8x8 input (no padding), ReLU, Linear
// 576->32, MSE loss, SGD (lr 0.01). Batch 1, CHW, FP32.
//
// The first layer needs no input gradient (nothing before it trains), as in
// PULP-TrainLib. The autodiff pass derives this function from the forward
// model (model.py, `tools/pulptrain-import model.py --train-step --loss mse
// --lr 0.01`); it is written out here as the reference of what it produces,
// with the attributes of docs/TrainStep.md, so that `pulptrain-run` can run
// it too.

func.func @train_step(
    %input: tensor<8x8x8xf32> {pulptrain.input = "x"},
    %label: tensor<32xf32> {pulptrain.label},
    %conv_w: tensor<16x8x3x3xf32> {pulptrain.param = "conv1.weight",
                                   pulptrain.trainable = true},
    %fc_w: tensor<32x576xf32> {pulptrain.param = "fc.weight",
                               pulptrain.trainable = true})
    -> (tensor<f32> {pulptrain.loss},
        tensor<16x8x3x3xf32> {pulptrain.param = "conv1.weight"},
        tensor<32x576xf32> {pulptrain.param = "fc.weight"}) {
  // Forward.
  %conv = pulptrain.conv2d %input, %conv_w stride [1, 1] padding [0, 0, 0, 0]
      {pulptrain.layer = "conv1", pulptrain.phase = "fwd"}
      : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x6x6xf32>
  %act = pulptrain.relu %conv
      {pulptrain.layer = "relu", pulptrain.phase = "fwd"} : tensor<16x6x6xf32>
  %flat = tensor.collapse_shape %act [[0, 1, 2]]
      {pulptrain.layer = "flatten", pulptrain.phase = "fwd"}
      : tensor<16x6x6xf32> into tensor<576xf32>
  %out = pulptrain.linear %flat, %fc_w
      {pulptrain.layer = "fc", pulptrain.phase = "fwd"}
      : (tensor<576xf32>, tensor<32x576xf32>) -> tensor<32xf32>
  %loss = pulptrain.mse_loss %out, %label
      {pulptrain.layer = "loss", pulptrain.phase = "loss"}
      : (tensor<32xf32>, tensor<32xf32>) -> tensor<f32>

  // Backward.
  %d_out = pulptrain.mse_loss_grad %out, %label
      {pulptrain.layer = "loss", pulptrain.phase = "loss"} : tensor<32xf32>
  %d_fc_w = pulptrain.linear_wgt_grad %flat, %d_out
      {pulptrain.layer = "fc", pulptrain.phase = "wgt_grad"}
      : (tensor<576xf32>, tensor<32xf32>) -> tensor<32x576xf32>
  %d_flat = pulptrain.linear_in_grad %d_out, %fc_w
      {pulptrain.layer = "fc", pulptrain.phase = "in_grad"}
      : (tensor<32xf32>, tensor<32x576xf32>) -> tensor<576xf32>
  %d_act = tensor.expand_shape %d_flat [[0, 1, 2]] output_shape [16, 6, 6]
      {pulptrain.layer = "flatten", pulptrain.phase = "in_grad"}
      : tensor<576xf32> into tensor<16x6x6xf32>
  %d_conv = pulptrain.relu_grad %conv, %d_act
      {pulptrain.layer = "relu", pulptrain.phase = "in_grad"} : tensor<16x6x6xf32>
  %d_conv_w = pulptrain.conv2d_wgt_grad %input, %d_conv stride [1, 1]
      padding [0, 0, 0, 0]
      {pulptrain.layer = "conv1", pulptrain.phase = "wgt_grad"}
      : (tensor<8x8x8xf32>, tensor<16x6x6xf32>) -> tensor<16x8x3x3xf32>

  // Update.
  %new_conv_w = pulptrain.sgd_update %conv_w, %d_conv_w
      {lr = 0.01 : f64, pulptrain.layer = "conv1", pulptrain.phase = "update"}
      : (tensor<16x8x3x3xf32>, tensor<16x8x3x3xf32>) -> tensor<16x8x3x3xf32>
  %new_fc_w = pulptrain.sgd_update %fc_w, %d_fc_w
      {lr = 0.01 : f64, pulptrain.layer = "fc", pulptrain.phase = "update"}
      : (tensor<32x576xf32>, tensor<32x576xf32>) -> tensor<32x576xf32>
  return %loss, %new_conv_w, %new_fc_w
      : tensor<f32>, tensor<16x8x3x3xf32>, tensor<32x576xf32>
}
