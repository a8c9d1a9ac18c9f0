// RUN: pulptrain-opt %s --split-input-file --pulptrain-tile-l1="budget=4096 cores=8" | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file --pulptrain-tile-l1="budget=4096 cores=1" | FileCheck %s --check-prefix=ONE
// RUN: pulptrain-opt %s --split-input-file --pulptrain-tile-l1="budget=4096 cores=8 l2-latency=0" | FileCheck %s --check-prefix=OFF

// The cost model of small ops: an op reads and writes its L2 operands in
// place when that costs core 0 less than copying them (a DMA start per
// operand and direction, a wait before and after the op, 8 bytes a cycle)
// would. Arguments without a memory space are in L2.

// The max of 10 logits: 10 loads of the logits and one load and store of
// the accumulator (a register) at 10 cycles each cost less than two DMA
// starts in, one out and two waits; the same on one core (a reduction is
// not forked). With l2-latency=0 the rule is off: copied.
// CHECK-LABEL: func.func @max_of_10
// CHECK-NOT: cluster.dma
// CHECK: linalg.generic {{.*}} ins(%arg0 : memref<10xf32>) outs(%arg1 : memref<f32>)
// CHECK-NOT: cluster.dma
// CHECK: return
// ONE-LABEL: func.func @max_of_10
// ONE-NOT: cluster.dma
// ONE: return
// OFF-LABEL: func.func @max_of_10
// OFF: cluster.dma_start %arg0
// OFF: cluster.dma_wait
// OFF: linalg.generic
// OFF: cluster.dma_start %{{.*}}, %arg1
// OFF: cluster.dma_wait
func.func @max_of_10(%x: memref<10xf32>, %m: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> ()>],
                  iterator_types = ["reduction"]}
      ins(%x : memref<10xf32>) outs(%m : memref<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.maximumf %acc, %a : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A map of 10 elements with two L2 inputs and an L2 output: 30 accesses
// shared by 8 cores cost less than 3 DMA starts and 2 waits, so it stays in
// place; on one core (300 cycles of L2 accesses) it is copied.
// CHECK-LABEL: func.func @map_of_10
// CHECK-NOT: cluster.dma
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : memref<10xf32>, memref<10xf32>) outs(%arg2 : memref<10xf32>)
// CHECK-NOT: cluster.dma
// CHECK: return
// ONE-LABEL: func.func @map_of_10
// ONE-COUNT-2: cluster.dma_start %arg
// ONE: cluster.dma_wait
// ONE: linalg.generic {{.*}} outs(%{{.*}} : memref<10xf32, #pulptrain.memory<l1>>)
// ONE: cluster.dma_start %{{.*}}, %arg2
// ONE: cluster.dma_wait
func.func @map_of_10(%a: memref<10xf32>, %b: memref<10xf32>, %c: memref<10xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                  iterator_types = ["parallel"]}
      ins(%a, %b : memref<10xf32>, memref<10xf32>) outs(%c : memref<10xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %r = arith.addf %x, %y : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Where it must not apply: the same map over 256 elements costs 96 L2
// accesses per core, more than copying 3 KiB (384 cycles of DMA, 3 starts,
// 2 waits): copied, on 8 cores too.
// CHECK-LABEL: func.func @map_of_256
// CHECK-COUNT-2: cluster.dma_start %arg
// CHECK: cluster.dma_wait
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : memref<256xf32, #pulptrain.memory<l1>>, memref<256xf32, #pulptrain.memory<l1>>) outs(%{{.*}} : memref<256xf32, #pulptrain.memory<l1>>)
// CHECK: cluster.dma_start %{{.*}}, %arg2
// CHECK: cluster.dma_wait
// CHECK: return
func.func @map_of_256(%a: memref<256xf32>, %b: memref<256xf32>, %c: memref<256xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                  iterator_types = ["parallel"]}
      ins(%a, %b : memref<256xf32>, memref<256xf32>) outs(%c : memref<256xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %r = arith.addf %x, %y : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A copied op that writes nothing to L2 waits for its inputs only: a
// 64-element sum into an L1 accumulator (64 loads at 10 cycles cost more
// than one DMA start and one wait).
// CHECK-LABEL: func.func @sum_of_64
// CHECK: cluster.dma_start %arg0
// CHECK: cluster.dma_wait
// CHECK: linalg.generic
// CHECK-NOT: cluster.dma
// CHECK: return
func.func @sum_of_64(%x: memref<64xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %acc = memref.alloca() : memref<f32, #pulptrain.memory<l1>>
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> ()>],
                  iterator_types = ["reduction"]}
      ins(%x : memref<64xf32>) outs(%acc : memref<f32, #pulptrain.memory<l1>>) {
  ^bb0(%a: f32, %s: f32):
    %r = arith.addf %s, %a : f32
    linalg.yield %r : f32
  }
  %v = memref.load %acc[] : memref<f32, #pulptrain.memory<l1>>
  return %v : f32
}
