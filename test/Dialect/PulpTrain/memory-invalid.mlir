// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics

// The memories of #pulptrain.memory are l1 and l2.

// expected-error @+2 {{expected ::mlir::pulptrain::Memory to be one of: l1, l2}}
// expected-error @+1 {{failed to parse PulpTrain_MemoryAttr parameter 'value'}}
func.func @l3(%a: memref<4xf32, #pulptrain.memory<l3>>) {
  return
}

// -----

// expected-error @below {{expected '<'}}
func.func @no_memory(%a: memref<4xf32, #pulptrain.memory>) {
  return
}
