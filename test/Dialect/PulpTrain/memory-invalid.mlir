// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics

// The memories of #pulptrain.memory are l1, l2 and l3.

// expected-error @+2 {{expected ::mlir::pulptrain::Memory to be one of: l1, l2, l3}}
// expected-error @+1 {{failed to parse PulpTrain_MemoryAttr parameter 'value'}}
func.func @l4(%a: memref<4xf32, #pulptrain.memory<l4>>) {
  return
}

// -----

// expected-error @below {{expected '<'}}
func.func @no_memory(%a: memref<4xf32, #pulptrain.memory>) {
  return
}
