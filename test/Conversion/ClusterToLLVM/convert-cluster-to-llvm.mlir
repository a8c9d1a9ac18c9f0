// RUN: pulptrain-opt %s --split-input-file --convert-cluster-to-llvm | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file --convert-cluster-to-llvm --pulptrain-lower-to-llvm=target=riscv32 | FileCheck %s --check-prefix=LLVM

// A kernel's queries and barrier are runtime calls; the fork stores the
// arguments' addresses into one argument vector per calling function,
// shared by its forks. The runtime's declarations come first.

// CHECK-DAG: func.func private @pulptrain_core_id() -> i32
// CHECK-DAG: func.func private @pulptrain_team_size() -> i32
// CHECK-DAG: func.func private @pulptrain_barrier()
// CHECK-DAG: func.func private @pulptrain_fork_kernel(!llvm.ptr, i32, memref<16xindex>)
// Entry points nothing calls are not declared.
// CHECK-NOT: @pulptrain_dma_copy(
// CHECK-LABEL: func.func private @kernel(
// CHECK: %[[ID:.*]] = call @pulptrain_core_id() : () -> i32
// CHECK: arith.index_castui %[[ID]] : i32 to index
// CHECK: %[[N:.*]] = call @pulptrain_team_size() : () -> i32
// CHECK: arith.index_castui %[[N]] : i32 to index
// CHECK: call @pulptrain_barrier() : () -> ()
// CHECK-LABEL: func.func @step(
// CHECK-SAME: %[[A:.*]]: memref<64xf32>, %[[I:.*]]: index)
// CHECK: %[[ARGV:.*]] = memref.alloca() : memref<16xindex>
// CHECK-NOT: memref.alloca
// CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK: memref.store %[[P]], %[[ARGV]][%c0]
// CHECK: memref.store %[[I]], %[[ARGV]][%c1]
// CHECK: %[[FN:.*]] = constant @kernel : (memref<64xf32>, index) -> ()
// CHECK: %[[PTR:.*]] = builtin.unrealized_conversion_cast %[[FN]] : (memref<64xf32>, index) -> () to !llvm.ptr
// CHECK: call @pulptrain_fork_kernel(%[[PTR]], %c2_i32, %[[ARGV]])
// CHECK-NOT: memref.alloca
// CHECK: call @pulptrain_fork_kernel(%{{.*}}, %c2_i32{{.*}}, %[[ARGV]])
// LLVM-LABEL: llvm.func @step(
// LLVM: llvm.call @pulptrain_fork_kernel
func.func private @kernel(%buf: memref<64xf32>, %tile: index) {
  %id = cluster.core_id
  %n = cluster.num_cores
  cluster.barrier
  return
}
func.func @step(%a: memref<64xf32>, %i: index) {
  cluster.fork @kernel(%a, %i) : memref<64xf32>, index
  cluster.fork @kernel(%a, %i) : memref<64xf32>, index
  return
}

// -----

// A contiguous L2 side is one 1-D transfer; rows at a stride are a 2-D one
// (bytes, the L2 stride and the row length in bytes), whose L2 address
// includes the view's offset. The direction (0: L2 to L1, 1: L1 to L2) is
// the memory of the destination. Tokens are the runtime's handles.

// CHECK-LABEL: func.func @dma(
// CHECK-SAME: %[[L2:.*]]: memref<16x64xf32>, %[[L1:.*]]: memref<4x16xf32, #pulptrain.memory<l1>>, %[[X:.*]]: memref<64xf32, #pulptrain.memory<l1>>, %[[Y:.*]]: memref<64xf32, #pulptrain.memory<l2>>
// CHECK: %[[TILE:.*]] = memref.subview %[[L2]]
// CHECK: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[TILE]]
// CHECK: %{{.*}}, %[[OFF:.*]], %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %[[TILE]]
// CHECK: %[[BYTES:.*]] = arith.muli %[[OFF]], %c4
// CHECK: %[[EXT:.*]] = arith.addi %[[BASE]], %[[BYTES]]
// CHECK: %[[LOC:.*]] = memref.extract_aligned_pointer_as_index %[[L1]]
// CHECK: %[[H0:.*]] = call @pulptrain_dma_copy_2d(%[[EXT]], %[[LOC]], %c256, %c256{{.*}}, %c64, %c0_i32) : (index, index, index, index, index, i32) -> i32
// CHECK: %[[YP:.*]] = memref.extract_aligned_pointer_as_index %[[Y]]
// CHECK: %[[XP:.*]] = memref.extract_aligned_pointer_as_index %[[X]]
// CHECK: %[[H1:.*]] = call @pulptrain_dma_copy(%[[YP]], %[[XP]], %c256{{.*}}, %c1_i32) : (index, index, index, i32) -> i32
// CHECK: call @pulptrain_dma_wait(%[[H0]]) : (i32) -> ()
// CHECK: call @pulptrain_dma_wait(%[[H1]]) : (i32) -> ()
// CHECK: call @pulptrain_dma_wait_all() : () -> ()
// CHECK: call @pulptrain_prof_enter(%c3_i32) : (i32) -> ()
// CHECK: call @pulptrain_prof_exit(%c3_i32{{.*}}) : (i32) -> ()
func.func @dma(%l2: memref<16x64xf32>, %l1: memref<4x16xf32, #pulptrain.memory<l1>>,
               %x: memref<64xf32, #pulptrain.memory<l1>>,
               %y: memref<64xf32, #pulptrain.memory<l2>>, %i: index) {
  %tile = memref.subview %l2[%i, 0] [4, 16] [1, 1]
      : memref<16x64xf32> to memref<4x16xf32, strided<[64, 1], offset: ?>>
  %t0 = cluster.dma_start %tile, %l1
      : memref<4x16xf32, strided<[64, 1], offset: ?>> to memref<4x16xf32, #pulptrain.memory<l1>>
  %t1 = cluster.dma_start %x, %y
      : memref<64xf32, #pulptrain.memory<l1>> to memref<64xf32, #pulptrain.memory<l2>>
  cluster.dma_wait on %t0, %t1
  cluster.dma_wait
  cluster.profile_enter 3
  cluster.profile_exit 3
  return
}

// -----

// Tokens carried through a loop become handles there too.

// CHECK-LABEL: func.func @carried(
// CHECK: %[[H:.*]] = call @pulptrain_dma_copy
// CHECK: %[[R:.*]] = scf.for {{.*}} iter_args(%[[C:.*]] = %[[H]]) -> (i32)
// CHECK: call @pulptrain_dma_wait(%[[C]])
// CHECK: %[[N:.*]] = func.call @pulptrain_dma_copy
// CHECK: scf.yield %[[N]] : i32
// CHECK: call @pulptrain_dma_wait(%[[R]])
func.func @carried(%x: memref<64xf32>, %y: memref<64xf32, #pulptrain.memory<l1>>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = cluster.dma_start %x, %y : memref<64xf32> to memref<64xf32, #pulptrain.memory<l1>>
  %r = scf.for %k = %c0 to %n step %c1 iter_args(%prev = %t) -> (!cluster.dma_token) {
    cluster.dma_wait on %prev
    %next = cluster.dma_start %x, %y : memref<64xf32> to memref<64xf32, #pulptrain.memory<l1>>
    scf.yield %next : !cluster.dma_token
  }
  cluster.dma_wait on %r
  return
}

// -----

// The L3 channel: pulptrain_l3_copy(l3, l2, bytes, dir) with dir 0 from L3
// to L2 and 1 from L2 to L3, whichever side is the source; its tokens are
// handles too.

// CHECK-LABEL: func.func @l3(
// CHECK-SAME: %[[L3:.*]]: memref<8x16xf32, #pulptrain.memory<l3>>, %[[L2:.*]]: memref<8x16xf32>)
// CHECK: %[[A3:.*]] = memref.extract_aligned_pointer_as_index %[[L3]]
// CHECK: %[[A2:.*]] = memref.extract_aligned_pointer_as_index %[[L2]]
// CHECK: %[[H0:.*]] = call @pulptrain_l3_copy(%[[A3]], %[[A2]], %c512, %c0_i32) : (index, index, index, i32) -> i32
// CHECK: %[[B3:.*]] = memref.extract_aligned_pointer_as_index %[[L3]]
// CHECK: %[[B2:.*]] = memref.extract_aligned_pointer_as_index %[[L2]]
// CHECK: %[[H1:.*]] = call @pulptrain_l3_copy(%[[B3]], %[[B2]], %c512{{.*}}, %c1_i32) : (index, index, index, i32) -> i32
// CHECK: call @pulptrain_l3_wait(%[[H0]]) : (i32) -> ()
// CHECK: call @pulptrain_l3_wait(%[[H1]]) : (i32) -> ()
// CHECK: call @pulptrain_l3_wait_all() : () -> ()
// CHECK-NOT: pulptrain_dma_wait
func.func @l3(%l3: memref<8x16xf32, #pulptrain.memory<l3>>, %l2: memref<8x16xf32>) {
  %t0 = cluster.l3_start %l3, %l2
      : memref<8x16xf32, #pulptrain.memory<l3>> to memref<8x16xf32>
  %t1 = cluster.l3_start %l2, %l3
      : memref<8x16xf32> to memref<8x16xf32, #pulptrain.memory<l3>>
  cluster.l3_wait on %t0, %t1
  cluster.l3_wait
  return
}
