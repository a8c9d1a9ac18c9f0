// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --pulptrain-instrument-layers

// expected-error @below {{no function @train_step with a body to instrument}}
module {
  func.func private @train_step(tensor<8xf32>) -> tensor<8xf32>
}

// -----

func.func @train_step(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @below {{needs both 'pulptrain.layer' and 'pulptrain.phase' as strings to be profiled}}
  %r = pulptrain.relu %x {pulptrain.layer = "relu"} : tensor<8xf32>
  return %r : tensor<8xf32>
}

// -----

func.func @train_step(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @below {{needs both 'pulptrain.layer' and 'pulptrain.phase' as strings to be profiled}}
  %r = pulptrain.relu %x {pulptrain.layer = 3 : i32, pulptrain.phase = "fwd"} : tensor<8xf32>
  return %r : tensor<8xf32>
}

// -----

// expected-error @below {{the module is already instrumented ('pulptrain.profile_regions' is set)}}
module attributes {pulptrain.profile_regions = []} {
  func.func @train_step(%x: tensor<8xf32>) -> tensor<8xf32> {
    return %x : tensor<8xf32>
  }
}

