// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --pulptrain-tile-l1="budget=32768" | FileCheck %s

// 48 KiB of operands do not fit 32 KiB: the rows of %a and %c are tiled
// (16 rows: 2 x 4 KiB each, double-buffered), %b (16 KiB) is copied once.
// The arguments are in L2 (no memory space); the tile space and every view
// of it are typed in L1, and the DMA copies between the two.

// CHECK-NOT: pulptrain.sections
// CHECK: memref.global "private" @__pulptrain_l1_tiles : memref<32768xi8, #pulptrain.memory<l1>> = uninitialized {alignment = 16 : i64}
// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[A:.*]]: memref<64x64xf32>, %[[B:.*]]: memref<64x64xf32>, %[[C:.*]]: memref<64x64xf32>)
// CHECK: %[[TILES:.*]] = memref.get_global @__pulptrain_l1_tiles : memref<32768xi8, #pulptrain.memory<l1>>
// CHECK: %[[LB:.*]] = memref.view %[[TILES]][%c8192][] : memref<32768xi8, #pulptrain.memory<l1>> to memref<64x64xf32, #pulptrain.memory<l1>>
// CHECK: cluster.dma_start %[[B]], %[[LB]] : memref<64x64xf32> to memref<64x64xf32, #pulptrain.memory<l1>>
// CHECK: %[[A0:.*]] = memref.subview %[[A]][%{{.*}}, 0] [16, 64] [1, 1] : memref<64x64xf32> to memref<16x64xf32, strided<[64, 1], offset: ?>>
// CHECK: cluster.dma_start %[[A0]], %{{.*}} : memref<16x64xf32, strided<[64, 1], offset: ?>> to memref<16x64xf32, #pulptrain.memory<l1>>
// CHECK: cluster.dma_start %{{.*}}, %{{.*}} : memref<16x64xf32, strided<[64, 1], offset: ?>> to memref<16x64xf32, #pulptrain.memory<l1>>
// CHECK: scf.for %[[T:.*]] = %{{.*}} to %c4 step
// CHECK: %[[SLOT:.*]] = arith.remui %[[T]], %c2
// CHECK: cluster.dma_wait
// CHECK: scf.if
// CHECK-COUNT-2: cluster.dma_start {{.*}} to memref<16x64xf32, #pulptrain.memory<l1>>
// CHECK: }
// The two slots of %a's tiles are one view; this iteration's is a subview.
// CHECK: %[[PA:.*]] = memref.view %[[TILES]][%c0{{.*}}][] : memref<32768xi8, #pulptrain.memory<l1>> to memref<2x16x64xf32, #pulptrain.memory<l1>>
// CHECK: %[[TA:.*]] = memref.subview %[[PA]][%[[SLOT]], 0, 0] [1, 16, 64] [1, 1, 1] : memref<2x16x64xf32, #pulptrain.memory<l1>> to memref<16x64xf32, strided<[64, 1], offset: ?>, #pulptrain.memory<l1>>
// CHECK: %[[TB:.*]] = memref.view %[[TILES]][%c8192{{.*}}][] : memref<32768xi8, #pulptrain.memory<l1>> to memref<64x64xf32, #pulptrain.memory<l1>>
// CHECK: %[[PC:.*]] = memref.view %[[TILES]][%c24576{{.*}}][] : memref<32768xi8, #pulptrain.memory<l1>> to memref<2x16x64xf32, #pulptrain.memory<l1>>
// CHECK: %[[TC:.*]] = memref.subview %[[PC]][%[[SLOT]], 0, 0]
// CHECK: linalg.matmul ins(%[[TA]], %[[TB]] : memref<16x64xf32, strided<[64, 1], offset: ?>, #pulptrain.memory<l1>>, memref<64x64xf32, #pulptrain.memory<l1>>) outs(%[[TC]] : memref<16x64xf32, strided<[64, 1], offset: ?>, #pulptrain.memory<l1>>)
// CHECK: %[[CT:.*]] = memref.subview %[[C]][%{{.*}}, 0] [16, 64] [1, 1]
// CHECK: cluster.dma_start %{{.*}}, %[[CT]] : memref<16x64xf32, #pulptrain.memory<l1>> to memref<16x64xf32, strided<[64, 1], offset: ?>>
// CHECK: }
// CHECK: cluster.dma_wait
// CHECK-NOT: linalg.matmul
func.func @matmul(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  linalg.matmul ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>) outs(%c : memref<64x64xf32>)
  return
}

// -----

// Tiles of an inner dimension are rows at the L2 array's stride: the DMA
// moves them as one strided 2-D transfer (2 rows of 1024 elements, 4096
// apart).

// CHECK-LABEL: func.func @columns(
// CHECK-SAME: %[[X:.*]]: memref<2x4096xf32>, %[[Y:.*]]: memref<2x4096xf32>)
// CHECK: %[[X0:.*]] = memref.subview %[[X]][0, %{{.*}}] [2, 1024] [1, 1] : memref<2x4096xf32> to memref<2x1024xf32, strided<[4096, 1], offset: ?>>
// CHECK: cluster.dma_start %[[X0]], %{{.*}} : memref<2x1024xf32, strided<[4096, 1], offset: ?>> to memref<2x1024xf32, #pulptrain.memory<l1>>
// CHECK: scf.for
// CHECK: %[[YT:.*]] = memref.subview %[[Y]][0, %{{.*}}] [2, 1024] [1, 1]
// CHECK: cluster.dma_start %{{.*}}, %[[YT]] : memref<2x1024xf32, #pulptrain.memory<l1>> to memref<2x1024xf32, strided<[4096, 1], offset: ?>>
#cols = affine_map<(i, j) -> (i, j)>
func.func @columns(%x: memref<2x4096xf32>, %y: memref<2x4096xf32>) {
  linalg.generic {indexing_maps = [#cols, #cols], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<2x4096xf32>) outs(%y : memref<2x4096xf32>) {
  ^bb0(%a: f32, %b: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Operands that fit are copied whole; the output is only written, so it is
// not copied in. A buffer of an arena planned into L1 (its type says so)
// stays where it is, and so does a view of a constant global (read in place
// from L2); an explicit #pulptrain.memory<l2> is L2 like no memory space.

// CHECK-LABEL: func.func @whole(
// CHECK-SAME: %[[X:.*]]: memref<16x16xf32, #pulptrain.memory<l2>>, %[[Y:.*]]: memref<16x16xf32>)
// CHECK: %[[LOCAL:.*]] = memref.view %{{.*}}[%c0][] : memref<1024xi8, #pulptrain.memory<l1>> to memref<16x16xf32, #pulptrain.memory<l1>>
// CHECK: %[[K:.*]] = memref.get_global @k : memref<16x16xf32>
// CHECK: cluster.dma_start %[[X]], %{{.*}} : memref<16x16xf32, #pulptrain.memory<l2>> to memref<16x16xf32, #pulptrain.memory<l1>>
// CHECK-NEXT: cluster.dma_wait
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[LOCAL]], %[[K]] : memref<16x16xf32, #pulptrain.memory<l1>>, memref<16x16xf32, #pulptrain.memory<l1>>, memref<16x16xf32>) outs(%{{.*}} : memref<16x16xf32, #pulptrain.memory<l1>>)
// CHECK: cluster.dma_start %{{.*}}, %[[Y]] : memref<16x16xf32, #pulptrain.memory<l1>> to memref<16x16xf32>
// CHECK-NEXT: cluster.dma_wait
#id = affine_map<(i, j) -> (i, j)>
memref.global "private" @__pulptrain_arena : memref<1024xi8, #pulptrain.memory<l1>> = uninitialized
memref.global "private" constant @k : memref<16x16xf32> = dense<1.0>
func.func @whole(%x: memref<16x16xf32, #pulptrain.memory<l2>>, %y: memref<16x16xf32>) {
  %c0 = arith.constant 0 : index
  %g = memref.get_global @__pulptrain_arena : memref<1024xi8, #pulptrain.memory<l1>>
  %l = memref.view %g[%c0][] : memref<1024xi8, #pulptrain.memory<l1>> to memref<16x16xf32, #pulptrain.memory<l1>>
  %k = memref.get_global @k : memref<16x16xf32>
  linalg.generic {indexing_maps = [#id, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %l, %k : memref<16x16xf32, #pulptrain.memory<l2>>, memref<16x16xf32, #pulptrain.memory<l1>>, memref<16x16xf32>)
      outs(%y : memref<16x16xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %t = arith.addf %s, %c : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// An op with an operand in a memory space of another kind is left alone.

// CHECK-LABEL: func.func @other_memory(
// CHECK-NOT: cluster.dma_start
// CHECK: linalg.copy
func.func @other_memory(%x: memref<16xf32, 3>, %y: memref<16xf32>) {
  linalg.copy ins(%x : memref<16xf32, 3>) outs(%y : memref<16xf32>)
  return
}

// -----

// Not even one row fits, and an f16 reduction is not tiled: the error
// names the layer and the step.
#in = affine_map<(i, k) -> (i, k)>
#out = affine_map<(i, k) -> (i)>
func.func @too_big(%a: memref<4x16384xf16>, %b: memref<4xf16>) {
  // expected-error @below {{'linalg.generic' op does not fit in L1 of layer 'fc' (wgt_grad): its smallest tile needs 65552 bytes, the L1 tile budget is 32768 bytes}}
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<4x16384xf16>) outs(%b : memref<4xf16>)
      attrs = {pulptrain.layer = "fc", pulptrain.phase = "wgt_grad"} {
  ^bb0(%x: f16, %acc: f16):
    %s = arith.addf %x, %acc : f16
    linalg.yield %s : f16
  }
  return
}

// -----

// The same op in f32: a nest of its parallel loop and its reduction loop
// (2 rows x 1024 elements of %a per tile, double-buffered: 4 rows would
// leave no room for the output); each 2-element window of the output stays
// in L1 while its 16 tiles accumulate into it, in the order of the untiled
// loop, then is written back.

// CHECK-LABEL: func.func @reduction(
// CHECK-SAME: %[[A:.*]]: memref<4x16384xf32>, %[[B:.*]]: memref<4xf32>)
// CHECK: memref.subview %[[A]][%{{.*}}, %{{.*}}] [2, 1024] [1, 1]
// CHECK: memref.subview %[[B]][%{{.*}}] [2] [1]
// CHECK: scf.for %[[T:.*]] = %{{.*}} to %c32 step
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : memref<2x1024xf32, strided<[1024, 1], offset: ?>, #pulptrain.memory<l1>>) outs(%{{.*}} : memref<2xf32, strided<[1], offset: ?>, #pulptrain.memory<l1>>)
// CHECK: %[[R:.*]] = arith.remui %{{.*}}, %c16
// CHECK: %[[C:.*]] = arith.cmpi eq, %[[R]], %c0
// CHECK: scf.if %[[C]] {
// CHECK: cluster.dma_start %{{.*}}, %{{.*}} : memref<2xf32, #pulptrain.memory<l1>> to memref<2xf32, strided<[1], offset: ?>>
#in = affine_map<(i, k) -> (i, k)>
#out = affine_map<(i, k) -> (i)>
func.func @reduction(%a: memref<4x16384xf32>, %b: memref<4xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<4x16384xf32>) outs(%b : memref<4xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %x, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// The same f32 op marked pulptrain.f32_accumulator (a reduction rounded in
// its epilogue carries its sum across the whole reduction): its reduction
// loop is not tiled, so one row does not fit.
#in = affine_map<(i, k) -> (i, k)>
#out = affine_map<(i, k) -> (i)>
func.func @marked(%a: memref<4x16384xf32>, %b: memref<4xf32>) {
  // expected-error @below {{'linalg.generic' op does not fit in L1: its smallest tile needs}}
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<4x16384xf32>) outs(%b : memref<4xf32>)
      attrs = {pulptrain.f32_accumulator} {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %x, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// No parallel loop to tile (an f16 reduction is not tiled): the error says
// so.
#all = affine_map<(k) -> (k)>
#none = affine_map<(k) -> ()>
func.func @untileable(%a: memref<16384xf16>, %b: memref<f16>) {
  // expected-error @below {{'linalg.generic' op does not fit in L1: its 32784-byte working set cannot be tiled, the L1 tile budget is 32768 bytes}}
  linalg.generic {indexing_maps = [#all, #none], iterator_types = ["reduction"]}
      ins(%a : memref<16384xf16>) outs(%b : memref<f16>) {
  ^bb0(%x: f16, %acc: f16):
    %s = arith.addf %x, %acc : f16
    linalg.yield %s : f16
  }
  return
}

// -----

// A tiled operand must span the loop it is tiled along: an output with a
// zero-sized dimension under a 4-iteration loop is not tiled along it (it
// was a division by zero, found by bench/fuzz).

#zin = affine_map<(i, k) -> (i, k)>
#zout = affine_map<(i, k) -> (i)>
func.func @zero(%a: memref<4x16384xf32>, %b: memref<0xf32>) {
  // expected-error @below {{'linalg.generic' op does not fit in L1: its 262144-byte working set cannot be tiled, the L1 tile budget is 32768 bytes}}
  linalg.generic {indexing_maps = [#zin, #zout], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<4x16384xf32>) outs(%b : memref<0xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %x, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// An operand that is a static strided window of a larger L2 buffer (the
// interior of a padded feature map) is copied like any other: the DMA moves
// it as one 2-D transfer per channel (rows of 16 elements, 18 apart; the
// channels are 324 apart), in a loop over the channels, instead of the op
// storing every element to L2 one by one.

// CHECK-LABEL: func.func @padded_interior(
// CHECK-SAME: %[[X:.*]]: memref<4x16x16xf16>, %[[P:.*]]: memref<4x18x18xf16>)
// CHECK: %[[IN:.*]] = memref.subview %[[P]][0, 1, 1] [4, 16, 16] [1, 1, 1]
// CHECK: cluster.dma_start %[[X]], %{{.*}} : memref<4x16x16xf16> to memref<4x16x16xf16, #pulptrain.memory<l1>>
// CHECK: linalg.copy ins(%{{.*}} : memref<4x16x16xf16, #pulptrain.memory<l1>>) outs(%[[L1:.*]] : memref<4x16x16xf16, #pulptrain.memory<l1>>)
// CHECK: scf.for %[[C:.*]] = %{{.*}} to %c4 step %c1
// CHECK: %[[ROWS:.*]] = memref.subview %[[IN]][%[[C]], 0, 0] [1, 16, 16] [1, 1, 1] : memref<4x16x16xf16, strided<[324, 18, 1], offset: 19>> to memref<1x16x16xf16, strided<[324, 18, 1], offset: ?>>
// CHECK: cluster.dma_start %{{.*}}, %[[ROWS]] : memref<1x16x16xf16, strided<[256, 16, 1], offset: ?>, #pulptrain.memory<l1>> to memref<1x16x16xf16, strided<[324, 18, 1], offset: ?>>
// CHECK: cluster.dma_wait
func.func @padded_interior(%x: memref<4x16x16xf16>, %p: memref<4x18x18xf16>) {
  %in = memref.subview %p[0, 1, 1] [4, 16, 16] [1, 1, 1] : memref<4x18x18xf16> to memref<4x16x16xf16, strided<[324, 18, 1], offset: 19>>
  linalg.copy ins(%x : memref<4x16x16xf16>) outs(%in : memref<4x16x16xf16, strided<[324, 18, 1], offset: 19>>)
  return
}

// -----

// The same window when the op does not fit whole (64 KiB of operands): the
// tiles of 4 channels of it go out as one 2-D transfer per channel of the
// tile, from the tile's slot in L1 to that channel's rows in L2.

// CHECK-LABEL: func.func @padded_interior_tiled(
// CHECK-SAME: %[[X:.*]]: memref<16x32x32xf16>, %[[P:.*]]: memref<16x34x34xf16>)
// CHECK: %[[IN:.*]] = memref.subview %[[P]][0, 1, 1] [16, 32, 32] [1, 1, 1]
// CHECK: scf.for
// CHECK: linalg.copy ins(%{{.*}} : memref<4x32x32xf16, strided<[1024, 32, 1], offset: ?>, #pulptrain.memory<l1>>)
// CHECK: %[[T:.*]] = memref.subview %[[IN]][%{{.*}}, 0, 0] [4, 32, 32] [1, 1, 1] : memref<16x32x32xf16, strided<[1156, 34, 1], offset: 35>> to memref<4x32x32xf16, strided<[1156, 34, 1], offset: ?>>
// CHECK: scf.for %[[C:.*]] = %{{.*}} to %c4{{.*}} step
// CHECK: %[[ROWS:.*]] = memref.subview %[[T]][%[[C]], 0, 0] [1, 32, 32] [1, 1, 1]
// CHECK: cluster.dma_start %{{.*}}, %[[ROWS]] : memref<1x32x32xf16, strided<[1024, 32, 1], offset: ?>, #pulptrain.memory<l1>> to memref<1x32x32xf16, strided<[1156, 34, 1], offset: ?>>
func.func @padded_interior_tiled(%x: memref<16x32x32xf16>, %p: memref<16x34x34xf16>) {
  %in = memref.subview %p[0, 1, 1] [16, 32, 32] [1, 1, 1] : memref<16x34x34xf16> to memref<16x32x32xf16, strided<[1156, 34, 1], offset: 35>>
  linalg.copy ins(%x : memref<16x32x32xf16>) outs(%in : memref<16x32x32xf16, strided<[1156, 34, 1], offset: 35>>)
  return
}

// -----

// A tiled output that is not read: tile t-1 goes back after the wait that
// begins tile t (while tile t is computed), the last tile after the loop.
// (@matmul above reads its output, %c: its tile goes back at the end of
// its own iteration.)

// CHECK-LABEL: func.func @overlapped_write_back(
// CHECK-SAME: %[[X:.*]]: memref<64x256xf32>, %[[Y:.*]]: memref<64x256xf32>)
// CHECK: scf.for %[[T:.*]] = %{{.*}} to %c8{{.*}} step
// CHECK: %[[SLOT:.*]] = arith.remui %[[T]], %c2
// CHECK: %[[OTHER:.*]] = arith.subi %c1{{.*}}, %[[SLOT]]
// CHECK-NEXT: cluster.dma_wait
// CHECK: %[[STARTED:.*]] = arith.cmpi ugt, %[[T]], %c0
// CHECK-NEXT: scf.if %[[STARTED]] {
// CHECK: %[[PREV:.*]] = arith.subi %[[T]], %c1
// CHECK: arith.muli %[[OTHER]], %c8192
// CHECK: arith.muli %[[PREV]], %c8
// CHECK: %[[YT:.*]] = memref.subview %[[Y]][%{{.*}}, 0] [8, 256] [1, 1]
// CHECK-NEXT: %[[LT:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<32768xi8, #pulptrain.memory<l1>> to memref<8x256xf32, #pulptrain.memory<l1>>
// CHECK-NEXT: cluster.dma_start %[[LT]], %[[YT]] : memref<8x256xf32, #pulptrain.memory<l1>> to memref<8x256xf32, strided<[256, 1], offset: ?>>
// CHECK-NEXT: }
// CHECK: scf.if
// CHECK: cluster.dma_start %{{.*}} to memref<8x256xf32, #pulptrain.memory<l1>>
// CHECK: linalg.generic
// CHECK: linalg.yield
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK: %[[C7:.*]] = arith.constant 7 : index
// CHECK: arith.muli %[[C7]], %c8
// CHECK: %[[LAST:.*]] = memref.subview %[[Y]][%{{.*}}, 0] [8, 256] [1, 1]
// CHECK: cluster.dma_start %{{.*}}, %[[LAST]]
// CHECK-NEXT: cluster.dma_wait
// CHECK-NEXT: return
#id = affine_map<(i, j) -> (i, j)>
func.func @overlapped_write_back(%x: memref<64x256xf32>, %y: memref<64x256xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<64x256xf32>) outs(%y : memref<64x256xf32>) {
  ^bb0(%a: f32, %b: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  }
  return
}
