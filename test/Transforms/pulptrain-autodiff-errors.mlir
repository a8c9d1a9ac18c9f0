// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --pulptrain-autodiff

// An op without a gradient rule on the path from a parameter to the loss.
func.func @forward(%x: tensor<4xf32> {pulptrain.input = "x"},
                   %w: tensor<4x4xf32> {pulptrain.param = "fc.weight"}) -> tensor<4xf32> {
  %h = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<4x4xf32>) -> tensor<4xf32>
  // expected-error @below {{'arith.negf' op has no gradient rule, but it lies on the path from a trainable parameter to the loss}}
  %n = arith.negf %h : tensor<4xf32>
  return %n : tensor<4xf32>
}

// -----

// A gradient op in a forward model has no gradient rule either.
func.func @forward(%x: tensor<4xf32> {pulptrain.input = "x"},
                   %w: tensor<4x4xf32> {pulptrain.param = "fc.weight"}) -> tensor<4xf32> {
  %h = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<4x4xf32>) -> tensor<4xf32>
  // expected-error @below {{'pulptrain.relu_grad' op has no gradient rule}}
  %g = pulptrain.relu_grad %x, %h : tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// Ops off the differentiated path need no rule.
func.func @forward(%x: tensor<4xf32> {pulptrain.input = "x"},
                   %w: tensor<4x4xf32> {pulptrain.param = "fc.weight"}) -> tensor<4xf32> {
  %n = arith.negf %x : tensor<4xf32>
  %h = pulptrain.linear %n, %w : (tensor<4xf32>, tensor<4x4xf32>) -> tensor<4xf32>
  return %h : tensor<4xf32>
}

// -----

// A label of the wrong shape: the loss would compare non-matching shapes.
// expected-error @below {{'func.func' op label argument #1 has type 'tensor<5xf32>', which does not match the output type 'tensor<4xf32>' of the mse loss}}
func.func @forward(%x: tensor<4xf32> {pulptrain.input = "x"},
                   %y: tensor<5xf32> {pulptrain.label},
                   %w: tensor<4x4xf32> {pulptrain.param = "fc.weight"}) -> tensor<4xf32> {
  %h = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<4x4xf32>) -> tensor<4xf32>
  return %h : tensor<4xf32>
}

// -----

// expected-error @below {{'func.func' op has two 'pulptrain.label' arguments: #1 and #2}}
func.func @forward(%x: tensor<4xf32>, %y: tensor<4xf32> {pulptrain.label},
                   %z: tensor<4xf32> {pulptrain.label},
                   %w: tensor<4x4xf32> {pulptrain.param = "fc.weight"}) -> tensor<4xf32> {
  %h = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<4x4xf32>) -> tensor<4xf32>
  return %h : tensor<4xf32>
}

// -----

func.func @forward(%x: tensor<4xf32>,
                   %w: tensor<4x4xf32> {pulptrain.param = "fc.weight"}) -> (tensor<4xf32>, tensor<4xf32>) {
  %h = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<4x4xf32>) -> tensor<4xf32>
  // expected-error @below {{'func.return' op of a forward model must return exactly one tensor (the model output), got 2}}
  return %h, %h : tensor<4xf32>, tensor<4xf32>
}

// -----

// expected-error @below {{'func.func' op argument #0 must be a statically shaped tensor, got 'tensor<?xf32>'}}
func.func @forward(%x: tensor<?xf32>,
                   %w: tensor<4x4xf32> {pulptrain.param = "fc.weight"}) -> tensor<4xf32> {
  %c = arith.constant dense<0.0> : tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// expected-error @below {{'func.func' op has no trainable parameter: nothing to train}}
func.func @forward(%x: tensor<4xf32>,
                   %w: tensor<4x4xf32> {pulptrain.param = "fc.weight", pulptrain.trainable = false}) -> tensor<4xf32> {
  %h = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<4x4xf32>) -> tensor<4xf32>
  return %h : tensor<4xf32>
}

// -----

// expected-error @below {{'func.func' op output does not depend on any trainable parameter}}
func.func @forward(%x: tensor<4xf32>,
                   %w: tensor<4x4xf32> {pulptrain.param = "fc.weight", pulptrain.trainable = false},
                   %b: tensor<4xf32> {pulptrain.param = "other.bias"}) -> tensor<4xf32> {
  %h = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<4x4xf32>) -> tensor<4xf32>
  return %h : tensor<4xf32>
}

// -----

// A trainable parameter that does not reach the loss is returned unchanged,
// as torch.optim.SGD skips a parameter without a gradient.
// expected-warning @below {{trainable parameter 'unused.weight' does not affect the loss; the step returns it unchanged}}
func.func @forward(%x: tensor<4xf32>,
                   %w: tensor<4x4xf32> {pulptrain.param = "fc.weight"},
                   %u: tensor<4x4xf32> {pulptrain.param = "unused.weight"}) -> tensor<4xf32> {
  %h = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<4x4xf32>) -> tensor<4xf32>
  return %h : tensor<4xf32>
}

// -----

// expected-error @below {{no forward function @forward with a body to differentiate}}
module {
  func.func private @forward(tensor<4xf32>) -> tensor<4xf32>
}

// -----

// expected-error @below {{cannot create the training step @train_step: the symbol exists already}}
module {
  func.func @forward(%x: tensor<4xf32>,
                     %w: tensor<4x4xf32> {pulptrain.param = "fc.weight"}) -> tensor<4xf32> {
    %h = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<4x4xf32>) -> tensor<4xf32>
    return %h : tensor<4xf32>
  }
  func.func @train_step() {
    return
  }
}

// -----

// expected-error @below {{'func.func' op must have a body of one block to be differentiated}}
func.func @forward(%x: tensor<4xf32>,
                   %w: tensor<4x4xf32> {pulptrain.param = "fc.weight"}) -> tensor<4xf32> {
  %h = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<4x4xf32>) -> tensor<4xf32>
  cf.br ^bb1
^bb1:
  return %h : tensor<4xf32>
}

// -----

func.func @forward(%x: tensor<4xf32>,
                   %w: tensor<4x4xf32> {pulptrain.param = "fc.weight"}) -> tensor<?xf32> {
  %h = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<4x4xf32>) -> tensor<4xf32>
  %d = tensor.cast %h : tensor<4xf32> to tensor<?xf32>
  // expected-error @below {{'func.return' op must return a statically shaped float tensor, got 'tensor<?xf32>'}}
  return %d : tensor<?xf32>
}

// -----

// A buffer (BatchNorm running statistic) must be updated by the forward
// pass: the new value is a result of the step.
// expected-error @below {{'func.func' op buffer 'bn.running_mean' is not updated by the forward pass}}
func.func @forward(%x: tensor<2x3x3xf32> {pulptrain.input = "x"},
                   %g: tensor<2xf32> {pulptrain.param = "bn.weight"},
                   %rm: tensor<2xf32> {pulptrain.buffer = "bn.running_mean"}) -> tensor<2x3x3xf32> {
  %y = pulptrain.batch_norm %x, %g, %g : (tensor<2x3x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x3x3xf32>
  return %y : tensor<2x3x3xf32>
}

// -----

// ... and used only as the running statistics of one update.
// expected-error @below {{'func.func' op buffer 'bn.running_var' must be used once, as the running statistics of a pulptrain.batch_norm_running_stats, which updates it}}
func.func @forward(%x: tensor<2x3x3xf32> {pulptrain.input = "x"},
                   %g: tensor<2xf32> {pulptrain.param = "bn.weight"},
                   %rm: tensor<2xf32> {pulptrain.buffer = "bn.running_mean"},
                   %rv: tensor<2xf32> {pulptrain.buffer = "bn.running_var"}) -> tensor<2x3x3xf32> {
  %s:2 = pulptrain.batch_norm_running_stats %x, %rm, %rv : (tensor<2x3x3xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  %y = pulptrain.batch_norm %x, %g, %rv : (tensor<2x3x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x3x3xf32>
  return %y : tensor<2x3x3xf32>
}

// -----

// A mini-batch step accumulates gradients sample by sample: BatchNorm in
// training mode, whose statistics need the whole batch, is rejected.
func.func @forward(%x: tensor<2x3x3xf32> {pulptrain.input = "x"},
                   %g: tensor<2xf32> {pulptrain.param = "bn.weight"}) -> tensor<2x3x3xf32>
    attributes {pulptrain.batch = 4 : i64} {
  // expected-error @below {{'pulptrain.batch_norm' op in training mode cannot take a mini-batch of 4 samples: the step accumulates the gradients sample by sample, and the batch statistics need the whole batch}}
  %y = pulptrain.batch_norm %x, %g, %g : (tensor<2x3x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x3x3xf32>
  return %y : tensor<2x3x3xf32>
}

// -----

// expected-error @below {{'func.func' op 'pulptrain.batch' must be a positive integer, got 0 : i64}}
func.func @forward(%x: tensor<4xf32> {pulptrain.input = "x"},
                   %w: tensor<4x4xf32> {pulptrain.param = "fc.weight"}) -> tensor<4xf32>
    attributes {pulptrain.batch = 0 : i64} {
  %h = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<4x4xf32>) -> tensor<4xf32>
  return %h : tensor<4xf32>
}

// -----

// expected-error @below {{'func.func' op 'pulptrain.batch' is 4294967296, above the largest mini-batch of 256 samples (the step repeats the forward and backward pass for each)}}
func.func @forward(%x: tensor<4xf32> {pulptrain.input = "x"},
                   %w: tensor<4x4xf32> {pulptrain.param = "fc.weight"}) -> tensor<4xf32>
    attributes {pulptrain.batch = 4294967296 : i64} {
  %h = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<4x4xf32>) -> tensor<4xf32>
  return %h : tensor<4xf32>
}
