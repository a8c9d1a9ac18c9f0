// RUN: pulptrain-opt %s --split-input-file --pulptrain-promote-accumulators | FileCheck %s

// A reduction over two loops: the accumulator leaves both. The output is a
// view of the arena disjoint from the input view, and the weights are an
// argument: none of them aliases the accumulator.

// CHECK-LABEL: func.func @nest
// CHECK: scf.parallel (%[[I:.*]]) =
// CHECK: %[[INIT:.*]] = memref.load %[[OUT:.*]][%[[I]]]
// CHECK: %[[R:.*]] = scf.for %{{.*}} iter_args(%[[ACC0:.*]] = %[[INIT]]) -> (f32)
// CHECK: %[[INNER:.*]] = scf.for %{{.*}} iter_args(%[[ACC:.*]] = %[[ACC0]]) -> (f32)
// CHECK-NOT: memref.store
// CHECK: %[[SUM:.*]] = arith.addf %[[ACC]]
// CHECK: scf.yield %[[SUM]]
// CHECK: scf.yield %[[INNER]]
// CHECK: memref.store %[[R]], %[[OUT]][%[[I]]]
memref.global "private" @arena : memref<1024xi8> = uninitialized
func.func @nest(%w: memref<16x4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c256 = arith.constant 256 : index
  %g = memref.get_global @arena : memref<1024xi8>
  %in = memref.view %g[%c0][] : memref<1024xi8> to memref<4x4xf32>
  %out = memref.view %g[%c256][] : memref<1024xi8> to memref<16xf32>
  scf.parallel (%i) = (%c0) to (%c16) step (%c1) {
    scf.for %k = %c0 to %c4 step %c1 {
      scf.for %l = %c0 to %c4 step %c1 {
        %acc = memref.load %out[%i] : memref<16xf32>
        %a = memref.load %in[%k, %l] : memref<4x4xf32>
        %b = memref.load %w[%i, %k, %l] : memref<16x4x4xf32>
        %p = arith.mulf %a, %b : f32
        %s = arith.addf %acc, %p : f32
        memref.store %s, %out[%i] : memref<16xf32>
      }
    }
    scf.reduce
  }
  return
}

// -----

// Overlapping views of the arena may alias: nothing moves. A loop with a
// call is left alone too.

// CHECK-LABEL: func.func @overlap
// CHECK: scf.for
// CHECK-NEXT: memref.load
// CHECK-NOT: iter_args
// CHECK-LABEL: func.func @call
// CHECK-NOT: iter_args
memref.global "private" @arena : memref<1024xi8> = uninitialized
func.func private @g()
func.func @overlap() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %g = memref.get_global @arena : memref<1024xi8>
  %in = memref.view %g[%c0][] : memref<1024xi8> to memref<16xf32>
  %out = memref.view %g[%c8][] : memref<1024xi8> to memref<4xf32>
  scf.for %k = %c0 to %c4 step %c1 {
    %acc = memref.load %out[%c0] : memref<4xf32>
    %a = memref.load %in[%k] : memref<16xf32>
    %s = arith.addf %acc, %a : f32
    memref.store %s, %out[%c0] : memref<4xf32>
  }
  return
}
func.func @call(%out: memref<4xf32>, %in: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %k = %c0 to %c4 step %c1 {
    %acc = memref.load %out[%c0] : memref<4xf32>
    %a = memref.load %in[%k] : memref<16xf32>
    %s = arith.addf %acc, %a : f32
    func.call @g() : () -> ()
    memref.store %s, %out[%c0] : memref<4xf32>
  }
  return
}

// -----

// Aliases through region results: a store into a buffer that a loop carried
// (%b's loop result) cannot touch %a, so %a's accumulator is promoted; a
// store into an scf.if result that may be %a keeps it in memory.

// CHECK-LABEL: func.func @carried
// CHECK: %[[INIT:.*]] = memref.load %[[A:.*]][%{{.*}}]
// CHECK: %[[R:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[INIT]]) -> (f32)
// CHECK: memref.store %[[R]], %[[A]]
// CHECK-LABEL: func.func @selected
// CHECK: scf.for
// CHECK-NOT: iter_args
// CHECK: memref.load
func.func @carried(%x: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %a = memref.alloc() : memref<1xf32>
  %b = memref.alloc() : memref<4xf32>
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%buf = %b) -> (memref<4xf32>) {
    scf.yield %buf : memref<4xf32>
  }
  scf.for %k = %c0 to %c4 step %c1 {
    %acc = memref.load %a[%c0] : memref<1xf32>
    %v = memref.load %x[%k] : memref<4xf32>
    %s = arith.addf %acc, %v : f32
    memref.store %s, %a[%c0] : memref<1xf32>
    memref.store %v, %r[%k] : memref<4xf32>
  }
  return
}
func.func @selected(%x: memref<4xf32>, %cond: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %a = memref.alloc() : memref<4xf32>
  %b = memref.alloc() : memref<4xf32>
  %r = scf.if %cond -> (memref<4xf32>) {
    scf.yield %a : memref<4xf32>
  } else {
    scf.yield %b : memref<4xf32>
  }
  scf.for %k = %c0 to %c4 step %c1 {
    %acc = memref.load %a[%c0] : memref<4xf32>
    %v = memref.load %x[%k] : memref<4xf32>
    %s = arith.addf %acc, %v : f32
    memref.store %s, %a[%c0] : memref<4xf32>
    memref.store %v, %r[%k] : memref<4xf32>
  }
  return
}

// -----

// A loop that writes memory other than by stores (a DMA, a wait, a barrier)
// is left alone.

// CHECK-LABEL: func.func @dma
// CHECK: scf.for
// CHECK-NOT: iter_args
// CHECK: memref.load
func.func @dma(%x: memref<4xf32>, %y: memref<4xf32, #pulptrain.memory<l1>>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %a = memref.alloc() : memref<1xf32>
  scf.for %k = %c0 to %c4 step %c1 {
    %acc = memref.load %a[%c0] : memref<1xf32>
    %v = memref.load %x[%k] : memref<4xf32>
    %s = arith.addf %acc, %v : f32
    memref.store %s, %a[%c0] : memref<1xf32>
    %t = cluster.dma_start %x, %y : memref<4xf32> to memref<4xf32, #pulptrain.memory<l1>>
    cluster.dma_wait on %t
  }
  return
}

// -----

// An f16 reduction rounded in its epilogue (pulptrain-fuse-rounding): the
// load's extension and the store's rounding are marked
// pulptrain.f32_accumulator, so the loops carry the f32 value, extended
// once before the outer loop and rounded once after it; the inner loop's
// body is the one of an f32 accumulator.

// CHECK-LABEL: func.func @f32_carry
// CHECK: scf.parallel (%[[I:.*]]) =
// CHECK: %[[INIT:.*]] = memref.load %[[OUT:.*]][%[[I]]] : memref<16xf16>
// CHECK: %[[EXT:.*]] = arith.extf %[[INIT]] {pulptrain.f32_accumulator} : f16 to f32
// CHECK: %[[R:.*]] = scf.for %{{.*}} iter_args(%[[ACC0:.*]] = %[[EXT]]) -> (f32)
// CHECK: %[[INNER:.*]] = scf.for %{{.*}} iter_args(%[[ACC:.*]] = %[[ACC0]]) -> (f32)
// CHECK-NOT: arith.truncf
// CHECK-NOT: memref.store
// CHECK: %[[SUM:.*]] = arith.addf %[[ACC]]
// CHECK-NEXT: scf.yield %[[SUM]] : f32
// CHECK: scf.yield %[[INNER]] : f32
// CHECK: %[[T:.*]] = arith.truncf %[[R]] {pulptrain.f32_accumulator} : f32 to f16
// CHECK-NEXT: memref.store %[[T]], %[[OUT]][%[[I]]] : memref<16xf16>
// CHECK-NOT: arith.truncf
memref.global "private" @arena : memref<1024xi8> = uninitialized
func.func @f32_carry(%w: memref<16x4x4xf16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c256 = arith.constant 256 : index
  %g = memref.get_global @arena : memref<1024xi8>
  %in = memref.view %g[%c0][] : memref<1024xi8> to memref<4x4xf16>
  %out = memref.view %g[%c256][] : memref<1024xi8> to memref<16xf16>
  scf.parallel (%i) = (%c0) to (%c16) step (%c1) {
    scf.for %k = %c0 to %c4 step %c1 {
      scf.for %l = %c0 to %c4 step %c1 {
        %a = memref.load %in[%k, %l] : memref<4x4xf16>
        %b = memref.load %w[%i, %k, %l] : memref<16x4x4xf16>
        %o = memref.load %out[%i] : memref<16xf16>
        %acc = arith.extf %o {pulptrain.f32_accumulator} : f16 to f32
        %ea = arith.extf %a : f16 to f32
        %eb = arith.extf %b : f16 to f32
        %p = arith.mulf %ea, %eb : f32
        %s = arith.addf %acc, %p : f32
        %t = arith.truncf %s {pulptrain.f32_accumulator} : f32 to f16
        memref.store %t, %out[%i] : memref<16xf16>
      }
    }
    scf.reduce
  }
  return
}
