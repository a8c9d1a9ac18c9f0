// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --pulptrain-place-globals | FileCheck %s

// The sections recorded by pulptrain-erase-memory-spaces go to the LLVM
// globals, and the record goes away.

// CHECK-NOT: pulptrain.sections
// CHECK: llvm.mlir.global private @__pulptrain_arena() {addr_space = 0 : i32, alignment = 16 : i64, section = ".l1_bss"} : !llvm.array<64 x i8>
// CHECK: llvm.mlir.global private @other() {addr_space = 0 : i32} : i32
module attributes {pulptrain.sections = {__pulptrain_arena = ".l1_bss"}} {
  llvm.mlir.global private @__pulptrain_arena() {alignment = 16 : i64} : !llvm.array<64 x i8>
  llvm.mlir.global private @other() : i32
}

// -----

// expected-error @below {{pulptrain.sections names 'missing', which is no LLVM global with a string section}}
module attributes {pulptrain.sections = {missing = ".l1_bss"}} {
}
