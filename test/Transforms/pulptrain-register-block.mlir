// RUN: pulptrain-opt %s --split-input-file --pulptrain-register-block="rows=2 cols=2 min-iterations=1" --cse | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file --pulptrain-register-block="rows=2 cols=2 min-iterations=16" | FileCheck %s --check-prefix=CORES
// RUN: pulptrain-opt %s --split-input-file --pulptrain-register-block="rows=2 cols=2 min-iterations=1 unroll=3" --cse | FileCheck %s --check-prefix=UNROLL
// RUN: pulptrain-opt %s --split-input-file --pulptrain-register-block="rows=2 cols=2 min-iterations=1 unroll=4" --cse | FileCheck %s --check-prefix=KERNEL

// unroll=3: the reduction loop of 16 iterations is unrolled by 2, the
// largest factor up to 3 that divides it: 16 loads and FMAs per iteration.
// UNROLL-LABEL: func.func @matmul
// UNROLL: scf.for %{{.*}} = %c0 to %c16 step %c2 iter_args(
// UNROLL-COUNT-16: {{memref.load|math.fma}}
// UNROLL-NEXT: scf.yield

// With 16 iterations to keep (e.g. 16 cores), the 4x8 loop can only be
// blocked 1x2 (rows first give way), the 4x3 one not at all.
// CORES-LABEL: func.func @matmul
// CORES: scf.parallel {{.*}} to (%c4, %c8) step (%c1{{.*}}, %c2)
// CORES-LABEL: func.func @odd
// CORES: scf.parallel {{.*}} to (%c4, %c3) step (%c1, %c1)

// A matmul-like nest: 2x2 output elements per iteration, one reduction
// loop carrying their four accumulators; each loaded %a element feeds two
// multiply-adds, each %b element two (4 loads for 4 FMAs instead of 8).

// CHECK-LABEL: func.func @matmul
// CHECK: scf.parallel (%[[I:.*]], %[[J:.*]]) = (%c0, %c0) to (%c4, %c8) step (%c2, %c2)
// CHECK-COUNT-4: memref.load %arg2[
// CHECK: %[[R:.*]]:4 = scf.for %[[K:.*]] = %c0 to %c16 step %c1 iter_args(
// CHECK-COUNT-8: {{memref.load|math.fma}}
// CHECK-NEXT: scf.yield
// CHECK-COUNT-4: memref.store %[[R]]#
func.func @matmul(%a: memref<4x16xf32>, %b: memref<16x8xf32>, %c: memref<4x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) {
    %init = memref.load %c[%i, %j] : memref<4x8xf32>
    %r = scf.for %k = %c0 to %c16 step %c1 iter_args(%acc = %init) -> (f32) {
      %x = memref.load %a[%i, %k] : memref<4x16xf32>
      %y = memref.load %b[%k, %j] : memref<16x8xf32>
      %s = math.fma %x, %y, %acc : f32
      scf.yield %s : f32
    }
    memref.store %r, %c[%i, %j] : memref<4x8xf32>
    scf.reduce
  }
  return
}

// -----

// Trip counts without a factor of 2 stay as they are (3 columns); the
// next dimension outwards is unrolled instead. A loop with an scf.if is
// left alone.

// CHECK-LABEL: func.func @odd
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c4, %c3) step (%c2, %c1)
// CHECK-LABEL: func.func @branchy
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c4) step (%c1)
func.func @odd(%a: memref<4x3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c3) step (%c1, %c1) {
    memref.store %zero, %a[%i, %j] : memref<4x3xf32>
    scf.reduce
  }
  return
}
func.func @branchy(%a: memref<4xf32>, %p: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.if %p {
      memref.store %zero, %a[%i] : memref<4xf32>
    }
    scf.reduce
  }
  return
}

// -----

// A direct convolution's reduction nest on f16 operands: channels (8),
// kernel rows (3), kernel columns (3). The columns are unrolled
// completely, so the rows, now innermost and no longer than the unroll
// factor, are unrolled too: each channel iteration is one straight block
// of 9 x 4 multiply-adds for the 2x2 output block. The channel loop
// (8 > 4) stays a loop. The same nest in f32 keeps its row loop (LLVM
// unrolls it).
// KERNEL-LABEL: func.func @conv
// KERNEL: scf.for %{{.*}} = %c0 to %c8 step %c1 iter_args(
// KERNEL-NOT: scf.for
// KERNEL-COUNT-36: math.fma
// KERNEL-NOT: math.fma
// KERNEL: scf.yield
// KERNEL-LABEL: func.func @conv_f32
// KERNEL: scf.for %{{.*}} = %c0 to %c8 step %c1 iter_args(
// KERNEL: scf.for %{{.*}} = %c0 to %c3 step %c1 iter_args(
// KERNEL-COUNT-12: math.fma
// KERNEL-NOT: math.fma
// KERNEL: scf.yield
func.func @conv(%x: memref<8x6x6xf16>, %w: memref<4x8x3x3xf16>, %y: memref<4x4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%o, %h, %v) = (%c0, %c0, %c0) to (%c4, %c4, %c4) step (%c1, %c1, %c1) {
    %init = memref.load %y[%o, %h, %v] : memref<4x4x4xf32>
    %r = scf.for %c = %c0 to %c8 step %c1 iter_args(%a0 = %init) -> (f32) {
      %r1 = scf.for %kh = %c0 to %c3 step %c1 iter_args(%a1 = %a0) -> (f32) {
        %r2 = scf.for %kw = %c0 to %c3 step %c1 iter_args(%a2 = %a1) -> (f32) {
          %ih = arith.addi %h, %kh : index
          %iw = arith.addi %v, %kw : index
          %xh = memref.load %x[%c, %ih, %iw] : memref<8x6x6xf16>
          %wh = memref.load %w[%o, %c, %kh, %kw] : memref<4x8x3x3xf16>
          %xv = arith.extf %xh : f16 to f32
          %wv = arith.extf %wh : f16 to f32
          %s = math.fma %xv, %wv, %a2 : f32
          scf.yield %s : f32
        }
        scf.yield %r2 : f32
      }
      scf.yield %r1 : f32
    }
    memref.store %r, %y[%o, %h, %v] : memref<4x4x4xf32>
    scf.reduce
  }
  return
}

func.func @conv_f32(%x: memref<8x6x6xf32>, %w: memref<4x8x3x3xf32>, %y: memref<4x4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%o, %h, %v) = (%c0, %c0, %c0) to (%c4, %c4, %c4) step (%c1, %c1, %c1) {
    %init = memref.load %y[%o, %h, %v] : memref<4x4x4xf32>
    %r = scf.for %c = %c0 to %c8 step %c1 iter_args(%a0 = %init) -> (f32) {
      %r1 = scf.for %kh = %c0 to %c3 step %c1 iter_args(%a1 = %a0) -> (f32) {
        %r2 = scf.for %kw = %c0 to %c3 step %c1 iter_args(%a2 = %a1) -> (f32) {
          %ih = arith.addi %h, %kh : index
          %iw = arith.addi %v, %kw : index
          %xv = memref.load %x[%c, %ih, %iw] : memref<8x6x6xf32>
          %wv = memref.load %w[%o, %c, %kh, %kw] : memref<4x8x3x3xf32>
          %s = math.fma %xv, %wv, %a2 : f32
          scf.yield %s : f32
        }
        scf.yield %r2 : f32
      }
      scf.yield %r1 : f32
    }
    memref.store %r, %y[%o, %h, %v] : memref<4x4x4xf32>
    scf.reduce
  }
  return
}

// -----

// A nest of packed-pair dot products unrolls to at most 16 of them per
// step: the 2x2 block (4 products) over 16 pairs is unrolled by 4 (16
// products), and the 4 iterations left stay a loop (unrolled, they would
// make 64 products; 16-bit nests without pairs unroll them, @conv above).
// KERNEL-LABEL: func.func @pairs
// KERNEL: scf.for %{{.*}} = %c0 to %c32 step %c8 iter_args(
// KERNEL-COUNT-16: cluster.dotpex
// KERNEL-NOT: cluster.dotpex
// KERNEL: scf.yield
func.func @pairs(%a: memref<4x32xf16>, %b: memref<4x32xf16>, %y: memref<4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c32 = arith.constant 32 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c4) step (%c1, %c1) {
    %init = memref.load %y[%i, %j] : memref<4x4xf32>
    %r = scf.for %k = %c0 to %c32 step %c2 iter_args(%acc = %init) -> (f32) {
      %pa = vector.load %a[%i, %k] : memref<4x32xf16>, vector<2xf16>
      %pb = vector.load %b[%j, %k] : memref<4x32xf16>, vector<2xf16>
      %s = cluster.dotpex %pa, %pb, %acc : vector<2xf16>
      scf.yield %s : f32
    }
    memref.store %r, %y[%i, %j] : memref<4x4xf32>
    scf.reduce
  }
  return
}

// -----

// An element-wise loop on packed pairs that loads an element along both
// its rows and its columns is blocked along its columns only (one row:
// two lanes live per pair, nothing to reuse across rows).
// CHECK-LABEL: func.func @packed
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c4, %c8) step (%c1, %c4)
// CHECK-COUNT-2: cluster.pack
// CHECK-NOT: cluster.pack
func.func @packed(%x: memref<4x8xf32>, %y: memref<4x8xf16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c2) {
    %j1 = arith.addi %j, %c1 : index
    %a = memref.load %x[%i, %j] : memref<4x8xf32>
    %b = memref.load %x[%i, %j1] : memref<4x8xf32>
    %p = cluster.pack %a, %b : vector<2xf16>
    vector.store %p, %y[%i, %j] : memref<4x8xf16>, vector<2xf16>
    scf.reduce
  }
  return
}

// -----

// A packed outer product (y[i][j] = g[i] * x[j]: each load is along the
// rows or along the columns) takes rows too: x's pairs serve both rows
// (pulptrain-hoist-loads and CSE then load each once).
// CHECK-LABEL: func.func @packed_outer
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c4, %c8) step (%c2, %c4)
// CHECK-COUNT-4: arith.mulf %{{.*}} : vector<2xf16>
// CHECK-NOT: arith.mulf
func.func @packed_outer(%g: memref<4xf16>, %x: memref<8xf16>, %y: memref<4x8xf16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c2) {
    %a = memref.load %g[%i] : memref<4xf16>
    %ae = arith.extf %a : f16 to f32
    %ap = cluster.pack %ae, %ae : vector<2xf16>
    %b = vector.load %x[%j] : memref<8xf16>, vector<2xf16>
    %p = arith.mulf %ap, %b : vector<2xf16>
    vector.store %p, %y[%i, %j] : memref<4x8xf16>, vector<2xf16>
    scf.reduce
  }
  return
}

// -----

// A reduction whose bf16 epilogue packs (the rounding as lane 0 of
// cluster.pack, pulptrain-vectorize-pairs) is blocked in rows and columns
// like any reduction: the one-row rule is for element-wise pair loops.
// CHECK-LABEL: func.func @packed_epilogue
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c4, %c8) step (%c2, %c2)
// CHECK-COUNT-4: cluster.pack
// CHECK-NOT: cluster.pack
func.func @packed_epilogue(%x: memref<4x8x16xf32>, %y: memref<4x8xbf16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) {
    %r = scf.for %k = %c0 to %c16 step %c1 iter_args(%acc = %zero) -> (f32) {
      %a = memref.load %x[%i, %j, %k] : memref<4x8x16xf32>
      %s = arith.addf %acc, %a : f32
      scf.yield %s : f32
    }
    %p = cluster.pack %r, %r : vector<2xbf16>
    %t = vector.extract %p[0] : bf16 from vector<2xbf16>
    memref.store %t, %y[%i, %j] : memref<4x8xbf16>
    scf.reduce
  }
  return
}
