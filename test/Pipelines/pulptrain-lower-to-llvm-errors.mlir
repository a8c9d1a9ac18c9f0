// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics "--pulptrain-lower-to-llvm=target=riscv32"

// Inputs found by bench/fuzz (docs/Fuzzing.md), minimized.

// A layer on zero-sized tensors (the verifiers reject them on linear and
// convolution layers, not on element-wise ops): its function's
// zero-sized memref arguments have no bare-pointer form, so
// convert-func-to-llvm left the function as it was and the pipeline exited
// 0 with IR that pulptrain-translate rejects.

// expected-error @below {{'func.func' op was not lowered to the LLVM dialect}}
// expected-note @below {{argument #0 of type 'memref<0xf32>' has no LLVM form}}
// expected-note @below {{argument #1 of type 'memref<0x0xf32>' has no LLVM form}}
// expected-note @below {{argument #2 of type 'memref<0xf32>' has no LLVM form}}
// expected-note @below {{argument #3 of type 'memref<0x0xf32>' has no LLVM form}}
func.func @forward(%x: tensor<0xf32>, %y: tensor<0x0xf32>) -> (tensor<0xf32>, tensor<0x0xf32>) {
  %h = pulptrain.relu %x : tensor<0xf32>
  %g = pulptrain.relu %y : tensor<0x0xf32>
  return %h, %g : tensor<0xf32>, tensor<0x0xf32>
}
