// RUN: pulptrain-translate --mlir-to-manifest %s --split-input-file --verify-diagnostics
// The manifest describes what the C header declares: functions without a C
// interface are rejected with the header's located diagnostics (the first
// one), exit status 1 and no JSON.
// RUN: not pulptrain-translate --mlir-to-manifest %s -o %t.json 2>&1 | FileCheck %s --check-prefix=LOCATED
// LOCATED: mlir-to-manifest-errors.mlir:15:1: error: argument #0 of @g has the dynamic shape 'tensor<?xf32>'; the C interface needs static shapes
// LOCATED-NOT: error:
// RUN: not test -s %t.json

// The first function is fine; the second has no C interface.
func.func @f(%x: tensor<4xf32> {pulptrain.input = "x"}) {
  return
}
// expected-error @below {{argument #0 of @g has the dynamic shape 'tensor<?xf32>'; the C interface needs static shapes}}
func.func @g(%x: tensor<?xf32>) {
  return
}

// -----

// expected-error @below {{result #0 of @h is the scalar 'f32'; the C interface returns buffers only}}
func.func @h(%x: f32) -> f32 {
  return %x : f32
}
