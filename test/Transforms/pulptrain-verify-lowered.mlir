// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --pulptrain-verify-lowered | FileCheck %s

// CHECK-LABEL: llvm.func @lowered
llvm.func @lowered(%arg0: !llvm.ptr) {
  llvm.return
}

// -----

// What convert-func-to-llvm leaves of a function with a zero-sized memref
// argument (found by bench/fuzz: the pipeline exited 0 and
// pulptrain-translate rejected its output).

// expected-error @below {{'func.func' op was not lowered to the LLVM dialect}}
// expected-note @below {{argument #1 of type 'memref<0x0xf32>' has no LLVM form}}
func.func @zero(%arg0: !llvm.ptr, %arg1: memref<0x0xf32>) {
  llvm.return
}
