// RUN: pulptrain-opt %s "--pulptrain-stage-llvm=target=riscv32" | FileCheck %s --check-prefix=RV32
// RUN: pulptrain-opt %s --pulptrain-stage-llvm | FileCheck %s --check-prefix=HOST
// RUN: pulptrain-opt %s "--pulptrain-stage-llvm=target=riscv32 simd=true" | FileCheck %s --check-prefix=SIMD
// RUN: not pulptrain-opt %s "--pulptrain-stage-llvm=target=arm" 2>&1 | FileCheck %s --check-prefix=BADOPT

// Stage 5 alone: loops, memref, arith and cluster ops (buffers typed in L1
// or L2) enter; only the LLVM dialect leaves, one bare pointer per buffer argument, the cluster ops as
// calls of the C runtime, indices as wide as the target's addresses.

// RV32-DAG: llvm.func @pulptrain_core_id() -> i32
// RV32-DAG: llvm.func @pulptrain_fork_kernel(!llvm.ptr, i32, !llvm.ptr)
// RV32-DAG: llvm.func @pulptrain_dma_copy(i32, i32, i32, i32) -> i32
// RV32-DAG: llvm.func @pulptrain_dma_wait(i32)
// RV32-LABEL: llvm.func @kernel(%arg0: !llvm.ptr)
// RV32: %[[ID:.*]] = llvm.call @pulptrain_core_id() : () -> i32
// RV32: llvm.getelementptr inbounds|nuw %{{.*}}[%[[ID]]] : (!llvm.ptr, i32) -> !llvm.ptr, f32
// RV32-LABEL: llvm.func @step(%arg0: !llvm.ptr, %arg1: !llvm.ptr)
// RV32: %[[BYTES:.*]] = llvm.mlir.constant(64 : index) : i32
// RV32: %[[T:.*]] = llvm.call @pulptrain_dma_copy(%{{.*}}, %{{.*}}, %[[BYTES]], %{{.*}}) : (i32, i32, i32, i32) -> i32
// RV32: llvm.call @pulptrain_dma_wait(%[[T]])
// RV32: llvm.call @pulptrain_fork_kernel(
// RV32-NOT: memref.
// RV32-NOT: cluster.

// HOST-LABEL: llvm.func @kernel(%arg0: !llvm.ptr)
// HOST: %[[ID32:.*]] = llvm.call @pulptrain_core_id() : () -> i32
// HOST: %[[ID:.*]] = llvm.zext %[[ID32]] : i32 to i64
// HOST: llvm.getelementptr inbounds|nuw %{{.*}}[%[[ID]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32

// A bf16 rounding: with simd (the cores' Xfvec) one vfcvt.ah.s
// (convert-pairs-to-xfvec), else, and on the host, arith-expand's integer
// rounding (round to nearest even on the bits: a shift right by 16).
// SIMD-LABEL: llvm.func @round
// SIMD: llvm.inline_asm ".insn r 0x33, 1, 0x4c, $0, $1, x4", "=r,r"
// SIMD-NOT: llvm.lshr
// RV32-LABEL: llvm.func @round
// RV32-NOT: llvm.inline_asm
// RV32: llvm.lshr
// HOST-LABEL: llvm.func @round
// HOST-NOT: llvm.inline_asm
// HOST: llvm.lshr

// BADOPT: for the --target option: Cannot find option named 'arm'!

func.func private @kernel(%buf: memref<16xf32, #pulptrain.memory<l1>>) {
  %id = cluster.core_id
  %v = arith.index_cast %id : index to i32
  %f = arith.sitofp %v : i32 to f32
  memref.store %f, %buf[%id] : memref<16xf32, #pulptrain.memory<l1>>
  return
}

func.func @step(%l2: memref<16xf32>, %l1: memref<16xf32, #pulptrain.memory<l1>>) {
  %t = cluster.dma_start %l2, %l1 : memref<16xf32> to memref<16xf32, #pulptrain.memory<l1>>
  cluster.dma_wait on %t
  cluster.fork @kernel(%l1) : memref<16xf32, #pulptrain.memory<l1>>
  return
}

func.func @round(%x: f32) -> bf16 {
  %y = arith.truncf %x : f32 to bf16
  return %y : bf16
}
