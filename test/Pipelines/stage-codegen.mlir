// RUN: pulptrain-opt %s --pulptrain-stage-codegen | FileCheck %s --check-prefix=ONE
// RUN: pulptrain-opt %s --pulptrain-stage-codegen=cores=8 | FileCheck %s --check-prefix=EIGHT
// RUN: not pulptrain-opt %s --pulptrain-stage-codegen=cores=many 2>&1 | FileCheck %s --check-prefix=BADOPT

// Stage 4 alone: a linalg op on buffers enters; it leaves as loops of
// loads, fused multiply-adds and stores, blocked into register tiles
// (4 rows, the reduction unrolled by 4), and with 8 cores as a kernel
// forked on the cluster that splits the rows by core id.

// ONE-LABEL: func.func @layer
// ONE-NOT: cluster.fork
// ONE: scf.parallel (%[[ROW:.*]]) = (%{{.*}}) to (%{{.*}}) step (%[[C4:.*]])
// ONE: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C4]] iter_args({{.*}}) -> (f32, f32, f32, f32)
// ONE-COUNT-16: math.fma
// ONE: scf.yield
// ONE-COUNT-4: memref.store

// EIGHT-LABEL: func.func @layer(
// EIGHT: cluster.fork @layer_kernel0(%arg2, %arg1, %arg0)
// EIGHT-LABEL: func.func private @layer_kernel0(
// EIGHT: %[[ID:.*]] = cluster.core_id
// EIGHT: %[[N:.*]] = cluster.num_cores
// EIGHT: arith.divui %{{.*}}, %[[N]]
// EIGHT: arith.muli %[[ID]]
// EIGHT: scf.parallel
// EIGHT-COUNT-16: math.fma

// BADOPT: for the --cores option: 'many' value invalid for long argument!

func.func @layer(%x: memref<8xf32>, %w: memref<64x8xf32>, %out: memref<64xf32>) {
  linalg.matvec ins(%w, %x : memref<64x8xf32>, memref<8xf32>) outs(%out : memref<64xf32>)
  return
}
