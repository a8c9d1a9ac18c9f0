// RUN: pulptrain-opt %s --split-input-file --pulptrain-tile-l1="budget=8192" | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file --pulptrain-tile-l1="budget=2048" | FileCheck %s --check-prefix=SMALL

// A stride-2 convolution whose input (9,248 B) alone is above the budget:
// no tile of one parallel loop fits (the output channels leave the input
// whole, and the output rows index the input through `y * 2 + ky`), so the
// op is tiled as a nest. At 8 KiB: the input channels, its outermost
// reduction loop, one per tile; the output (4 KiB) stays in L1 for all
// tiles and accumulates, in the order of the untiled loops; the input and
// the weights come as windows of one channel, double-buffered.

// CHECK: memref.global "private" @__pulptrain_l1_tiles : memref<7568xi8, #pulptrain.memory<l1>>
// CHECK-LABEL: func.func @conv(
// CHECK-SAME: %[[I:.*]]: memref<1x8x17x17xf32>, %[[W:.*]]: memref<1x16x8x3x3xf32>, %[[O:.*]]: memref<1x16x8x8xf32>)
// CHECK: cluster.dma_start %[[O]], %{{.*}} : memref<1x16x8x8xf32> to memref<1x16x8x8xf32, #pulptrain.memory<l1>>
// CHECK: %[[I0:.*]] = memref.subview %[[I]][0, %{{.*}}, 0, 0] [1, 1, 17, 17] [1, 1, 1, 1]
// CHECK: cluster.dma_start %[[I0]], %{{.*}} : memref<1x1x17x17xf32, strided<[2312, 289, 17, 1], offset: ?>> to memref<1x1x17x17xf32, #pulptrain.memory<l1>>
// CHECK: %[[W0:.*]] = memref.subview %[[W]][0, 0, %{{.*}}, 0, 0] [1, 16, 1, 3, 3] [1, 1, 1, 1, 1]
// CHECK: cluster.dma_start %[[W0]], %{{.*}} : memref<1x16x1x3x3xf32, strided<[1152, 72, 9, 3, 1], offset: ?>> to memref<1x16x1x3x3xf32, #pulptrain.memory<l1>>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c8 step
// CHECK: cluster.dma_wait
// CHECK: scf.if
// CHECK-COUNT-2: cluster.dma_start
// CHECK: }
// CHECK: %[[OUT:.*]] = memref.view %{{.*}}[%c3472{{.*}}][] : memref<7568xi8, #pulptrain.memory<l1>> to memref<1x16x8x8xf32, #pulptrain.memory<l1>>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : memref<1x1x17x17xf32, strided<[289, 289, 17, 1], offset: ?>, #pulptrain.memory<l1>>, memref<1x16x1x3x3xf32, strided<[144, 9, 9, 3, 1], offset: ?>, #pulptrain.memory<l1>>) outs(%[[OUT]] : memref<1x16x8x8xf32, #pulptrain.memory<l1>>)
// CHECK-NOT: cluster.dma_start
// CHECK: }
// CHECK: cluster.dma_wait
// CHECK: cluster.dma_start %{{.*}}, %[[O]] : memref<1x16x8x8xf32, #pulptrain.memory<l1>> to memref<1x16x8x8xf32>
// CHECK-NEXT: cluster.dma_wait

// At 2 KiB it must split further: three loops, 8 output channels x 1
// output row x 1 input channel per tile (128 tiles). The input window is
// the 3 rows (2 * (1 - 1) + 3) that the output row reads, its halo; the
// output window (the same for the 8 input channels of an output tile) is
// fetched and written back only when it changes.

// SMALL: memref.global "private" @__pulptrain_l1_tiles : memref<1504xi8, #pulptrain.memory<l1>>
// SMALL-LABEL: func.func @conv(
// SMALL-SAME: %[[I:.*]]: memref<1x8x17x17xf32>, %[[W:.*]]: memref<1x16x8x3x3xf32>, %[[O:.*]]: memref<1x16x8x8xf32>)
// SMALL: memref.subview %[[I]][0, %{{.*}}, %{{.*}}, 0] [1, 1, 3, 17] [1, 1, 1, 1]
// SMALL: memref.subview %[[W]][0, %{{.*}}, %{{.*}}, 0, 0] [1, 8, 1, 3, 3] [1, 1, 1, 1, 1]
// SMALL: memref.subview %[[O]][0, %{{.*}}, %{{.*}}, 0] [1, 8, 1, 8] [1, 1, 1, 1]
// SMALL: scf.for %[[T:.*]] = %{{.*}} to %c128 step
// SMALL: %[[NEXT:.*]] = arith.addi %[[T]], %c1
// SMALL: scf.if
// The output window moves every 8 tiles.
// SMALL: %[[R:.*]] = arith.remui %[[NEXT]], %c8
// SMALL: %[[C:.*]] = arith.cmpi eq, %[[R]], %c0
// SMALL: scf.if %[[C]] {
// SMALL: cluster.dma_start %{{.*}}, %{{.*}} : memref<1x8x1x8xf32, strided<[1024, 64, 8, 1], offset: ?>> to memref<1x8x1x8xf32, #pulptrain.memory<l1>>
// SMALL: }
// SMALL: cluster.dma_start %{{.*}}, %{{.*}} : memref<1x1x3x17xf32, strided<[2312, 289, 17, 1], offset: ?>> to memref<1x1x3x17xf32, #pulptrain.memory<l1>>
// SMALL: cluster.dma_start %{{.*}}, %{{.*}} : memref<1x8x1x3x3xf32, strided<[1152, 72, 9, 3, 1], offset: ?>> to memref<1x8x1x3x3xf32, #pulptrain.memory<l1>>
// SMALL: }
// SMALL: %[[OSLOT:.*]] = arith.divui %[[T]], %c8
// SMALL: arith.remui %[[OSLOT]], %c2
// SMALL: linalg.generic {{.*}} outs(%{{.*}} : memref<1x8x1x8xf32, strided<[64, 8, 8, 1], offset: ?>, #pulptrain.memory<l1>>)
// SMALL: %[[R2:.*]] = arith.remui %[[NEXT]], %c8
// SMALL: %[[C2:.*]] = arith.cmpi eq, %[[R2]], %c0
// SMALL: scf.if %[[C2]] {
// SMALL: cluster.dma_start %{{.*}}, %{{.*}} : memref<1x8x1x8xf32, #pulptrain.memory<l1>> to memref<1x8x1x8xf32, strided<[1024, 64, 8, 1], offset: ?>>
// SMALL: }
// SMALL: }
// SMALL: cluster.dma_wait
// SMALL-NEXT: return
#in = affine_map<(g, o, y, x, c, ky, kx) -> (g, c, y * 2 + ky, x * 2 + kx)>
#w = affine_map<(g, o, y, x, c, ky, kx) -> (g, o, c, ky, kx)>
#out = affine_map<(g, o, y, x, c, ky, kx) -> (g, o, y, x)>
func.func @conv(%i: memref<1x8x17x17xf32>, %w: memref<1x16x8x3x3xf32>, %o: memref<1x16x8x8xf32>) {
  linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%i, %w : memref<1x8x17x17xf32>, memref<1x16x8x3x3xf32>) outs(%o : memref<1x16x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// In f16 the reduction loops stay whole (the packed-pair kernels may sum
// a chunk in another order): at 8 KiB one parallel loop suffices (the
// output channels, the input copied whole); at 2 KiB the nest tiles output
// channels, rows and columns, and every window keeps the 8 input channels.

// CHECK-NOT: pulptrain.l1_tile_budget_preferred
// CHECK-LABEL: func.func @conv_f16(
// CHECK: cluster.dma_start %{{.*}}, %{{.*}} : memref<1x8x17x17xf16> to memref<1x8x17x17xf16, #pulptrain.memory<l1>>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c4
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : memref<1x8x17x17xf16, #pulptrain.memory<l1>>, memref<1x4x8x3x3xf16, {{.*}}>)
// Tiling no reduction, that nest has small tiles: the module records what
// one loop would need (the output channels, the input whole: 5,168 bytes),
// which pulptrain-run gives the tiles when it can take it from the state.
// SMALL: module attributes {pulptrain.l1_tile_budget_preferred = 5168 : i64}
// SMALL-LABEL: func.func @conv_f16(
// SMALL: scf.for %{{.*}} = %{{.*}} to %c64
// SMALL: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : memref<1x8x5x5xf16, {{.*}}>, memref<1x4x8x3x3xf16, {{.*}}>) outs(%{{.*}} : memref<1x4x2x2xf16, {{.*}}>)
#in = affine_map<(g, o, y, x, c, ky, kx) -> (g, c, y * 2 + ky, x * 2 + kx)>
#w = affine_map<(g, o, y, x, c, ky, kx) -> (g, o, c, ky, kx)>
#out = affine_map<(g, o, y, x, c, ky, kx) -> (g, o, y, x)>
func.func @conv_f16(%i: memref<1x8x17x17xf16>, %w: memref<1x16x8x3x3xf16>, %o: memref<1x16x8x8xf16>) {
  linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%i, %w : memref<1x8x17x17xf16>, memref<1x16x8x3x3xf16>) outs(%o : memref<1x16x8x8xf16>) {
  ^bb0(%a: f16, %b: f16, %acc: f16):
    %p = arith.mulf %a, %b : f16
    %s = arith.addf %acc, %p : f16
    linalg.yield %s : f16
  }
  return
}

// -----

// A constant index copies one element of its dimension: the window of %a
// is row 5 of its second dimension (a 64 KiB row of %a is above the budget,
// its window 256 B), and the copy's map indexes it from 0. The reduction
// loop is not tiled: the output's rows are.

// CHECK: #[[MA:.*]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-LABEL: func.func @constant_index(
// CHECK-SAME: %[[A:.*]]: memref<8x256x64xf32>, %[[B:.*]]: memref<64x8xf32>, %[[C:.*]]: memref<8x8xf32>)
// CHECK: cluster.dma_start %[[B]], %{{.*}} : memref<64x8xf32> to memref<64x8xf32, #pulptrain.memory<l1>>
// CHECK: memref.subview %[[A]][%{{.*}}, 5, 0] [4, 1, 64] [1, 1, 1]
// CHECK: scf.for %{{.*}} = %{{.*}} to %c2
// CHECK: linalg.generic {indexing_maps = [#[[MA]], #{{.*}}, #{{.*}}], {{.*}} ins(%{{.*}}, %{{.*}} : memref<4x1x64xf32, {{.*}}>, memref<64x8xf32, #pulptrain.memory<l1>>) outs(%{{.*}} : memref<4x8xf32, {{.*}}>)
#a = affine_map<(i, j, k) -> (i, 5, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>
func.func @constant_index(%a: memref<8x256x64xf32>, %b: memref<64x8xf32>, %c: memref<8x8xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<8x256x64xf32>, memref<64x8xf32>) outs(%c : memref<8x8xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A nest whose output is written, not read (the stride-2 index leaves no
// one-loop tile): the window of tile t-1 goes back after the wait that
// begins tile t, while tile t is computed; the last one (tile 7, slot 1)
// after the loop.

// CHECK-LABEL: func.func @subsample(
// CHECK-SAME: %[[X:.*]]: memref<64x64xf32>, %[[Y:.*]]: memref<32x32xf32>)
// CHECK: scf.for %[[T:.*]] = %{{.*}} to %c8{{.*}} step
// CHECK-NEXT: cluster.dma_wait
// CHECK: %[[STARTED:.*]] = arith.cmpi ugt, %[[T]], %c0
// CHECK-NEXT: scf.if %[[STARTED]] {
// CHECK: %[[PREV:.*]] = arith.subi %[[T]], %c1
// CHECK: memref.subview %[[Y]][%{{.*}}, 0] [4, 32] [1, 1]
// CHECK: arith.remui %[[PREV]], %c2
// CHECK: cluster.dma_start %{{.*}}, %{{.*}} : memref<4x32xf32, #pulptrain.memory<l1>> to memref<4x32xf32, strided<[32, 1], offset: ?>>
// CHECK-NEXT: }
// CHECK: linalg.generic
// CHECK: linalg.yield
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK: %[[C7:.*]] = arith.constant 7 : index
// CHECK: %[[ROW:.*]] = arith.muli %[[C7]], %c4
// CHECK: memref.subview %[[Y]][%[[ROW]], 0] [4, 32] [1, 1]
// CHECK: arith.remui %[[C7]], %c2
// CHECK: cluster.dma_start
// CHECK-NEXT: cluster.dma_wait
// CHECK-NEXT: return
#sub = affine_map<(y, x) -> (y * 2, x * 2)>
#id = affine_map<(y, x) -> (y, x)>
func.func @subsample(%x: memref<64x64xf32>, %y: memref<32x32xf32>) {
  linalg.generic {indexing_maps = [#sub, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<64x64xf32>) outs(%y : memref<32x32xf32>) {
  ^bb0(%a: f32, %b: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  }
  return
}
