// RUN: pulptrain-opt %s --pulptrain-vectorize-pairs --split-input-file | FileCheck %s

// A linear layer's forward reduction: both operands contiguous in %k, the
// buffers views of an aligned global at multiples of 4 bytes.
memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// CHECK-LABEL: func.func @dot
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C64:.*]] = arith.constant 64 : index
// CHECK: %[[R:.*]] = scf.for %[[K:.*]] = %[[C0]] to %[[C64]] step %[[C2]] iter_args(%[[ACC:.*]] = %{{.*}}) -> (f32) {
// CHECK:   %[[A:.*]] = vector.load %{{.*}}[%[[J:.*]], %[[K]]] {alignment = 4 : i64} : memref<8x64xf16>, vector<2xf16>
// CHECK:   %[[B:.*]] = vector.load %{{.*}}[%[[K]]] {alignment = 4 : i64} : memref<64xf16>, vector<2xf16>
// CHECK:   %[[S:.*]] = cluster.dotpex %[[A]], %[[B]], %[[ACC]] : vector<2xf16>
// CHECK:   scf.yield %[[S]] : f32
// CHECK: }
// CHECK-NOT: arith.mulf
// CHECK: memref.store %[[R]]
func.func @dot(%j: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c1024 = arith.constant 1024 : index
  %c2048 = arith.constant 2048 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %w = memref.view %arena[%c0][] : memref<4096xi8> to memref<8x64xf16>
  %x = memref.view %arena[%c1024][] : memref<4096xi8> to memref<64xf16>
  %y = memref.view %arena[%c2048][] : memref<4096xi8> to memref<8xf32>
  %init = memref.load %y[%j] : memref<8xf32>
  %r = scf.for %k = %c0 to %c64 step %c1 iter_args(%acc = %init) -> (f32) {
    %a = memref.load %w[%j, %k] : memref<8x64xf16>
    %b = memref.load %x[%k] : memref<64xf16>
    %ea = arith.extf %a : f16 to f32
    %eb = arith.extf %b : f16 to f32
    %p = arith.mulf %ea, %eb : f32
    %s = arith.addf %acc, %p : f32
    scf.yield %s : f32
  }
  memref.store %r, %y[%j] : memref<8xf32>
  return
}

// -----

// An odd trip count: pairs up to 6, the last element scalar after the
// loop. bf16 pairs, and a window offset (%i + %k, %i even) that keeps the
// pairs aligned.
memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// CHECK-LABEL: func.func @odd_bf16
// CHECK: %[[C6:.*]] = arith.constant 6 : index
// CHECK: %[[R:.*]] = scf.for %[[K:.*]] = %{{.*}} to %[[C6]] step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (f32) {
// CHECK:   %[[I:.*]] = affine.apply #{{.*}}(%{{.*}}, %[[K]])
// CHECK:   %[[A:.*]] = vector.load %{{.*}}[%[[I]]] {alignment = 4 : i64} : memref<64xbf16>, vector<2xbf16>
// CHECK:   %[[B:.*]] = vector.load %{{.*}}[%[[K]]] {alignment = 4 : i64} : memref<8xbf16>, vector<2xbf16>
// CHECK:   cluster.dotpex %[[A]], %[[B]], %[[ACC]] : vector<2xbf16>
// CHECK: }
// CHECK: %[[C6B:.*]] = arith.constant 6 : index
// CHECK: %[[LA:.*]] = memref.load %{{.*}}[%{{.*}}] : memref<64xbf16>
// CHECK: %[[LB:.*]] = memref.load %{{.*}}[%[[C6B]]] : memref<8xbf16>
// CHECK: %[[P:.*]] = arith.mulf
// CHECK: %[[T:.*]] = arith.addf %[[R]], %[[P]] : f32
// CHECK: return %[[T]]
func.func @odd_bf16(%o: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c7 = arith.constant 7 : index
  %c1024 = arith.constant 1024 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %x = memref.view %arena[%c0][] : memref<4096xi8> to memref<64xbf16>
  %w = memref.view %arena[%c1024][] : memref<4096xi8> to memref<8xbf16>
  %i = arith.muli %o, %c2 : index
  %init = arith.constant 0.0 : f32
  %r = scf.for %k = %c0 to %c7 step %c1 iter_args(%acc = %init) -> (f32) {
    %idx = affine.apply affine_map<(d0, d1) -> (d0 + d1)>(%i, %k)
    %a = memref.load %x[%idx] : memref<64xbf16>
    %b = memref.load %w[%k] : memref<8xbf16>
    %ea = arith.extf %a : bf16 to f32
    %eb = arith.extf %b : bf16 to f32
    %p = arith.mulf %ea, %eb : f32
    %s = arith.addf %acc, %p : f32
    scf.yield %s : f32
  }
  return %r : f32
}

// -----

// A sum of squares: one pair load feeds both sides of the dot product.
memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// CHECK-LABEL: func.func @squares
// CHECK: scf.for
// CHECK:   %[[A:.*]] = vector.load
// CHECK-NOT: vector.load
// CHECK:   cluster.dotpex %[[A]], %[[A]], %{{.*}} : vector<2xf16>
func.func @squares() -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %x = memref.view %arena[%c0][] : memref<4096xi8> to memref<32xf16>
  %init = arith.constant 0.0 : f32
  %r = scf.for %k = %c0 to %c32 step %c1 iter_args(%acc = %init) -> (f32) {
    %a = memref.load %x[%k] : memref<32xf16>
    %ea = arith.extf %a : f16 to f32
    %p = arith.mulf %ea, %ea : f32
    %s = arith.addf %acc, %p : f32
    scf.yield %s : f32
  }
  return %r : f32
}

// -----

// Stays scalar: the weights are read by columns (a linear layer's input
// gradient), so the two elements of a pair are not adjacent, and no
// parallel loop over the columns is there to pair two outputs (@columns).
memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// CHECK-LABEL: func.func @strided
// CHECK-NOT: vector.load
// CHECK-NOT: cluster.dotpex
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
func.func @strided(%j: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c1024 = arith.constant 1024 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %w = memref.view %arena[%c0][] : memref<4096xi8> to memref<8x64xf16>
  %g = memref.view %arena[%c1024][] : memref<4096xi8> to memref<8xf16>
  %init = arith.constant 0.0 : f32
  %r = scf.for %o = %c0 to %c8 step %c1 iter_args(%acc = %init) -> (f32) {
    %a = memref.load %w[%o, %j] : memref<8x64xf16>
    %b = memref.load %g[%o] : memref<8xf16>
    %ea = arith.extf %a : f16 to f32
    %eb = arith.extf %b : f16 to f32
    %p = arith.mulf %ea, %eb : f32
    %s = arith.addf %acc, %p : f32
    scf.yield %s : f32
  }
  return %r : f32
}

// -----

// The same reduction inside the parallel loop over the outputs %j (a
// linear layer's input gradient dx[j] = sum_o W[o, j] * g[o]): paired
// across two outputs. The words W[o, j:j+2] and W[o+1, j:j+2] regroup into
// the pair along o of column j (lanes 0) and of column j + 1 (lanes 1),
// each accumulated with g[o:o+2]; the rounding and the store once per
// output.
memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// CHECK-LABEL: func.func @columns
// CHECK: scf.parallel (%[[J:.*]]) = (%{{.*}}) to (%c64) step (%[[C2:.*]]) {
// CHECK:   %[[C1:.*]] = arith.constant 1 : index
// CHECK:   %[[J1:.*]] = arith.addi %[[J]], %[[C1]] : index
// CHECK:   %[[I0:.*]] = memref.load %[[DX:.*]][%[[J]]] : memref<64xf16>
// CHECK:   %[[E0:.*]] = arith.extf %[[I0]] : f16 to f32
// CHECK:   %[[I1:.*]] = memref.load %[[DX]][%[[J1]]] : memref<64xf16>
// CHECK:   %[[E1:.*]] = arith.extf %[[I1]] : f16 to f32
// CHECK:   %[[R:.*]]:2 = scf.for %[[O:.*]] = %c0 to %c8 step %{{.*}} iter_args(%[[A0:.*]] = %[[E0]], %[[A1:.*]] = %[[E1]]) -> (f32, f32) {
// CHECK:     %[[O1:.*]] = arith.addi %[[O]], %[[C1]] : index
// CHECK:     %[[W0:.*]] = vector.load %[[W:.*]][%[[O]], %[[J]]] {alignment = 4 : i64} : memref<8x64xf16>, vector<2xf16>
// CHECK:     %[[W1:.*]] = vector.load %[[W]][%[[O1]], %[[J]]] {alignment = 4 : i64} : memref<8x64xf16>, vector<2xf16>
// CHECK:     %[[G:.*]] = vector.load %{{.*}}[%[[O]]] {alignment = 4 : i64} : memref<8xf16>, vector<2xf16>
// CHECK:     %[[P0:.*]] = vector.shuffle %[[W0]], %[[W1]] [0, 2] : vector<2xf16>, vector<2xf16>
// CHECK:     %[[S0:.*]] = cluster.dotpex %[[P0]], %[[G]], %[[A0]] : vector<2xf16>
// CHECK:     %[[P1:.*]] = vector.shuffle %[[W0]], %[[W1]] [1, 3] : vector<2xf16>, vector<2xf16>
// CHECK:     %[[S1:.*]] = cluster.dotpex %[[P1]], %[[G]], %[[A1]] : vector<2xf16>
// CHECK:     scf.yield %[[S0]], %[[S1]] : f32, f32
// CHECK:   }
// CHECK:   %[[T0:.*]] = arith.truncf %[[R]]#0 : f32 to f16
// CHECK:   memref.store %[[T0]], %[[DX]][%[[J]]] : memref<64xf16>
// CHECK:   %[[T1:.*]] = arith.truncf %[[R]]#1 : f32 to f16
// CHECK:   memref.store %[[T1]], %[[DX]][%[[J1]]] : memref<64xf16>
// CHECK-NOT: arith.mulf
func.func @columns() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %c1024 = arith.constant 1024 : index
  %c2048 = arith.constant 2048 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %w = memref.view %arena[%c0][] : memref<4096xi8> to memref<8x64xf16>
  %g = memref.view %arena[%c1024][] : memref<4096xi8> to memref<8xf16>
  %dx = memref.view %arena[%c2048][] : memref<4096xi8> to memref<64xf16>
  scf.parallel (%j) = (%c0) to (%c64) step (%c1) {
    %i = memref.load %dx[%j] : memref<64xf16>
    %init = arith.extf %i : f16 to f32
    %r = scf.for %o = %c0 to %c8 step %c1 iter_args(%acc = %init) -> (f32) {
      %a = memref.load %w[%o, %j] : memref<8x64xf16>
      %b = memref.load %g[%o] : memref<8xf16>
      %ea = arith.extf %a : f16 to f32
      %eb = arith.extf %b : f16 to f32
      %p = arith.mulf %ea, %eb : f32
      %s = arith.addf %acc, %p : f32
      scf.yield %s : f32
    }
    %t = arith.truncf %r : f32 to f16
    memref.store %t, %dx[%j] : memref<64xf16>
    scf.reduce
  }
  return
}

// -----

// bf16, the vector operand first, and an outer dimension (a batch %n) the
// pairing leaves alone: only the innermost index %j goes by two.
memref.global "private" @arena : memref<8192xi8> {alignment = 16 : i64}

// CHECK-LABEL: func.func @columns_bf16
// CHECK: scf.parallel (%{{.*}}, %[[J:.*]]) = (%c0, %c0) to (%c2, %c16) step (%c1, %{{.*}}) {
// CHECK:   scf.for {{.*}} step %{{.*}} iter_args({{.*}}) -> (f32, f32) {
// CHECK-COUNT-3: vector.load {{.*}} vector<2xbf16>
// CHECK:     vector.shuffle {{.*}} [0, 2] : vector<2xbf16>, vector<2xbf16>
// CHECK:     cluster.dotpex %{{.*}}, %{{.*}}, %{{.*}} : vector<2xbf16>
// CHECK:     vector.shuffle {{.*}} [1, 3] : vector<2xbf16>, vector<2xbf16>
// CHECK:     cluster.dotpex %{{.*}}, %{{.*}}, %{{.*}} : vector<2xbf16>
func.func @columns_bf16() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c1024 = arith.constant 1024 : index
  %c2048 = arith.constant 2048 : index
  %arena = memref.get_global @arena : memref<8192xi8>
  %w = memref.view %arena[%c0][] : memref<8192xi8> to memref<2x4x16xbf16>
  %g = memref.view %arena[%c1024][] : memref<8192xi8> to memref<2x4xbf16>
  %dx = memref.view %arena[%c2048][] : memref<8192xi8> to memref<2x16xf32>
  scf.parallel (%n, %j) = (%c0, %c0) to (%c2, %c16) step (%c1, %c1) {
    %init = memref.load %dx[%n, %j] : memref<2x16xf32>
    %r = scf.for %o = %c0 to %c4 step %c1 iter_args(%acc = %init) -> (f32) {
      %b = memref.load %g[%n, %o] : memref<2x4xbf16>
      %a = memref.load %w[%n, %o, %j] : memref<2x4x16xbf16>
      %eb = arith.extf %b : bf16 to f32
      %ea = arith.extf %a : bf16 to f32
      %p = arith.mulf %eb, %ea : f32
      %s = arith.addf %p, %acc : f32
      scf.yield %s : f32
    }
    memref.store %r, %dx[%n, %j] : memref<2x16xf32>
    scf.reduce
  }
  return
}

// -----

// Stays scalar: the rows have an odd stride (63 elements), so the word of
// row o + 1 starts at an odd element.
memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// CHECK-LABEL: func.func @columns_odd_rows
// CHECK-NOT: vector.load
// CHECK: scf.parallel ({{.*}}) = ({{.*}}) to ({{.*}}) step (%c1)
func.func @columns_odd_rows() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c62 = arith.constant 62 : index
  %c1024 = arith.constant 1024 : index
  %c2048 = arith.constant 2048 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %w = memref.view %arena[%c0][] : memref<4096xi8> to memref<8x63xf16>
  %g = memref.view %arena[%c1024][] : memref<4096xi8> to memref<8xf16>
  %dx = memref.view %arena[%c2048][] : memref<4096xi8> to memref<64xf32>
  scf.parallel (%j) = (%c0) to (%c62) step (%c1) {
    %init = memref.load %dx[%j] : memref<64xf32>
    %r = scf.for %o = %c0 to %c8 step %c1 iter_args(%acc = %init) -> (f32) {
      %a = memref.load %w[%o, %j] : memref<8x63xf16>
      %b = memref.load %g[%o] : memref<8xf16>
      %ea = arith.extf %a : f16 to f32
      %eb = arith.extf %b : f16 to f32
      %p = arith.mulf %ea, %eb : f32
      %s = arith.addf %acc, %p : f32
      scf.yield %s : f32
    }
    memref.store %r, %dx[%j] : memref<64xf32>
    scf.reduce
  }
  return
}

// -----

// Stays scalar: an odd number of rows (7) would leave a scalar step per
// output, and the vector operand moves with the output index too.
memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// CHECK-LABEL: func.func @columns_odd_trip
// CHECK-NOT: vector.load
// CHECK-LABEL: func.func @columns_vector_moves
// CHECK-NOT: vector.load
func.func @columns_odd_trip() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %c64 = arith.constant 64 : index
  %c1024 = arith.constant 1024 : index
  %c2048 = arith.constant 2048 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %w = memref.view %arena[%c0][] : memref<4096xi8> to memref<8x64xf16>
  %g = memref.view %arena[%c1024][] : memref<4096xi8> to memref<8xf16>
  %dx = memref.view %arena[%c2048][] : memref<4096xi8> to memref<64xf32>
  scf.parallel (%j) = (%c0) to (%c64) step (%c1) {
    %init = memref.load %dx[%j] : memref<64xf32>
    %r = scf.for %o = %c0 to %c7 step %c1 iter_args(%acc = %init) -> (f32) {
      %a = memref.load %w[%o, %j] : memref<8x64xf16>
      %b = memref.load %g[%o] : memref<8xf16>
      %ea = arith.extf %a : f16 to f32
      %eb = arith.extf %b : f16 to f32
      %p = arith.mulf %ea, %eb : f32
      %s = arith.addf %acc, %p : f32
      scf.yield %s : f32
    }
    memref.store %r, %dx[%j] : memref<64xf32>
    scf.reduce
  }
  return
}

func.func @columns_vector_moves() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %c1024 = arith.constant 1024 : index
  %c2048 = arith.constant 2048 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %w = memref.view %arena[%c0][] : memref<4096xi8> to memref<8x64xf16>
  %g = memref.view %arena[%c1024][] : memref<4096xi8> to memref<64x8xf16>
  %dx = memref.view %arena[%c2048][] : memref<4096xi8> to memref<64xf32>
  scf.parallel (%j) = (%c0) to (%c64) step (%c1) {
    %init = memref.load %dx[%j] : memref<64xf32>
    %r = scf.for %o = %c0 to %c8 step %c1 iter_args(%acc = %init) -> (f32) {
      %a = memref.load %w[%o, %j] : memref<8x64xf16>
      %b = memref.load %g[%j, %o] : memref<64x8xf16>
      %ea = arith.extf %a : f16 to f32
      %eb = arith.extf %b : f16 to f32
      %p = arith.mulf %ea, %eb : f32
      %s = arith.addf %acc, %p : f32
      scf.yield %s : f32
    }
    memref.store %r, %dx[%j] : memref<64xf32>
    scf.reduce
  }
  return
}

// -----

// Stays scalar: a window at an offset of unknown parity (a direct
// convolution along the kernel width, %w + %kw) may start a pair at an odd
// element, and the cores trap on a misaligned word load.
memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// CHECK-LABEL: func.func @odd_window
// CHECK-NOT: cluster.dotpex
func.func @odd_window(%w: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c1024 = arith.constant 1024 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %x = memref.view %arena[%c0][] : memref<4096xi8> to memref<64xf16>
  %k = memref.view %arena[%c1024][] : memref<4096xi8> to memref<4xf16>
  %init = arith.constant 0.0 : f32
  %r = scf.for %kw = %c0 to %c4 step %c1 iter_args(%acc = %init) -> (f32) {
    %idx = arith.addi %w, %kw : index
    %a = memref.load %x[%idx] : memref<64xf16>
    %b = memref.load %k[%kw] : memref<4xf16>
    %ea = arith.extf %a : f16 to f32
    %eb = arith.extf %b : f16 to f32
    %p = arith.mulf %ea, %eb : f32
    %s = arith.addf %acc, %p : f32
    scf.yield %s : f32
  }
  return %r : f32
}

// -----

// Stays scalar: a function argument (the caller's buffer, whose alignment
// the C interface does not promise), and a view at a byte shift of 2.
memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// CHECK-LABEL: func.func @unaligned
// CHECK-NOT: cluster.dotpex
func.func @unaligned(%arg: memref<64xf16>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c64 = arith.constant 64 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %x = memref.view %arena[%c2][] : memref<4096xi8> to memref<64xf16>
  %init = arith.constant 0.0 : f32
  %r = scf.for %k = %c0 to %c64 step %c1 iter_args(%acc = %init) -> (f32) {
    %a = memref.load %arg[%k] : memref<64xf16>
    %b = memref.load %x[%k] : memref<64xf16>
    %ea = arith.extf %a : f16 to f32
    %eb = arith.extf %b : f16 to f32
    %p = arith.mulf %ea, %eb : f32
    %s = arith.addf %acc, %p : f32
    scf.yield %s : f32
  }
  return %r : f32
}

// -----

// Stays scalar: f32 operands (nothing to pack).
memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// CHECK-LABEL: func.func @f32
// CHECK-NOT: cluster.dotpex
func.func @f32() -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %x = memref.view %arena[%c0][] : memref<4096xi8> to memref<16xf32>
  %init = arith.constant 0.0 : f32
  %r = scf.for %k = %c0 to %c16 step %c1 iter_args(%acc = %init) -> (f32) {
    %a = memref.load %x[%k] : memref<16xf32>
    %p = arith.mulf %a, %a : f32
    %s = arith.addf %acc, %p : f32
    scf.yield %s : f32
  }
  return %r : f32
}

// -----

// Element-wise: f32 values rounded to f16 and stored (an f16 op's final
// cast) take two iterations of the innermost dimension at a time; each pair
// of stores is one word store of the two values packed with one rounding
// each (vfcpka), bit-identical to two scalar roundings.
memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// CHECK-LABEL: func.func @cast
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK: scf.parallel (%[[I:.*]], %[[J:.*]]) = (%{{.*}}, %{{.*}}) to (%{{.*}}, %{{.*}}) step (%{{.*}}, %[[C2]]) {
// CHECK:   %[[J1:.*]] = arith.addi %[[J]], %{{.*}} : index
// CHECK:   %[[X0:.*]] = memref.load %{{.*}}[%[[I]], %[[J]]] : memref<4x8xf32>
// CHECK:   %[[X1:.*]] = memref.load %{{.*}}[%[[I]], %[[J1]]] : memref<4x8xf32>
// CHECK:   %[[Y0:.*]] = arith.addf %[[X0]], %[[X0]] : f32
// CHECK:   %[[Y1:.*]] = arith.addf %[[X1]], %[[X1]] : f32
// CHECK:   %[[P:.*]] = cluster.pack %[[Y0]], %[[Y1]] : vector<2xf16>
// CHECK:   vector.store %[[P]], %{{.*}}[%[[I]], %[[J]]] {alignment = 4 : i64} : memref<4x8xf16>, vector<2xf16>
// CHECK-NOT: memref.store
// CHECK-NOT: arith.truncf %{{.*}} : f32 to f16
func.func @cast() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c1024 = arith.constant 1024 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %x = memref.view %arena[%c0][] : memref<4096xi8> to memref<4x8xf32>
  %y = memref.view %arena[%c1024][] : memref<4096xi8> to memref<4x8xf16>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<4x8xf32>
    %d = arith.addf %v, %v : f32
    %h = arith.truncf %d : f32 to f16
    memref.store %h, %y[%i, %j] : memref<4x8xf16>
    scf.reduce
  }
  return
}

// -----

// Element-wise with 16-bit operands (an f16 SGD update w -= lr * g[i] *
// x[j], in place): each pair of adjacent, aligned 16-bit loads is one word
// load with its two lanes extracted; the load that does not depend on the
// paired index (g[i]) is read once for both lanes; a load at an odd offset
// (x[j + 1]) stays two scalar loads.
memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// CHECK-LABEL: func.func @update
// CHECK: scf.parallel (%[[I:.*]], %[[J:.*]]) = {{.*}} step (%{{.*}}, %{{.*}}) {
// CHECK:   %[[J1:.*]] = arith.addi %[[J]], %{{.*}} : index
// CHECK:   %[[WP:.*]] = vector.load %[[W:.*]][%[[I]], %[[J]]] {alignment = 4 : i64} : memref<4x8xf16>, vector<2xf16>
// CHECK:   %[[W0:.*]] = vector.extract %[[WP]][0] : f16 from vector<2xf16>
// CHECK:   %[[W1:.*]] = vector.extract %[[WP]][1] : f16 from vector<2xf16>
// CHECK:   %[[G:.*]] = memref.load %{{.*}}[%[[I]]] : memref<4xf16>
// CHECK:   %[[XP:.*]] = vector.load %{{.*}}[%[[J]]] {alignment = 4 : i64} : memref<8xf16>, vector<2xf16>
// CHECK:   vector.extract %[[XP]][0]
// CHECK:   vector.extract %[[XP]][1]
// CHECK:   memref.load %[[S:.*]][%{{.*}}] : memref<9xf16>
// CHECK:   memref.load %[[S]][%{{.*}}] : memref<9xf16>
// CHECK-NOT: memref.load
// CHECK:   vector.store %{{.*}}, %[[W]][%[[I]], %[[J]]] {alignment = 4 : i64} : memref<4x8xf16>, vector<2xf16>
func.func @update() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %lr = arith.constant 0.01 : f32
  %arena = memref.get_global @arena : memref<4096xi8>
  %w = memref.view %arena[%c0][] : memref<4096xi8> to memref<4x8xf16>
  %g = memref.view %arena[%c64][] : memref<4096xi8> to memref<4xf16>
  %x = memref.view %arena[%c128][] : memref<4096xi8> to memref<8xf16>
  %s = memref.view %arena[%c128][] : memref<4096xi8> to memref<9xf16>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) {
    %wv = memref.load %w[%i, %j] : memref<4x8xf16>
    %gv = memref.load %g[%i] : memref<4xf16>
    %xv = memref.load %x[%j] : memref<8xf16>
    %j1 = arith.addi %j, %c1 : index
    %sv = memref.load %s[%j1] : memref<9xf16>
    %we = arith.extf %wv : f16 to f32
    %ge = arith.extf %gv : f16 to f32
    %xe = arith.extf %xv : f16 to f32
    %se = arith.extf %sv : f16 to f32
    %p = arith.mulf %ge, %xe : f32
    %q = arith.addf %p, %se : f32
    %d = arith.mulf %q, %lr : f32
    %n = arith.subf %we, %d : f32
    %h = arith.truncf %n : f32 to f16
    memref.store %h, %w[%i, %j] : memref<4x8xf16>
    scf.reduce
  }
  return
}

// -----

// An f16 outer product (a Linear weight gradient, dy[i] * x[j]): the
// product of two f16 values is exact in f32, so its rounding is one
// lane-wise f16 multiply of the pairs, bit-identical: x's word as it was
// loaded, dy[i] splat into both lanes (its 16 bits twice in a word, by
// integer arithmetic that LLVM can hoist). In bf16 the product can
// fall below f32's normal range and round twice: it stays computed in f32
// and packed.
memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// CHECK-LABEL: func.func @outer_f16
// CHECK: scf.parallel
// CHECK-DAG:   %[[XP:.*]] = vector.load %{{.*}} : memref<8xf16>, vector<2xf16>
// CHECK-DAG:   %[[G:.*]] = memref.load %{{.*}}[%{{.*}}] : memref<4xf16>
// CHECK:   %[[GB:.*]] = arith.bitcast %[[G]] : f16 to i16
// CHECK:   %[[GW:.*]] = arith.extui %[[GB]] : i16 to i32
// CHECK:   %[[GH:.*]] = arith.shli %[[GW]], %{{.*}} : i32
// CHECK:   %[[GO:.*]] = arith.ori %[[GW]], %[[GH]] : i32
// CHECK:   %[[GV:.*]] = vector.broadcast %[[GO]] : i32 to vector<1xi32>
// CHECK:   %[[GP:.*]] = vector.bitcast %[[GV]] : vector<1xi32> to vector<2xf16>
// CHECK:   %[[P:.*]] = arith.mulf %[[GP]], %[[XP]] : vector<2xf16>
// CHECK:   vector.store %[[P]]
// CHECK-NOT: vector.extract
// CHECK-NOT: cluster.pack
// CHECK-NOT: arith.mulf %{{.*}} : f32
// CHECK: scf.reduce
func.func @outer_f16() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %w = memref.view %arena[%c0][] : memref<4096xi8> to memref<4x8xf16>
  %g = memref.view %arena[%c64][] : memref<4096xi8> to memref<4xf16>
  %x = memref.view %arena[%c128][] : memref<4096xi8> to memref<8xf16>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) {
    %gv = memref.load %g[%i] : memref<4xf16>
    %xv = memref.load %x[%j] : memref<8xf16>
    %ge = arith.extf %gv : f16 to f32
    %xe = arith.extf %xv : f16 to f32
    %p = arith.mulf %ge, %xe : f32
    %h = arith.truncf %p : f32 to f16
    memref.store %h, %w[%i, %j] : memref<4x8xf16>
    scf.reduce
  }
  return
}

// The weight gradient inside a fused SGD update, w - lr * round(g * x):
// the rounded products are not stored but used, both lanes still one
// lane-wise f16 product (exact), whose lanes feed the update; the update
// itself stays f32 and is packed once. The output gradient, one value for
// both lanes, is splat by integer arithmetic (its 16 bits twice in a word),
// not packed by an instruction.
// CHECK-LABEL: func.func @fused_update_f16
// CHECK: scf.parallel
// CHECK-DAG:   %[[XP:.*]] = vector.load %{{.*}} : memref<8xf16>, vector<2xf16>
// CHECK-DAG:   %[[GB:.*]] = arith.bitcast %{{.*}} : f16 to i16
// CHECK-DAG:   %[[GW:.*]] = arith.extui %[[GB]] : i16 to i32
// CHECK-DAG:   %[[GH:.*]] = arith.shli %[[GW]], %{{.*}} : i32
// CHECK-DAG:   %[[GO:.*]] = arith.ori %[[GW]], %[[GH]] : i32
// CHECK-DAG:   %[[GV:.*]] = vector.broadcast %[[GO]] : i32 to vector<1xi32>
// CHECK-DAG:   %[[GP:.*]] = vector.bitcast %[[GV]] : vector<1xi32> to vector<2xf16>
// CHECK:   %[[P:.*]] = arith.mulf %[[GP]], %[[XP]] : vector<2xf16>
// CHECK-DAG:   vector.extract %[[P]][0] : f16 from vector<2xf16>
// CHECK-DAG:   vector.extract %[[P]][1] : f16 from vector<2xf16>
// CHECK-NOT: arith.truncf
// CHECK:   math.fma %{{.*}} : f32
// CHECK:   math.fma %{{.*}} : f32
// CHECK:   %[[U:.*]] = cluster.pack %{{.*}}, %{{.*}} : vector<2xf16>
// CHECK:   vector.store %[[U]]
// CHECK-NOT: arith.mulf %{{.*}} : f32
// CHECK: scf.reduce
func.func @fused_update_f16() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %lr = arith.constant 5.000000e-02 : f32
  %arena = memref.get_global @arena : memref<4096xi8>
  %w = memref.view %arena[%c0][] : memref<4096xi8> to memref<4x8xf16>
  %g = memref.view %arena[%c64][] : memref<4096xi8> to memref<4xf16>
  %x = memref.view %arena[%c128][] : memref<4096xi8> to memref<8xf16>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) {
    %gv = memref.load %g[%i] : memref<4xf16>
    %xv = memref.load %x[%j] : memref<8xf16>
    %wv = memref.load %w[%i, %j] : memref<4x8xf16>
    %ge = arith.extf %gv : f16 to f32
    %xe = arith.extf %xv : f16 to f32
    %p = arith.mulf %ge, %xe : f32
    %h = arith.truncf %p : f32 to f16
    %he = arith.extf %h : f16 to f32
    %we = arith.extf %wv : f16 to f32
    %n = arith.negf %he : f32
    %u = math.fma %n, %lr, %we : f32
    %r = arith.truncf %u : f32 to f16
    memref.store %r, %w[%i, %j] : memref<4x8xf16>
    scf.reduce
  }
  return
}

// CHECK-LABEL: func.func @outer_bf16
// CHECK: scf.parallel
// CHECK:   arith.mulf %{{.*}} : f32
// CHECK:   arith.mulf %{{.*}} : f32
// CHECK:   cluster.pack %{{.*}} : vector<2xbf16>
// CHECK-NOT: arith.mulf %{{.*}} : vector<2xbf16>
func.func @outer_bf16() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %w = memref.view %arena[%c0][] : memref<4096xi8> to memref<4x8xbf16>
  %g = memref.view %arena[%c64][] : memref<4096xi8> to memref<4xbf16>
  %x = memref.view %arena[%c128][] : memref<4096xi8> to memref<8xbf16>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) {
    %gv = memref.load %g[%i] : memref<4xbf16>
    %xv = memref.load %x[%j] : memref<8xbf16>
    %ge = arith.extf %gv : bf16 to f32
    %xe = arith.extf %xv : bf16 to f32
    %p = arith.mulf %ge, %xe : f32
    %h = arith.truncf %p : f32 to bf16
    memref.store %h, %w[%i, %j] : memref<4x8xbf16>
    scf.reduce
  }
  return
}

// -----

// Stays scalar: an odd innermost trip count (a 3x3 kernel), and f32
// results (nothing to pack).
memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// CHECK-LABEL: func.func @not_packed
// CHECK-NOT: vector.
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK-NOT: vector.
func.func @not_packed() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c8 = arith.constant 8 : index
  %c1024 = arith.constant 1024 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %x = memref.view %arena[%c0][] : memref<4096xi8> to memref<3x3xf32>
  %y = memref.view %arena[%c1024][] : memref<4096xi8> to memref<3x3xf16>
  %z = memref.view %arena[%c1024][] : memref<4096xi8> to memref<8xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c3, %c3) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<3x3xf32>
    %h = arith.truncf %v : f32 to f16
    memref.store %h, %y[%i, %j] : memref<3x3xf16>
    scf.reduce
  }
  scf.parallel (%j) = (%c0) to (%c8) step (%c1) {
    %v = memref.load %z[%j] : memref<8xf32>
    %d = arith.addf %v, %v : f32
    memref.store %d, %z[%j] : memref<8xf32>
    scf.reduce
  }
  return
}

// -----

// The rounding of a reduction's result in its epilogue (marked
// pulptrain.f32_accumulator by pulptrain-fuse-rounding) stays a scalar
// arith.truncf, bf16 and f16 (convert-pairs-to-xfvec makes a bf16 one
// vfcvt.ah.s): nothing to pair.
// CHECK-LABEL: func.func @epilogue_bf16
// CHECK: %[[R:.*]] = scf.for
// CHECK: %[[T:.*]] = arith.truncf %[[R]] {pulptrain.f32_accumulator} : f32 to bf16
// CHECK: memref.store %[[T]], %arg1[%{{.*}}] : memref<8xbf16>
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: arith.truncf %{{.*}} {pulptrain.f32_accumulator} : f32 to f16
// CHECK-NOT: cluster.pack
func.func @epilogue_bf16(%x: memref<8x3xf32>, %y: memref<8xbf16>, %z: memref<8xbf16>, %h: memref<8xf16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c8 step %c1 {
    %r = scf.for %k = %c0 to %c3 step %c1 iter_args(%acc = %zero) -> (f32) {
      %a = memref.load %x[%i, %k] : memref<8x3xf32>
      %s = arith.addf %acc, %a : f32
      scf.yield %s : f32
    }
    %t = arith.truncf %r {pulptrain.f32_accumulator} : f32 to bf16
    memref.store %t, %y[%i] : memref<8xbf16>
    %u = arith.truncf %r : f32 to bf16
    memref.store %u, %z[%i] : memref<8xbf16>
    %v = arith.truncf %r {pulptrain.f32_accumulator} : f32 to f16
    memref.store %v, %h[%i] : memref<8xf16>
  }
  return
}

// -----

memref.global "private" @arena : memref<4096xi8> {alignment = 16 : i64}

// An SGD update in f16 (pulptrain-narrow-updates), w + g * (-lr) as one
// f16 fma: both lanes at once, one lane-wise fma (vfmac.h) of the loaded
// words and the constant splat, stored as one word; no extension, no
// rounding, no scalar fma left.
// CHECK-LABEL: func.func @update_f16
// CHECK: scf.parallel
// CHECK-DAG:   %[[W:.*]] = vector.load %{{.*}} : memref<16xf16>, vector<2xf16>
// CHECK-DAG:   %[[G:.*]] = vector.load %{{.*}} : memref<16xf16>, vector<2xf16>
// CHECK-DAG:   %[[C:.*]] = arith.constant dense<-4.998780e-02> : vector<2xf16>
// CHECK:   %[[R:.*]] = math.fma %[[G]], %[[C]], %[[W]] : vector<2xf16>
// CHECK:   vector.store %[[R]], %{{.*}} : memref<16xf16>, vector<2xf16>
// CHECK-NOT: math.fma %{{.*}} : f16
// CHECK-NOT: arith.extf
// CHECK: scf.reduce
func.func @update_f16() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %w = memref.view %arena[%c0][] : memref<4096xi8> to memref<16xf16>
  %g = memref.view %arena[%c64][] : memref<4096xi8> to memref<16xf16>
  scf.parallel (%j) = (%c0) to (%c16) step (%c1) {
    %wv = memref.load %w[%j] : memref<16xf16>
    %gv = memref.load %g[%j] : memref<16xf16>
    %lr = arith.constant -4.998780e-02 : f16
    %u = math.fma %gv, %lr, %wv : f16
    memref.store %u, %w[%j] : memref<16xf16>
    scf.reduce
  }
  return
}

// Momentum in bf16 with a fused Linear weight gradient: the gradient's
// rounded products as one lane-wise bf16 product (vfmul.ah: the update is
// in bf16 already), the new buffer one lane-wise fma stored as a word and
// fed to the parameter's fma, a negation as the two sign bits flipped.
// CHECK-LABEL: func.func @momentum_bf16
// CHECK: scf.parallel
// CHECK:   %[[P:.*]] = arith.mulf %{{.*}}, %{{.*}} : vector<2xbf16>
// CHECK:   %[[B:.*]] = math.fma %{{.*}}, %{{.*}}, %[[P]] : vector<2xbf16>
// CHECK:   %[[BITS:.*]] = vector.bitcast %[[B]] : vector<2xbf16> to vector<1xi32>
// CHECK:   %[[NEG:.*]] = arith.xori %[[BITS]], %{{.*}} : vector<1xi32>
// CHECK:   %[[NB:.*]] = vector.bitcast %[[NEG]] : vector<1xi32> to vector<2xbf16>
// CHECK:   %[[W:.*]] = math.fma %[[NB]], %{{.*}}, %{{.*}} : vector<2xbf16>
// CHECK-DAG:   vector.store %[[W]], %{{.*}} : memref<4x8xbf16>, vector<2xbf16>
// CHECK-DAG:   vector.store %[[B]], %{{.*}} : memref<4x8xbf16>, vector<2xbf16>
// CHECK-NOT: arith.mulf %{{.*}} : f32
// CHECK: scf.reduce
func.func @momentum_bf16() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %arena = memref.get_global @arena : memref<4096xi8>
  %w = memref.view %arena[%c0][] : memref<4096xi8> to memref<4x8xbf16>
  %dy = memref.view %arena[%c64][] : memref<4096xi8> to memref<4xbf16>
  %x = memref.view %arena[%c128][] : memref<4096xi8> to memref<8xbf16>
  %m = memref.view %arena[%c256][] : memref<4096xi8> to memref<4x8xbf16>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) {
    %wv = memref.load %w[%i, %j] : memref<4x8xbf16>
    %dv = memref.load %dy[%i] : memref<4xbf16>
    %xv = memref.load %x[%j] : memref<8xbf16>
    %mv = memref.load %m[%i, %j] : memref<4x8xbf16>
    %de = arith.extf %dv : bf16 to f32
    %xe = arith.extf %xv : bf16 to f32
    %p = arith.mulf %de, %xe : f32
    %g = arith.truncf %p : f32 to bf16
    %mu = arith.constant 8.984370e-01 : bf16
    %b = math.fma %mu, %mv, %g : bf16
    %nb = arith.negf %b : bf16
    %lr = arith.constant 1.000980e-02 : bf16
    %u = math.fma %nb, %lr, %wv : bf16
    memref.store %u, %w[%i, %j] : memref<4x8xbf16>
    memref.store %b, %m[%i, %j] : memref<4x8xbf16>
    scf.reduce
  }
  return
}
