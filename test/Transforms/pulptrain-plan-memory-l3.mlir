// RUN: pulptrain-opt %s --pulptrain-plan-memory="arena=l2 l2-arena-size=512 l3-size=4096" | FileCheck %s
// RUN: pulptrain-opt %s --pulptrain-plan-memory="arena=l2 l2-arena-size=768 l3-size=4096" | FileCheck %s --check-prefix=FITS
// RUN: pulptrain-opt %s --pulptrain-plan-memory="arena=auto l1-size=64 l2-arena-size=512 l3-size=4096" | FileCheck %s --check-prefix=AUTO
// RUN: not pulptrain-opt %s --pulptrain-plan-memory="arena=l2 l2-arena-size=512 l3-size=128" 2>&1 | FileCheck %s --check-prefix=L3FULL

// Temporaries that the L2 arena's budget cannot hold go to L3. %a (a saved
// activation: written first, read again at the end) is live at the peak,
// where %b and %c are used and 768 bytes are live; it is not used there,
// so it goes to the L3 arena. Around each op that uses it, a copy in the
// L2 arena: the first op writes the copy and sends it to L3 (nothing to
// fetch before it: the buffer holds nothing yet); the second only reads
// it (fetched, not written back); the last reads it (fetched). The L2
// arena then packs in 512 bytes.

// CHECK: pulptrain.memory_plan = {arena_bytes = 768 : i64, l1_arena_budget = 0 : i64, l1_arena_bytes = 0 : i64, l2_arena_bytes = 512 : i64, l3_arena_bytes = 256 : i64,
// CHECK-SAME: temporaries = [{bytes = 256 : i64, first = 3 : i64, last = 15 : i64, memory = "L3"
// CHECK-DAG: memref.global "private" @__pulptrain_arena : memref<512xi8, #pulptrain.memory<l2>>
// CHECK-DAG: memref.global "private" @__pulptrain_arena_l3 : memref<256xi8, #pulptrain.memory<l3>>
// CHECK-LABEL: func.func @stage
// CHECK: %[[L2:.*]] = memref.get_global @__pulptrain_arena :
// CHECK: %[[L3:.*]] = memref.get_global @__pulptrain_arena_l3 :
// CHECK: %[[A:.*]] = memref.view %[[L3]][%{{.*}}][] : memref<256xi8, #pulptrain.memory<l3>> to memref<64xf32, #pulptrain.memory<l3>>
// CHECK-NOT: cluster.l3_start
// CHECK: %[[A1:.*]] = memref.view %[[L2]]
// CHECK-NEXT: linalg.copy ins(%{{.*}} : memref<64xf32>) outs(%[[A1]] : memref<64xf32, #pulptrain.memory<l2>>)
// CHECK-NEXT: %[[T1:.*]] = cluster.l3_start %[[A1]], %[[A]] : memref<64xf32, #pulptrain.memory<l2>> to memref<64xf32, #pulptrain.memory<l3>>
// CHECK-NEXT: cluster.l3_wait on %[[T1]]
// CHECK: %[[B:.*]] = memref.view %[[L2]]
// CHECK: %[[A2:.*]] = memref.view %[[L2]]
// CHECK-NEXT: %[[T2:.*]] = cluster.l3_start %[[A]], %[[A2]] : memref<64xf32, #pulptrain.memory<l3>> to memref<64xf32, #pulptrain.memory<l2>>
// CHECK-NEXT: cluster.l3_wait on %[[T2]]
// CHECK-NEXT: linalg.copy ins(%[[A2]] : memref<64xf32, #pulptrain.memory<l2>>) outs(%[[B]] : memref<64xf32, #pulptrain.memory<l2>>)
// CHECK: %[[C:.*]] = memref.view %[[L2]]
// CHECK-NEXT: linalg.copy ins(%[[B]] : {{.*}}) outs(%[[C]] : {{.*}})
// CHECK: %[[A3:.*]] = memref.view %[[L2]]
// CHECK-NEXT: %[[T3:.*]] = cluster.l3_start %[[A]], %[[A3]]
// CHECK-NEXT: cluster.l3_wait on %[[T3]]
// The view of %a, rebuilt on the copy.
// CHECK-NEXT: %[[E:.*]] = memref.expand_shape %[[A3]] {{.*}} : memref<64xf32, #pulptrain.memory<l2>> into memref<8x8xf32, #pulptrain.memory<l2>>
// CHECK-NEXT: linalg.add ins(%[[E]], %{{.*}} : memref<8x8xf32, #pulptrain.memory<l2>>, memref<8x8xf32, #pulptrain.memory<l2>>)
// CHECK-NOT: cluster.l3_start
// CHECK: return

// Within the budget, nothing goes to L3.
// FITS: l2_arena_bytes = 768 : i64, l3_arena_bytes = 0 : i64
// FITS-NOT: @__pulptrain_arena_l3
// FITS-NOT: cluster.l3_start

// With arena=auto and an L1 too small for any buffer, the same plan: the
// copies are in L2 (the L3 channel reaches L2 only).
// AUTO: l1_arena_bytes = 0 : i64, l2_arena_bytes = 512 : i64, l3_arena_bytes = 256 : i64
// AUTO-SAME: memory = "L3"
// AUTO: cluster.l3_start %{{.*}}, %{{.*}} : memref<64xf32, #pulptrain.memory<l2>> to memref<64xf32, #pulptrain.memory<l3>>

// L3FULL: error: function @stage does not fit: its temporaries in L3 need 256 bytes, more than the 128 bytes of L3

func.func @stage(%in: memref<64xf32>, %out: memref<64xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
  linalg.copy ins(%in : memref<64xf32>) outs(%a : memref<64xf32>)
  %b = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
  linalg.copy ins(%a : memref<64xf32>) outs(%b : memref<64xf32>)
  %c = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
  linalg.copy ins(%b : memref<64xf32>) outs(%c : memref<64xf32>)
  %a2 = memref.expand_shape %a [[0, 1]] output_shape [8, 8] : memref<64xf32> into memref<8x8xf32>
  %c2 = memref.expand_shape %c [[0, 1]] output_shape [8, 8] : memref<64xf32> into memref<8x8xf32>
  %o2 = memref.expand_shape %out [[0, 1]] output_shape [8, 8] : memref<64xf32> into memref<8x8xf32>
  linalg.add ins(%a2, %c2 : memref<8x8xf32>, memref<8x8xf32>) outs(%o2 : memref<8x8xf32>)
  return
}
