// RUN: pulptrain-opt %s --split-input-file --pulptrain-round-saved-activations --verify-diagnostics

// The pass rounds the saved activations of a training step: a module
// without it (here only the forward model) is an error.

// expected-error @below {{no training step @train_step with a body whose saved activations to round}}
module {
  func.func @forward(%x: tensor<4xf32> {pulptrain.input = "x"}) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

// A declaration has no body to rewrite.

// expected-error @below {{no training step @train_step with a body whose saved activations to round}}
module {
  func.func private @train_step(tensor<4xf32>) -> tensor<4xf32>
}
