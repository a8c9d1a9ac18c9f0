// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --pulptrain-check-buffer-sizes

// A buffer beyond the signed 32-bit range cannot exist on riscv32.

// expected-error @below {{argument #0 of 'func.func' has the type 'tensor<2147483647xf32>', which needs 8589934588 bytes, more than the target's 2147483647}}
func.func @huge(%x: tensor<2147483647xf32>) -> tensor<4xf32> {
  %c = arith.constant dense<0.0> : tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

func.func @huge_result() {
  // expected-error @below {{result #0 of 'memref.alloc' has the type 'memref<65536x65536xi8>', which needs 4294967296 bytes}}
  %a = memref.alloc() : memref<65536x65536xi8>
  return
}

// -----

// Sizes that overflow 64 bits are too large as well.
// expected-error @below {{argument #0 of 'func.func' has the type 'memref<4294967296x4294967296xf32>', which needs more than 2^63 bytes}}
func.func @overflow(%x: memref<4294967296x4294967296xf32>) {
  return
}

// -----

// What fits is left alone.
func.func @fits(%x: tensor<536870911xf32>) -> tensor<536870911xf32> {
  return %x : tensor<536870911xf32>
}

// -----

// A vector too: its code generation would not end (a fuzzing mutant that
// hung pulptrain-translate, docs/Fuzzing.md).
// expected-error @below {{argument #0 of 'func.func' has the type 'vector<2147483647xf32>', which needs 8589934588 bytes, more than the target's 2147483647}}
func.func @vector(%x: vector<2147483647xf32>) {
  return
}
