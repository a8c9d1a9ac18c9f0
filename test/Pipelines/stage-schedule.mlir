// RUN: pulptrain-opt %s --pulptrain-stage-schedule | FileCheck %s --check-prefix=L2
// RUN: pulptrain-opt %s "--pulptrain-stage-schedule=arena=l1 arena-l1-size=4096 l1-tile-budget=512" | FileCheck %s --check-prefix=TILED
// RUN: pulptrain-opt %s "--pulptrain-stage-schedule=arena=l1 arena-l1-size=4K l1-tile-budget=512 l2-size=1MiB" | FileCheck %s --check-prefix=TILED
// RUN: not pulptrain-opt %s "--pulptrain-stage-schedule=l1-tile-budget=4KB" 2>&1 | FileCheck %s --check-prefix=BADSIZE
// RUN: not pulptrain-opt %s "--pulptrain-stage-schedule=arena=l1 arena-l1-size=8" 2>&1 | FileCheck %s --check-prefix=NOFIT
// RUN: not pulptrain-opt %s "--pulptrain-stage-schedule=arena=l3" 2>&1 | FileCheck %s --check-prefix=BADOPT

// Stage 3 alone: linalg on buffers, with a memref.alloc temporary, enters;
// the temporary leaves as a view of the static arena and, with a tile
// budget, the ops on L2 buffers compute on L1 tiles filled and drained by
// DMA.

// L2: memref.global "private" @__pulptrain_arena : memref<16xi8, #pulptrain.memory<l2>>
// L2-LABEL: func.func @layer
// L2-NOT: memref.alloc
// L2: %[[ARENA:.*]] = memref.get_global @__pulptrain_arena
// L2: %[[ACC:.*]] = memref.view %[[ARENA]][%{{.*}}][] : memref<16xi8, #pulptrain.memory<l2>> to memref<4xf32, #pulptrain.memory<l2>>
// L2: linalg.fill {{.*}} outs(%[[ACC]]
// L2: linalg.matvec ins(%arg1, %arg0 : {{.*}}) outs(%[[ACC]]
// L2-NOT: cluster.dma_start
// L2: return

// TILED: memref.global "private" @__pulptrain_l1_tiles : memref<160xi8, #pulptrain.memory<l1>>
// TILED: memref.global "private" @__pulptrain_arena : memref<16xi8, #pulptrain.memory<l1>>
// TILED-LABEL: func.func @layer
// TILED: cluster.dma_start %arg1, %{{.*}} : memref<4x8xf32> to memref<4x8xf32, #pulptrain.memory<l1>>
// TILED: cluster.dma_start %arg0, %{{.*}} : memref<8xf32> to memref<8xf32, #pulptrain.memory<l1>>
// TILED: cluster.dma_wait
// TILED: linalg.matvec ins({{.*}} : memref<4x8xf32, #pulptrain.memory<l1>>, memref<8xf32, #pulptrain.memory<l1>>) outs({{.*}} : memref<4xf32, #pulptrain.memory<l1>>)
// The 4-element ReLU writes its L2 result in place (4 stores cost less
// than a DMA start and wait: pulptrain-tile-l1's small-op rule).
// TILED-NOT: cluster.dma_start
// TILED: linalg.generic {{.*}} ins(%{{.*}} : memref<4xf32, #pulptrain.memory<l1>>) outs(%arg2 : memref<4xf32>)
// TILED-NOT: cluster.dma
// TILED: return

// NOFIT: stage-schedule.mlir:[[@LINE+5]]:1: error: function @layer does not fit: its L1 arena needs 16 bytes of L1, more than the 8 bytes available
// BADOPT: Cannot find option named 'l3'
// BADSIZE: for the --l1-tile-budget option: bad memory size '4KB' (bytes, or a number with the suffix K, KiB, M or MiB)

#id = affine_map<(d0) -> (d0)>
func.func @layer(%x: memref<8xf32>, %w: memref<4x8xf32>, %out: memref<4xf32>) {
  %zero = arith.constant 0.0 : f32
  %acc = memref.alloc() : memref<4xf32>
  linalg.fill ins(%zero : f32) outs(%acc : memref<4xf32>)
  linalg.matvec ins(%w, %x : memref<4x8xf32>, memref<8xf32>) outs(%acc : memref<4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%acc : memref<4xf32>) outs(%out : memref<4xf32>) {
  ^bb0(%in: f32, %o: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  }
  return
}
