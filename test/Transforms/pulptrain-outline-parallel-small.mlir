// RUN: pulptrain-opt %s --split-input-file --pulptrain-outline-parallel | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file --pulptrain-outline-parallel="fork-cycles=0" | FileCheck %s --check-prefix=ALWAYS

// The cost model of forks: a loop is forked only when the fork and join
// (fork-cycles, 115 by default: bench/fork on 8 cores) plus the busiest
// core's share cost less than the whole loop on the calling core.

// 4 elements in L1 (a load, an add and a store per element, 6 cycles with
// the loop): 24 cycles on one core against 115 + 6 forked. Stays.
// CHECK-LABEL: func.func @add_4_l1
// CHECK-NOT: cluster.fork
// CHECK: scf.parallel
// CHECK-NOT: func.func private
// ALWAYS-LABEL: func.func @add_4_l1
// ALWAYS: cluster.fork @add_4_l1_kernel0
func.func @add_4_l1(%a: memref<4xf32, #pulptrain.memory<l1>>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %v = memref.load %a[%i] : memref<4xf32, #pulptrain.memory<l1>>
    %w = arith.addf %v, %v : f32
    memref.store %w, %a[%i] : memref<4xf32, #pulptrain.memory<l1>>
    scf.reduce
  }
  return
}

// -----

// Where it must not apply: 64 elements (384 cycles on one core, 115 + 48
// forked) are forked.
// CHECK-LABEL: func.func @add_64_l1
// CHECK: cluster.fork @add_64_l1_kernel0
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @add_64_l1(%a: memref<64xf32, #pulptrain.memory<l1>>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    %v = memref.load %a[%i] : memref<64xf32, #pulptrain.memory<l1>>
    %w = arith.addf %v, %v : f32
    memref.store %w, %a[%i] : memref<64xf32, #pulptrain.memory<l1>>
    scf.reduce
  }
  return
}

// -----

// Few iterations with costly bodies are forked: 10 divisions of L2 values
// (no memory space: L2) into L2, 44 cycles each, 440 on one core against
// 115 + 2 x 44 forked (the cross-entropy gradient's shape).
// CHECK-LABEL: func.func @div_10_l2
// CHECK: cluster.fork @div_10_l2_kernel0
func.func @div_10_l2(%a: memref<10xf32>, %b: memref<10xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  scf.parallel (%i) = (%c0) to (%c10) step (%c1) {
    %v = memref.load %a[%i] : memref<10xf32>
    %w = memref.load %b[%i] : memref<10xf32>
    %q = arith.divf %v, %w : f32
    memref.store %q, %b[%i] : memref<10xf32>
    scf.reduce
  }
  return
}
