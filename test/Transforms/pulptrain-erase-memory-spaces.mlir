// RUN: pulptrain-opt %s --pulptrain-erase-memory-spaces | FileCheck %s
// RUN: pulptrain-opt %s --pulptrain-erase-memory-spaces --convert-scf-to-cf --finalize-memref-to-llvm --pulptrain-place-globals --convert-func-to-llvm=use-bare-ptr-memref-call-conv=1 --convert-cf-to-llvm --convert-arith-to-llvm --reconcile-unrealized-casts | FileCheck %s --check-prefix=LLVM

// The globals in L1 get the L1 section of the link script; those in L2,
// with or without the memory space, the default ones. Every type of the
// module loses #pulptrain.memory: globals, function types (also inside
// func.constant), block arguments, loop-carried values; other memory spaces
// stay. The conversion to LLVM then takes the module, and the sections go
// to the LLVM globals.

// CHECK: module attributes {pulptrain.sections = {__pulptrain_l1_tiles = ".l1_bss"}}
// CHECK: memref.global "private" @__pulptrain_l1_tiles : memref<256xi8> = uninitialized
// CHECK: memref.global "private" @__pulptrain_arena : memref<64xi8> = uninitialized
// CHECK: memref.global "private" @other : memref<16xi8, 3> = uninitialized
// CHECK-LABEL: func.func private @kernel(memref<4xf32>)
// CHECK-LABEL: func.func @step(
// CHECK-SAME: %{{.*}}: memref<4xf32>, %{{.*}}: memref<4xf32>, %{{.*}}: index)
// CHECK: memref.get_global @__pulptrain_l1_tiles : memref<256xi8>
// CHECK: memref.view %{{.*}} : memref<256xi8> to memref<4xf32>
// CHECK: scf.for {{.*}} -> (memref<4xf32>)
// CHECK: constant @kernel : (memref<4xf32>) -> ()
// CHECK-NOT: #pulptrain.memory

// LLVM: module {
// LLVM: llvm.mlir.global private @__pulptrain_l1_tiles() {addr_space = 0 : i32, section = ".l1_bss"} : !llvm.array<256 x i8>
// LLVM: llvm.mlir.global private @__pulptrain_arena() {addr_space = 0 : i32} : !llvm.array<64 x i8>
// LLVM-LABEL: llvm.func @step(
// LLVM-SAME: %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64)
memref.global "private" @__pulptrain_l1_tiles : memref<256xi8, #pulptrain.memory<l1>> = uninitialized
memref.global "private" @__pulptrain_arena : memref<64xi8, #pulptrain.memory<l2>> = uninitialized
memref.global "private" @other : memref<16xi8, 3> = uninitialized
func.func private @kernel(memref<4xf32, #pulptrain.memory<l1>>)
func.func @step(%a: memref<4xf32, #pulptrain.memory<l2>>, %b: memref<4xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %g = memref.get_global @__pulptrain_l1_tiles : memref<256xi8, #pulptrain.memory<l1>>
  %v = memref.view %g[%c0][] : memref<256xi8, #pulptrain.memory<l1>> to memref<4xf32, #pulptrain.memory<l1>>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %v) -> (memref<4xf32, #pulptrain.memory<l1>>) {
    %x = memref.load %a[%i] : memref<4xf32, #pulptrain.memory<l2>>
    memref.store %x, %acc[%i] : memref<4xf32, #pulptrain.memory<l1>>
    scf.yield %acc : memref<4xf32, #pulptrain.memory<l1>>
  }
  %y = memref.load %r[%c0] : memref<4xf32, #pulptrain.memory<l1>>
  memref.store %y, %b[%c0] : memref<4xf32>
  %f = func.constant @kernel : (memref<4xf32, #pulptrain.memory<l1>>) -> ()
  return
}
