// RUN: pulptrain-opt %s --split-input-file --pulptrain-plan-memory="arena=auto l1-size=1024" | FileCheck %s --check-prefix=SPLIT
// RUN: pulptrain-opt %s --split-input-file --pulptrain-plan-memory="arena=auto l1-size=2048" | FileCheck %s --check-prefix=FITS
// RUN: pulptrain-opt %s --split-input-file --pulptrain-plan-memory="arena=auto l1-size=64" | FileCheck %s --check-prefix=NONE
// RUN: pulptrain-opt %s --split-input-file --pulptrain-plan-memory="arena=l2 l1-size=1024" | FileCheck %s --check-prefix=FORCED

// arena=auto buffer by buffer. %big (1 KiB) is written once and read
// once: 2 x (32 + 1024 / 8) = 320 DMA cycles in L2. %hot (64 B) is used by
// four ops, six transfers of 32 + 64 / 8 cycles: 240 cycles, far more per
// byte of L1 over its life. Both do not fit the 960 bytes of L1 that the
// training state (64 B) leaves of 1 KiB (1,088 bytes are live at once):
// %hot goes to the L1 arena, %big to the L2 arena. With 2 KiB both fit and
// the arena is all in L1, as one arena; with 64 B of L1, which the state
// takes, everything is in L2; arena=l2 forces L2.

// SPLIT: module attributes {pulptrain.memory_plan = {arena_bytes = 1088 : i64, l1_arena_budget = 960 : i64, l1_arena_bytes = 64 : i64, l2_arena_bytes = 1024 : i64, split = {arena_bytes = 1088 : i64, argument_bytes = 2176 : i64, buffers = 2 : i64, l1_arena_bytes = 64 : i64, l2_arena_bytes = 1024 : i64, live_bytes = 1088 : i64, temporaries = [{bytes = 1024 : i64, first = 1 : i64, last = 7 : i64, memory = "L2", name = "", offset = 0 : i64, saved_cycles = 320 : i64}, {bytes = 64 : i64, first = 3 : i64, last = 6 : i64, memory = "L1", name = "", offset = 0 : i64, saved_cycles = 240 : i64}]}}}
// SPLIT-DAG: memref.global "private" @__pulptrain_arena : memref<64xi8, #pulptrain.memory<l1>> = uninitialized {alignment = 16 : i64}
// SPLIT-DAG: memref.global "private" @__pulptrain_arena_l2 : memref<1024xi8, #pulptrain.memory<l2>> = uninitialized {alignment = 16 : i64}
// SPLIT-LABEL: func.func @split
// SPLIT: %[[L1:.*]] = memref.get_global @__pulptrain_arena : memref<64xi8, #pulptrain.memory<l1>>
// SPLIT: %[[L2:.*]] = memref.get_global @__pulptrain_arena_l2 : memref<1024xi8, #pulptrain.memory<l2>>
// SPLIT: %[[BIG:.*]] = memref.view %[[L2]][%{{.*}}][] : memref<1024xi8, #pulptrain.memory<l2>> to memref<256xf32, #pulptrain.memory<l2>>
// SPLIT: linalg.copy ins(%{{.*}} : memref<256xf32>) outs(%[[BIG]] : memref<256xf32, #pulptrain.memory<l2>>)
// SPLIT: %[[HOT:.*]] = memref.view %[[L1]][%{{.*}}][] : memref<64xi8, #pulptrain.memory<l1>> to memref<16xf32, #pulptrain.memory<l1>>
// SPLIT: linalg.copy ins(%{{.*}} : memref<16xf32>) outs(%[[HOT]] : memref<16xf32, #pulptrain.memory<l1>>)
// SPLIT: linalg.generic {{.*}} outs(%[[HOT]] : memref<16xf32, #pulptrain.memory<l1>>)
// SPLIT: linalg.generic {{.*}} outs(%[[HOT]] : memref<16xf32, #pulptrain.memory<l1>>)
// SPLIT: linalg.copy ins(%[[HOT]] : memref<16xf32, #pulptrain.memory<l1>>) outs(%{{.*}} : memref<16xf32>)
// SPLIT: linalg.copy ins(%[[BIG]] : memref<256xf32, #pulptrain.memory<l2>>) outs(%{{.*}} : memref<256xf32>)

// FITS: {arena_bytes = 1088 : i64, l1_arena_budget = 1984 : i64, l1_arena_bytes = 1088 : i64, l2_arena_bytes = 0 : i64,
// FITS: memory = "L1"
// FITS-SAME: memory = "L1"
// FITS: memref.global "private" @__pulptrain_arena : memref<1088xi8, #pulptrain.memory<l1>>
// FITS-NOT: @__pulptrain_arena_l2
// FITS-LABEL: func.func @split
// FITS-NOT: #pulptrain.memory<l2>
// FITS: return

// NONE: {arena_bytes = 1088 : i64, l1_arena_budget = 0 : i64, l1_arena_bytes = 0 : i64, l2_arena_bytes = 1088 : i64,
// NONE: memory = "L2"
// NONE-SAME: memory = "L2"
// NONE: memref.global "private" @__pulptrain_arena : memref<1088xi8, #pulptrain.memory<l2>>
// NONE-LABEL: func.func @split
// NONE-NOT: #pulptrain.memory<l1>
// NONE: return

// FORCED: memref.global "private" @__pulptrain_arena : memref<1088xi8, #pulptrain.memory<l2>>
// FORCED-LABEL: func.func @split
// FORCED-NOT: #pulptrain.memory<l1>
// FORCED: return
module {
memref.global "private" @__pulptrain_state_split_w : memref<16xf32, #pulptrain.memory<l1>> = uninitialized
func.func @split(%in: memref<256xf32>, %x: memref<16xf32>, %y: memref<16xf32>,
                 %out: memref<256xf32>) {
  %big = memref.alloc() : memref<256xf32>
  linalg.copy ins(%in : memref<256xf32>) outs(%big : memref<256xf32>)
  %hot = memref.alloc() : memref<16xf32>
  linalg.copy ins(%x : memref<16xf32>) outs(%hot : memref<16xf32>)
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>],
                  iterator_types = ["parallel"]}
      outs(%hot : memref<16xf32>) {
  ^bb0(%v: f32):
    %d = arith.addf %v, %v : f32
    linalg.yield %d : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>],
                  iterator_types = ["parallel"]}
      outs(%hot : memref<16xf32>) {
  ^bb0(%v: f32):
    %d = arith.mulf %v, %v : f32
    linalg.yield %d : f32
  }
  linalg.copy ins(%hot : memref<16xf32>) outs(%y : memref<16xf32>)
  linalg.copy ins(%big : memref<256xf32>) outs(%out : memref<256xf32>)
  return
}
}

// -----

// Buffers that one loop carries share one memory: the loop's value may be
// %a or %b. %a alone (1 KiB, used by three ops) would fit the L1 budget,
// but not with %b: both go to the L2 arena; %c goes to L1.

// SPLIT-LABEL: func.func @carried
// SPLIT-DAG: %[[L1:.*]] = memref.get_global @__pulptrain_arena : memref<64xi8, #pulptrain.memory<l1>>
// SPLIT-DAG: %[[L2:.*]] = memref.get_global @__pulptrain_arena_l2 : memref<2048xi8, #pulptrain.memory<l2>>
// SPLIT: %[[A:.*]] = memref.view %[[L2]]{{.*}} to memref<256xf32, #pulptrain.memory<l2>>
// SPLIT: %[[B:.*]] = memref.view %[[L2]]{{.*}} to memref<256xf32, #pulptrain.memory<l2>>
// SPLIT: scf.for {{.*}} iter_args(%{{.*}} = %[[A]]) -> (memref<256xf32, #pulptrain.memory<l2>>)
// SPLIT: scf.yield %[[B]] : memref<256xf32, #pulptrain.memory<l2>>
// SPLIT: %[[C:.*]] = memref.view %[[L1]]{{.*}} to memref<16xf32, #pulptrain.memory<l1>>
// SPLIT: linalg.copy ins(%{{.*}} : memref<16xf32>) outs(%[[C]] : memref<16xf32, #pulptrain.memory<l1>>)
func.func @carried(%x: memref<256xf32>, %y: memref<256xf32>,
                   %u: memref<16xf32>, %v: memref<16xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = memref.alloc() : memref<256xf32>
  linalg.copy ins(%x : memref<256xf32>) outs(%a : memref<256xf32>)
  %b = memref.alloc() : memref<256xf32>
  linalg.copy ins(%x : memref<256xf32>) outs(%b : memref<256xf32>)
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%p = %a) -> (memref<256xf32>) {
    linalg.copy ins(%p : memref<256xf32>) outs(%y : memref<256xf32>)
    scf.yield %b : memref<256xf32>
  }
  linalg.copy ins(%r : memref<256xf32>) outs(%y : memref<256xf32>)
  %c = memref.alloc() : memref<16xf32>
  linalg.copy ins(%u : memref<16xf32>) outs(%c : memref<16xf32>)
  linalg.copy ins(%c : memref<16xf32>) outs(%v : memref<16xf32>)
  return
}
