// RUN: pulptrain-opt %s --split-input-file --pulptrain-fold-zero-fills | FileCheck %s

memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}
memref.global "private" @tiles : memref<4096xi8, #pulptrain.memory<l1>> {alignment = 16 : i64}

// A Linear layer's forward step from zero: the fill loop is gone, the
// reduction starts from the constant zero, its store stays. A DMA into
// another global and its wait come between the two loops.
// CHECK-LABEL: func.func @linear
// CHECK: scf.parallel
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: scf.for %{{.*}} iter_args(%{{.*}} = %[[Z]]) -> (f32)
// CHECK: memref.store %{{.*}}, %{{.*}}[%{{.*}}] : memref<64xf32>
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @linear(%x: memref<32xf32>, %w: memref<64x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.000000e+00 : f32
  %arena = memref.get_global @arena : memref<4096xi8>
  %y = memref.view %arena[%c0][] : memref<4096xi8> to memref<64xf32>
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    memref.store %zero, %y[%i] : memref<64xf32>
    scf.reduce
  }
  %tiles = memref.get_global @tiles : memref<4096xi8, #pulptrain.memory<l1>>
  %xl = memref.view %tiles[%c0][] : memref<4096xi8, #pulptrain.memory<l1>> to memref<32xf32, #pulptrain.memory<l1>>
  %t = cluster.dma_start %x, %xl : memref<32xf32> to memref<32xf32, #pulptrain.memory<l1>>
  cluster.dma_wait
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    %init = memref.load %y[%i] : memref<64xf32>
    %sum = scf.for %k = %c0 to %c32 step %c1 iter_args(%acc = %init) -> (f32) {
      %a = memref.load %xl[%k] : memref<32xf32, #pulptrain.memory<l1>>
      %b = memref.load %w[%i, %k] : memref<64x32xf32>
      %p = arith.mulf %a, %b : f32
      %s = arith.addf %acc, %p : f32
      scf.yield %s : f32
    }
    memref.store %sum, %y[%i] : memref<64xf32>
    scf.reduce
  }
  return
}

// -----

memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// An f16 reduction with an f32 accumulator: the f16 zero it loaded becomes
// a constant, extended as before.
// CHECK-LABEL: func.func @half
// CHECK-NOT: memref.store %{{.*}} : memref<2x8xf16>
// CHECK: scf.parallel
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0.000000e+00 : f16
// CHECK: arith.extf %[[Z]] {pulptrain.f32_accumulator} : f16 to f32
// CHECK: memref.store %{{.*}} : memref<2x8xf16>
// CHECK-NOT: scf.parallel
func.func @half(%x: memref<2x8x4xf16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.000000e+00 : f16
  %arena = memref.get_global @arena : memref<4096xi8>
  %y = memref.view %arena[%c0][] : memref<4096xi8> to memref<2x8xf16>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c2, %c8) step (%c1, %c1) {
    memref.store %zero, %y[%i, %j] : memref<2x8xf16>
    scf.reduce
  }
  scf.parallel (%i, %j) = (%c0, %c0) to (%c2, %c8) step (%c1, %c1) {
    %init = memref.load %y[%i, %j] : memref<2x8xf16>
    %e = arith.extf %init {pulptrain.f32_accumulator} : f16 to f32
    %sum = scf.for %k = %c0 to %c4 step %c1 iter_args(%acc = %e) -> (f32) {
      %a = memref.load %x[%i, %j, %k] : memref<2x8x4xf16>
      %ae = arith.extf %a : f16 to f32
      %s = arith.addf %acc, %ae : f32
      scf.yield %s : f32
    }
    %r = arith.truncf %sum {pulptrain.f32_accumulator} : f32 to f16
    memref.store %r, %y[%i, %j] : memref<2x8xf16>
    scf.reduce
  }
  return
}

// -----

memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// Kept, each fill and each load: a read of the filled buffer between the
// loops (through an alias), a reduction over another iteration space, one
// that reads the buffer at another element, a fill of -0.0 (not +0.0),
// and a fill of 1.0.
// CHECK-LABEL: func.func @kept
// CHECK-COUNT-10: scf.parallel
// CHECK: return
func.func @kept(%out: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.000000e+00 : f32
  %nzero = arith.constant -0.000000e+00 : f32
  %one = arith.constant 1.000000e+00 : f32
  %arena = memref.get_global @arena : memref<4096xi8>
  %y = memref.view %arena[%c0][] : memref<4096xi8> to memref<8xf32>
  %alias = memref.view %arena[%c0][] : memref<4096xi8> to memref<8xf32>
  // A read between.
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %zero, %y[%i] : memref<8xf32>
    scf.reduce
  }
  memref.copy %alias, %out : memref<8xf32> to memref<8xf32>
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %init = memref.load %y[%i] : memref<8xf32>
    %s = arith.addf %init, %one : f32
    memref.store %s, %y[%i] : memref<8xf32>
    scf.reduce
  }
  // Another iteration space.
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %zero, %y[%i] : memref<8xf32>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c7) step (%c1) {
    %init = memref.load %y[%i] : memref<8xf32>
    %s = arith.addf %init, %one : f32
    memref.store %s, %y[%i] : memref<8xf32>
    scf.reduce
  }
  // Another element read.
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %zero, %y[%i] : memref<8xf32>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %init = memref.load %y[%i] : memref<8xf32>
    %other = memref.load %y[%c0] : memref<8xf32>
    %s = arith.addf %init, %other : f32
    memref.store %s, %y[%i] : memref<8xf32>
    scf.reduce
  }
  // -0.0 and 1.0.
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %nzero, %y[%i] : memref<8xf32>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %init = memref.load %y[%i] : memref<8xf32>
    %s = arith.addf %init, %one : f32
    memref.store %s, %y[%i] : memref<8xf32>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %one, %y[%i] : memref<8xf32>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %init = memref.load %y[%i] : memref<8xf32>
    %s = arith.addf %init, %one : f32
    memref.store %s, %y[%i] : memref<8xf32>
    scf.reduce
  }
  return
}

// -----

// A function argument as the buffer (no defining op): folded as well.
// CHECK-LABEL: func.func @argument
// CHECK: scf.parallel
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: arith.addf %[[Z]]
// CHECK-NOT: scf.parallel
func.func @argument(%y: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.000000e+00 : f32
  %one = arith.constant 1.000000e+00 : f32
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %zero, %y[%i] : memref<8xf32>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %init = memref.load %y[%i] : memref<8xf32>
    %s = arith.addf %init, %one : f32
    memref.store %s, %y[%i] : memref<8xf32>
    scf.reduce
  }
  return
}
