// RUN: pulptrain-opt %s --split-input-file --pulptrain-outline-parallel | FileCheck %s
// RUN: not pulptrain-opt %s --pulptrain-outline-parallel="cores=0" 2>&1 | FileCheck %s --check-prefix=CORES

// CORES: error: the number of cores must be positive, got 0

// Rows (16) cover the 8 cores: the rows are split. The loop's buffers are
// the kernel's arguments; the view of the arena and the constants are
// recomputed inside it.

// CHECK-LABEL: func.func @rows(
// CHECK-SAME: %[[IN:.*]]: memref<16x36xf32>, %[[OUT:.*]]: memref<16x36xf32>)
// CHECK: cluster.fork @rows_kernel0(%[[IN]], %[[OUT]]) : memref<16x36xf32>, memref<16x36xf32>
// CHECK-NOT: scf.parallel
// CHECK: return
// CHECK-LABEL: func.func private @rows_kernel0(
// CHECK-SAME: %[[KIN:.*]]: memref<16x36xf32> {llvm.noalias}, %[[KOUT:.*]]: memref<16x36xf32> {llvm.noalias})
// CHECK: %[[ARENA:.*]] = memref.get_global @arena
// CHECK: %[[TMP:.*]] = memref.view %[[ARENA]]
// CHECK: %[[ID:.*]] = cluster.core_id
// CHECK: %[[TEAM:.*]] = cluster.num_cores
// CHECK: %[[TRIP:.*]] = arith.constant 16 : index
// CHECK: %[[CHUNK:.*]] = arith.ceildivui %[[TRIP]], %[[TEAM]]
// CHECK: %[[START:.*]] = arith.muli %[[ID]], %[[CHUNK]]
// CHECK: %[[FIRST:.*]] = arith.minui %[[START]], %[[TRIP]]
// CHECK: %[[END:.*]] = arith.addi %[[FIRST]], %[[CHUNK]]
// CHECK: %[[LAST:.*]] = arith.minui %[[END]], %[[TRIP]]
// CHECK: %[[LOS:.*]] = arith.muli %[[FIRST]], %{{.*}}
// CHECK: %[[LO:.*]] = arith.addi %[[LOS]], %{{.*}}
// CHECK: %[[HIS:.*]] = arith.muli %[[LAST]], %{{.*}}
// CHECK: %[[HI:.*]] = arith.addi %[[HIS]], %{{.*}}
// CHECK: scf.parallel (%[[I:.*]], %[[J:.*]]) = (%[[LO]], %c0{{.*}}) to (%[[HI]], %c36{{.*}})
// CHECK: memref.load %[[KIN]][%[[I]], %[[J]]]
// CHECK: memref.store %{{.*}}, %[[TMP]][%[[I]], %[[J]]]
// CHECK: memref.store %{{.*}}, %[[KOUT]][%[[I]], %[[J]]]
// CHECK-NOT: pulptrain_
memref.global "private" @arena : memref<2304xi8> = uninitialized
func.func @rows(%in: memref<16x36xf32>, %out: memref<16x36xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c36 = arith.constant 36 : index
  %arena = memref.get_global @arena : memref<2304xi8>
  %tmp = memref.view %arena[%c0][] : memref<2304xi8> to memref<16x36xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c16, %c36) step (%c1, %c1) {
    %v = memref.load %in[%i, %j] : memref<16x36xf32>
    memref.store %v, %tmp[%i, %j] : memref<16x36xf32>
    memref.store %v, %out[%i, %j] : memref<16x36xf32>
    scf.reduce
  }
  return
}

// -----

// Fewer rows (2) than cores: the columns are split. A loop with a
// reduction result and a loop of one iteration stay sequential.

// CHECK-LABEL: func.func @columns(
// CHECK: cluster.fork @columns_kernel0
// CHECK: scf.parallel {{.*}} init
// CHECK: memref.store
// CHECK-NOT: scf.parallel
// CHECK-LABEL: func.func private @columns_kernel0(
// CHECK: %[[TRIP:.*]] = arith.constant 64 : index
// CHECK: arith.ceildivui %[[TRIP]]
// CHECK: %[[FIRST:.*]] = arith.minui
// CHECK: %[[LAST:.*]] = arith.minui
// CHECK: %[[LOS:.*]] = arith.muli %[[FIRST]]
// CHECK: %[[LO:.*]] = arith.addi %[[LOS]]
// CHECK: %[[HIS:.*]] = arith.muli %[[LAST]]
// CHECK: %[[HI:.*]] = arith.addi %[[HIS]]
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %[[LO]]) to (%c2, %[[HI]])
func.func @columns(%a: memref<2x64xf32>, %s: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c2, %c64) step (%c1, %c1) {
    memref.store %zero, %a[%i, %j] : memref<2x64xf32>
    scf.reduce
  }
  %sum = scf.parallel (%i) = (%c0) to (%c64) step (%c1) init (%zero) -> f32 {
    %v = memref.load %a[%c0, %i] : memref<2x64xf32>
    scf.reduce(%v : f32) {
    ^bb0(%x: f32, %y: f32):
      %r = arith.addf %x, %y : f32
      scf.reduce.return %r : f32
    }
  }
  scf.parallel (%i) = (%c0) to (%c1) step (%c1) {
    memref.store %sum, %s[] : memref<f32>
    scf.reduce
  }
  return
}
