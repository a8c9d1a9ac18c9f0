// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect --pulptrain-place-state="l2-size=1040 l3-size=4096" | FileCheck %s --check-prefix=FITS
// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect --pulptrain-place-state="l2-size=1039 l3-size=4096" | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect --pulptrain-place-state="l2-size=1039 l3-size=4096 external-state=true" | FileCheck %s --check-prefix=EXT
// RUN: not pulptrain-opt %s --split-input-file --allow-unregistered-dialect --pulptrain-place-state="l2-size=1039 l3-size=1024" 2>&1 | FileCheck %s --check-prefix=NOL3
// RUN: not pulptrain-opt %s --split-input-file --allow-unregistered-dialect --pulptrain-place-state="l2-size=1000 l3-size=4096" 2>&1 | FileCheck %s --check-prefix=NOL2

// The training state in L3 where it does not fit the L2 budget: an SGD
// step with a weight (1024 B, used by two ops, updated in place) and a
// frozen bias (16 B, one op). 1040 B of L2 hold both (FITS, nothing moves).
// With 1039 B the bias alone in L3 frees too little (the weight's 1024 B
// plus the bias's 16 B of staging), so both go to L3 and a staging buffer
// of 1024 B in L2 (the largest one op uses) takes their copies (CHECK).

// FITS: memory = "L2", name = "w"
// FITS: memory = "L2", name = "b"
// FITS-NOT: l3
// FITS-NOT: staging

// CHECK: {argument = 1 : i64, bytes = 1024 : i64, in_place = true, memory = "L3", name = "w", symbol = "__pulptrain_state_step_w", uses = 2 : i64}, {argument = 2 : i64, bytes = 16 : i64, in_place = true, memory = "L3", name = "b", symbol = "__pulptrain_state_step_b", uses = 1 : i64}
// CHECK: memref.global "private" @__pulptrain_state_step_w : memref<16x16xf32, #pulptrain.memory<l3>> = uninitialized {alignment = 16 : i64}
// CHECK: memref.global "private" @__pulptrain_state_step_b : memref<4xf32, #pulptrain.memory<l3>> = uninitialized {alignment = 16 : i64}
// CHECK: memref.global "private" @__pulptrain_state_step__l3_staging : memref<1024xi8> = uninitialized {alignment = 16 : i64}
// CHECK-LABEL: func.func @step_run(
// CHECK-DAG: %[[GW:.*]] = memref.get_global @__pulptrain_state_step_w : memref<16x16xf32, #pulptrain.memory<l3>>
// CHECK-DAG: %[[GB:.*]] = memref.get_global @__pulptrain_state_step_b : memref<4xf32, #pulptrain.memory<l3>>
// CHECK-DAG: %[[S:.*]] = memref.get_global @__pulptrain_state_step__l3_staging : memref<1024xi8>
// The reader: the weight staged in, its view rebuilt on the copy; the
// reader's effects are unknown, so the copy goes back after it.
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[W1:.*]] = memref.view %[[S]][%[[C0]]][] : memref<1024xi8> to memref<16x16xf32>
// CHECK: %[[T1:.*]] = cluster.l3_start %[[GW]], %[[W1]] : memref<16x16xf32, #pulptrain.memory<l3>> to memref<16x16xf32>
// CHECK: cluster.l3_wait on %[[T1]]
// CHECK: %[[F:.*]] = memref.collapse_shape %[[W1]] {{\[}}[0, 1]] : memref<16x16xf32> into memref<256xf32>
// CHECK: "test.read"(%[[F]], %{{.*}}, %{{.*}})
// CHECK: cluster.l3_start %[[W1]], %[[GW]] : memref<16x16xf32> to memref<16x16xf32, #pulptrain.memory<l3>>
// CHECK: cluster.l3_wait
// CHECK: %[[B1:.*]] = memref.view %[[S]][%{{.*}}][] : memref<1024xi8> to memref<4xf32>
// CHECK: cluster.l3_start %[[GB]], %[[B1]]
// CHECK: "test.use"(%[[B1]])
// The update reads and writes the weight in place: in before, out after.
// CHECK: %[[W3:.*]] = memref.view %[[S]][%{{.*}}][] : memref<1024xi8> to memref<16x16xf32>
// CHECK: %[[T3:.*]] = cluster.l3_start %[[GW]], %[[W3]]
// CHECK: cluster.l3_wait on %[[T3]]
// CHECK: linalg.generic {{.*}} ins(%[[W3]], %{{.*}} : memref<16x16xf32>, memref<16x16xf32>) outs(%[[W3]] : memref<16x16xf32>)
// CHECK: %[[T4:.*]] = cluster.l3_start %[[W3]], %[[GW]] : memref<16x16xf32> to memref<16x16xf32, #pulptrain.memory<l3>>
// CHECK-NEXT: cluster.l3_wait on %[[T4]]
// CHECK-NOT: memref.collapse_shape %[[GW]]
// CHECK: return
// @step_read and @step_init copy over the L3 channel.
// CHECK-LABEL: func.func @step_read(
// CHECK: cluster.l3_start %{{.*}}, %{{.*}} : memref<16x16xf32, #pulptrain.memory<l3>> to memref<16x16xf32>
// CHECK-NEXT: cluster.l3_wait
// CHECK-NEXT: return
// CHECK-LABEL: func.func @step_init(
// CHECK: cluster.l3_start %{{.*}}, %{{.*}} : memref<16x16xf32> to memref<16x16xf32, #pulptrain.memory<l3>>
// CHECK: cluster.l3_start %{{.*}}, %{{.*}} : memref<4xf32> to memref<4xf32, #pulptrain.memory<l3>>
// CHECK-NEXT: cluster.l3_wait
// CHECK-NEXT: return

// Initialised in place: the declarations in L3 that the program defines.
// EXT: memref.global @__pulptrain_state_step_w : memref<16x16xf32, #pulptrain.memory<l3>> {alignment = 16 : i64}
// EXT: memref.global @__pulptrain_state_step_b : memref<4xf32, #pulptrain.memory<l3>> {alignment = 16 : i64}
// EXT: memref.global "private" @__pulptrain_state_step__l3_staging : memref<1024xi8>

// NOL3: error: 'func.func' op training state does not fit L3: 1040 bytes of it must leave the L2 budget of 1039 bytes, L3 has 1024 bytes
// NOL2: error: 'func.func' op training state does not fit the L2 budget of 1000 bytes even with its buffers in L3: the buffers left in L2 and the L2 staging of those in L3 need 1024 bytes

#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @step(%x: memref<16xf32> {pulptrain.input = "x"},
                %w: memref<16x16xf32> {pulptrain.param = "w", pulptrain.trainable = true},
                %b: memref<4xf32> {pulptrain.param = "b", pulptrain.trainable = false},
                %loss: memref<f32> {pulptrain.loss},
                %new_w: memref<16x16xf32> {pulptrain.param = "w"}) {
  %flat = memref.collapse_shape %w [[0, 1]] : memref<16x16xf32> into memref<256xf32>
  "test.read"(%flat, %x, %loss) : (memref<256xf32>, memref<16xf32>, memref<f32>) -> ()
  "test.use"(%b) : (memref<4xf32>) -> ()
  %g = memref.alloc() : memref<16x16xf32>
  "test.grad"(%g) : (memref<16x16xf32>) -> ()
  linalg.generic {indexing_maps = [#id2, #id2, #id2],
                  iterator_types = ["parallel", "parallel"]}
      ins(%w, %g : memref<16x16xf32>, memref<16x16xf32>)
      outs(%new_w : memref<16x16xf32>) {
  ^bb0(%a: f32, %d: f32, %o: f32):
    %r = arith.subf %a, %d : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Not in place: the new value is written to a buffer of its own in L2
// before the old one is last read; the old value in L3 is staged for its
// readers only, and the new value goes to L3 over the channel at the end.
// (A frozen bias of 16 B makes the state 1040 B, as above.)

// CHECK: memory = "L3", name = "w"
// CHECK-LABEL: func.func @late_read_run(
// CHECK-DAG: %[[GW:.*]] = memref.get_global @__pulptrain_state_late_read_w : memref<256xf32, #pulptrain.memory<l3>>
// CHECK-DAG: %[[T:.*]] = memref.get_global @__pulptrain_state_late_read_w_next : memref<256xf32>
// CHECK: "test.grad"(%[[T]])
// CHECK: cluster.l3_start %[[GW]], %[[W1:.*]] : memref<256xf32, #pulptrain.memory<l3>> to memref<256xf32>
// CHECK: linalg.generic {{.*}} ins(%[[W1]], %[[T]] : memref<256xf32>, memref<256xf32>) outs(%[[T]] : memref<256xf32>)
// CHECK-NOT: cluster.l3_start %[[W1]]
// CHECK: %[[E:.*]] = cluster.l3_start %[[T]], %[[GW]] : memref<256xf32> to memref<256xf32, #pulptrain.memory<l3>>
// CHECK-NEXT: cluster.l3_wait on %[[E]]
// CHECK-NEXT: return

#id1 = affine_map<(d0) -> (d0)>
func.func @late_read(%w: memref<256xf32> {pulptrain.param = "w"},
                     %b: memref<4xf32> {pulptrain.param = "b"},
                     %loss: memref<f32> {pulptrain.loss},
                     %new_w: memref<256xf32> {pulptrain.param = "w"}) {
  "test.grad"(%new_w) : (memref<256xf32>) -> ()
  "test.use"(%b) : (memref<4xf32>) -> ()
  linalg.generic {indexing_maps = [#id1, #id1, #id1],
                  iterator_types = ["parallel"]}
      ins(%w, %new_w : memref<256xf32>, memref<256xf32>)
      outs(%new_w : memref<256xf32>) {
  ^bb0(%a: f32, %d: f32, %o: f32):
    %r = arith.subf %a, %d : f32
    linalg.yield %r : f32
  }
  return
}
