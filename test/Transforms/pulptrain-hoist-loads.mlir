// RUN: pulptrain-opt %s --split-input-file --pulptrain-hoist-loads | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file --pulptrain-hoist-loads --cse | FileCheck %s --check-prefix=CSE

// Two distinct arguments: the second copy's load goes above the first
// copy's store, right after the index it needs.
// CHECK-LABEL: func.func @square
// CHECK: scf.parallel (%[[I:.*]]) =
// CHECK-NEXT: %[[I1:.*]] = arith.addi %[[I]], %c1
// CHECK-NEXT: %[[A:.*]] = memref.load %arg0[%[[I]]]
// CHECK-NEXT: %[[C:.*]] = memref.load %arg0[%[[I1]]]
// CHECK-NEXT: arith.mulf %[[A]], %[[A]]
// CHECK-NEXT: memref.store
// CHECK-NEXT: arith.mulf %[[C]], %[[C]]
// CHECK-NEXT: memref.store
func.func @square(%x: memref<64xf32>, %y: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%i) = (%c0) to (%c64) step (%c2) {
    %i1 = arith.addi %i, %c1 : index
    %a = memref.load %x[%i] : memref<64xf32>
    %b = arith.mulf %a, %a : f32
    memref.store %b, %y[%i] : memref<64xf32>
    %c = memref.load %x[%i1] : memref<64xf32>
    %d = arith.mulf %c, %c : f32
    memref.store %d, %y[%i1] : memref<64xf32>
    scf.reduce
  }
  return
}

// -----

// In place (one memref): a store to element %i misses the load of element
// %i + 1, so the load moves; a store to an element the pass cannot tell
// apart (%j) stops it.
// CHECK-LABEL: func.func @in_place
// CHECK: scf.parallel (%[[I:.*]]) =
// CHECK-NEXT: %[[I1:.*]] = arith.addi %[[I]], %c1
// CHECK-NEXT: memref.load %arg0[%[[I]]]
// CHECK-NEXT: memref.load %arg0[%[[I1]]]
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: memref.store %{{.*}}, %arg0[%[[I]]]
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: memref.store %{{.*}}, %arg0[%[[I1]]]
// CHECK-NEXT: memref.store %{{.*}}, %arg0[%arg1]
// CHECK-NEXT: memref.load %arg0[%[[I]]]
func.func @in_place(%x: memref<64xf32>, %j: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c64) step (%c2) {
    %i1 = arith.addi %i, %c1 : index
    %a = memref.load %x[%i] : memref<64xf32>
    %b = arith.mulf %a, %a : f32
    memref.store %b, %x[%i] : memref<64xf32>
    %c = memref.load %x[%i1] : memref<64xf32>
    %d = arith.mulf %c, %c : f32
    memref.store %d, %x[%i1] : memref<64xf32>
    memref.store %zero, %x[%j] : memref<64xf32>
    %e = memref.load %x[%i] : memref<64xf32>
    memref.store %e, %x[%i1] : memref<64xf32>
    scf.reduce
  }
  return
}

// -----

// Slots of tiles in one global, as pulptrain-tile-l1 makes them (a
// subview at the slot's dynamic offset of a constant-offset view):
// disjoint byte ranges do not alias, so the loads of the input tile move
// above the store to the output tile and the two equal ones meet (CSE
// merges them); a tile that overlaps the output keeps its load below the
// store.
// CHECK-LABEL: func.func @tiles
// CHECK: scf.parallel
// CHECK-NEXT: memref.load %[[IN:subview[_0-9]*]][
// CHECK-NEXT: memref.load %[[IN]][
// CHECK-NEXT: memref.store
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: memref.store
// CHECK-NEXT: memref.load %[[OVER:subview[_0-9]*]][
// CSE-LABEL: func.func @tiles
// CSE: scf.parallel
// CSE-NEXT: %[[L:.*]] = memref.load
// CSE-NEXT: memref.store
// CSE-NEXT: arith.mulf %[[L]], %[[L]]
memref.global "private" @tile_space : memref<2048xi8> = uninitialized
func.func @tiles(%n: index, %slot: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c512 = arith.constant 512 : index
  %c768 = arith.constant 768 : index
  %zero = arith.constant 0.0 : f32
  %g = memref.get_global @tile_space : memref<2048xi8>
  %in2 = memref.view %g[%c0][] : memref<2048xi8> to memref<2x64xf32>
  %out2 = memref.view %g[%c512][] : memref<2048xi8> to memref<2x64xf32>
  %over2 = memref.view %g[%c768][] : memref<2048xi8> to memref<2x64xf32>
  %in = memref.subview %in2[%slot, 0] [1, 64] [1, 1] : memref<2x64xf32> to memref<64xf32, strided<[1], offset: ?>>
  %out = memref.subview %out2[%slot, 0] [1, 64] [1, 1] : memref<2x64xf32> to memref<64xf32, strided<[1], offset: ?>>
  %over = memref.subview %over2[%slot, 0] [1, 64] [1, 1] : memref<2x64xf32> to memref<64xf32, strided<[1], offset: ?>>
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    memref.store %zero, %out[%i] : memref<64xf32, strided<[1], offset: ?>>
    %a0 = memref.load %in[%i] : memref<64xf32, strided<[1], offset: ?>>
    %a1 = memref.load %in[%i] : memref<64xf32, strided<[1], offset: ?>>
    %a = arith.mulf %a0, %a1 : f32
    memref.store %a, %out[%n] : memref<64xf32, strided<[1], offset: ?>>
    %o = memref.load %over[%i] : memref<64xf32, strided<[1], offset: ?>>
    memref.store %o, %over[%n] : memref<64xf32, strided<[1], offset: ?>>
    scf.reduce
  }
  return
}

// -----

// Static views of one global: LLVM sees the addresses as the global plus
// constants and tells the accesses apart itself, so the load stays.
// CHECK-LABEL: func.func @static_views
// CHECK: scf.parallel
// CHECK-NEXT: memref.store
// CHECK-NEXT: memref.load
memref.global "private" @space : memref<1024xi8> = uninitialized
func.func @static_views() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c256 = arith.constant 256 : index
  %zero = arith.constant 0.0 : f32
  %g = memref.get_global @space : memref<1024xi8>
  %in = memref.view %g[%c0][] : memref<1024xi8> to memref<64xf32>
  %out = memref.view %g[%c256][] : memref<1024xi8> to memref<64xf32>
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    memref.store %zero, %out[%i] : memref<64xf32>
    %a = memref.load %in[%i] : memref<64xf32>
    memref.store %a, %out[%i] : memref<64xf32>
    scf.reduce
  }
  return
}

// -----

// A dimension of stride 0 maps every index to one element: the store to
// element %i aliases the load of element %i + 1, which stays below it.
// CHECK-LABEL: func.func @zero_stride
// CHECK: scf.parallel
// CHECK: memref.store
// CHECK-NEXT: memref.load
func.func @zero_stride(%x: memref<64xf32, strided<[0]>>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c64) step (%c2) {
    %i1 = arith.addi %i, %c1 : index
    memref.store %zero, %x[%i] : memref<64xf32, strided<[0]>>
    %a = memref.load %x[%i1] : memref<64xf32, strided<[0]>>
    memref.store %a, %x[%i] : memref<64xf32, strided<[0]>>
    scf.reduce
  }
  return
}
