// The forward model of the PULP-TrainLib tutorial CNN as the importer writes
// it (without @init_params): the parameters start from seeded random values.
func.func @forward(%x: tensor<8x8x8xf32> {pulptrain.input = "x"},
                   %cw: tensor<16x8x3x3xf32> {pulptrain.param = "conv1.weight"},
                   %fw: tensor<32x576xf32> {pulptrain.param = "fc.weight"}) -> tensor<32xf32> {
  %c = pulptrain.conv2d %x, %cw stride [1, 1] padding [0, 0, 0, 0] {pulptrain.layer = "conv1"}
      : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x6x6xf32>
  %r = pulptrain.relu %c {pulptrain.layer = "relu"} : tensor<16x6x6xf32>
  %f = tensor.collapse_shape %r [[0, 1, 2]] {pulptrain.layer = "flatten"}
      : tensor<16x6x6xf32> into tensor<576xf32>
  %o = pulptrain.linear %f, %fw {pulptrain.layer = "fc"} : (tensor<576xf32>, tensor<32x576xf32>) -> tensor<32xf32>
  return %o : tensor<32xf32>
}
