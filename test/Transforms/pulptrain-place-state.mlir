// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect --pulptrain-place-state="l1-size=4096" | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect --pulptrain-place-state="l1-size=1024" | FileCheck %s --check-prefix=SPILL
// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect --pulptrain-place-state | FileCheck %s --check-prefix=L2
// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect --pulptrain-place-state="l1-size=1024 external-state=true" | FileCheck %s --check-prefix=EXT

// An SGD step: the weight (1024 B, read by two ops, updated in place by the
// element-wise update) and a frozen bias (16 B). With 4096 B of L1 both are
// resident; with 1024 B only the weight, which saves more DMA per byte
// (2 ops + in and out against 1 op + in); with none, both are in L2.

// CHECK: module attributes {pulptrain.state_plan = {step = [{argument = 1 : i64, bytes = 1024 : i64, in_place = true, memory = "L1", name = "w", symbol = "__pulptrain_state_step_w", uses = 2 : i64}, {argument = 2 : i64, bytes = 16 : i64, in_place = true, memory = "L1", name = "b", symbol = "__pulptrain_state_step_b", uses = 1 : i64}]}}
// CHECK: memref.global "private" @__pulptrain_state_step_w : memref<16x16xf32, #pulptrain.memory<l1>> = uninitialized {alignment = 16 : i64}
// CHECK: memref.global "private" @__pulptrain_state_step_b : memref<4xf32, #pulptrain.memory<l1>> = uninitialized {alignment = 16 : i64}
// CHECK-LABEL: func.func @step(
// CHECK-SAME: %[[X:[a-z0-9]+]]: memref<16xf32> {pulptrain.input = "x"}, %[[W:[a-z0-9]+]]: memref<16x16xf32> {pulptrain.param = "w", pulptrain.trainable = true}, %[[B:[a-z0-9]+]]: memref<4xf32> {pulptrain.param = "b", pulptrain.trainable = false}, %[[L:[a-z0-9]+]]: memref<f32> {pulptrain.loss}, %[[NW:[a-z0-9]+]]: memref<16x16xf32> {pulptrain.param = "w"})
// CHECK-NEXT: call @step_init(%[[W]], %[[B]])
// CHECK-NEXT: call @step_run(%[[X]], %[[L]])
// CHECK-NEXT: call @step_read(%[[NW]])
// CHECK-NEXT: return
// CHECK-LABEL: func.func @step_run(
// CHECK-SAME: %[[RX:[a-z0-9]+]]: memref<16xf32> {pulptrain.input = "x"}, %[[RL:[a-z0-9]+]]: memref<f32> {pulptrain.loss})
// CHECK-DAG: %[[GW:.*]] = memref.get_global @__pulptrain_state_step_w : memref<16x16xf32, #pulptrain.memory<l1>>
// CHECK-DAG: %[[GB:.*]] = memref.get_global @__pulptrain_state_step_b : memref<4xf32, #pulptrain.memory<l1>>
// CHECK: memref.collapse_shape %[[GW]] {{.*}} into memref<256xf32, #pulptrain.memory<l1>>
// CHECK: "test.use"(%[[GB]])
// CHECK: linalg.generic {{.*}} ins(%[[GW]], %{{.*}} : memref<16x16xf32, #pulptrain.memory<l1>>, memref<16x16xf32>) outs(%[[GW]] : memref<16x16xf32, #pulptrain.memory<l1>>)
// CHECK-NOT: linalg.copy
// CHECK: return
// CHECK-LABEL: func.func @step_read(
// CHECK-SAME: %[[ONW:[a-z0-9]+]]: memref<16x16xf32> {pulptrain.param = "w"})
// CHECK: %[[G:.*]] = memref.get_global @__pulptrain_state_step_w
// CHECK: cluster.dma_start %[[G]], %[[ONW]] : memref<16x16xf32, #pulptrain.memory<l1>> to memref<16x16xf32>
// CHECK-NEXT: cluster.dma_wait
// CHECK-LABEL: func.func @step_init(
// CHECK-SAME: %[[IW:[a-z0-9]+]]: memref<16x16xf32> {pulptrain.param = "w", pulptrain.trainable = true}, %[[IB:[a-z0-9]+]]: memref<4xf32> {pulptrain.param = "b", pulptrain.trainable = false})
// CHECK: cluster.dma_start %[[IW]], %{{.*}} : memref<16x16xf32> to memref<16x16xf32, #pulptrain.memory<l1>>
// CHECK: cluster.dma_start %[[IB]], %{{.*}} : memref<4xf32> to memref<4xf32, #pulptrain.memory<l1>>
// CHECK-NEXT: cluster.dma_wait

// SPILL: {argument = 1 : i64, bytes = 1024 : i64, in_place = true, memory = "L1", name = "w", symbol = "__pulptrain_state_step_w", uses = 2 : i64}, {argument = 2 : i64, bytes = 16 : i64, in_place = true, memory = "L2", name = "b", symbol = "__pulptrain_state_step_b", uses = 1 : i64}
// SPILL: memref.global "private" @__pulptrain_state_step_w : memref<16x16xf32, #pulptrain.memory<l1>>
// SPILL: memref.global "private" @__pulptrain_state_step_b : memref<4xf32> =
// SPILL-LABEL: func.func @step_init(
// SPILL: cluster.dma_start
// SPILL: linalg.copy ins(%{{.*}} : memref<4xf32>) outs(%{{.*}} : memref<4xf32>)
// SPILL-NEXT: cluster.dma_wait

// Initialised in place: the state buffers are public declarations without
// an initial value (the program linking the step defines them), in the
// memory of the plan; only @step_run remains (no copies in or out, no @step).
// EXT: memref.global @__pulptrain_state_step_w : memref<16x16xf32, #pulptrain.memory<l1>> {alignment = 16 : i64}
// EXT: memref.global @__pulptrain_state_step_b : memref<4xf32> {alignment = 16 : i64}
// EXT-NOT: func.func @step(
// EXT-NOT: @step_init
// EXT-NOT: @step_read
// EXT-LABEL: func.func @step_run(
// EXT-SAME: memref<16xf32> {pulptrain.input = "x"}, %{{.*}}: memref<f32> {pulptrain.loss})
// EXT: memref.get_global @__pulptrain_state_step_w : memref<16x16xf32, #pulptrain.memory<l1>>
// EXT: linalg.generic
// EXT-NOT: @step_init
// EXT-NOT: @step_read
// EXT: // -----

// L2: memory = "L2", name = "w"
// L2: memory = "L2", name = "b"
// L2-LABEL: func.func @step_run(
// L2: linalg.generic {{.*}} ins(%[[GW:.*]], %{{.*}} : memref<16x16xf32>, memref<16x16xf32>) outs(%[[GW]] : memref<16x16xf32>)
// L2-LABEL: func.func @step_read(
// L2-NOT: cluster.dma_start
// L2: linalg.copy
// L2-NOT: cluster.dma_wait
// L2: return

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

// The new value is written (here: the weight gradient accumulated in the
// out-parameter, as bufferization does) before the old one is last read:
// not in place. The step writes the new value to a buffer of its own in
// L2, copied over the state at its end.

// CHECK: {argument = 0 : i64, bytes = 64 : i64, in_place = false, memory = "L1", name = "w", symbol = "__pulptrain_state_late_read_w", uses = 3 : i64}
// CHECK: memref.global "private" @__pulptrain_state_late_read_w_next : memref<16xf32> = uninitialized {alignment = 16 : i64}
// CHECK-LABEL: func.func @late_read_run(
// CHECK: %[[GW:.*]] = memref.get_global @__pulptrain_state_late_read_w : memref<16xf32, #pulptrain.memory<l1>>
// CHECK: %[[T:.*]] = memref.get_global @__pulptrain_state_late_read_w_next : memref<16xf32>
// CHECK: "test.grad"(%[[T]])
// CHECK: "test.read"(%[[GW]])
// CHECK: linalg.generic {{.*}} ins(%[[GW]], %[[T]] : memref<16xf32, #pulptrain.memory<l1>>, memref<16xf32>) outs(%[[T]] : memref<16xf32>)
// CHECK: linalg.copy ins(%[[T]] : memref<16xf32>) outs(%[[GW]] : memref<16xf32, #pulptrain.memory<l1>>)
// CHECK-NEXT: return

#id1 = affine_map<(d0) -> (d0)>
func.func @late_read(%w: memref<16xf32> {pulptrain.param = "w"},
                     %loss: memref<f32> {pulptrain.loss},
                     %new_w: memref<16xf32> {pulptrain.param = "w"}) {
  "test.grad"(%new_w) : (memref<16xf32>) -> ()
  "test.read"(%w) : (memref<16xf32>) -> ()
  linalg.generic {indexing_maps = [#id1, #id1, #id1],
                  iterator_types = ["parallel"]}
      ins(%w, %new_w : memref<16xf32>, memref<16xf32>)
      outs(%new_w : memref<16xf32>) {
  ^bb0(%a: f32, %d: f32, %o: f32):
    %r = arith.subf %a, %d : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Momentum: the weight and its momentum buffer are both state, updated in
// place by one element-wise op with two results. A buffer passed to a call
// keeps its type: it stays in L2 whatever the budget.

// CHECK: {argument = 0 : i64, bytes = 64 : i64, in_place = true, memory = "L1", name = "w", symbol = "__pulptrain_state_momentum_w", uses = 1 : i64}, {argument = 1 : i64, bytes = 64 : i64, in_place = true, memory = "L2", name = "w (momentum)", symbol = "__pulptrain_state_momentum_w__momentum_", uses = 2 : i64}
// CHECK-LABEL: func.func @momentum(
// CHECK-NEXT: call @momentum_init(%{{.*}}, %{{.*}}) : (memref<16xf32>, memref<16xf32>) -> ()
// CHECK-NEXT: call @momentum_run(%{{.*}}, %{{.*}}) : (memref<16xf32>, memref<f32>) -> ()
// CHECK-NEXT: call @momentum_read(%{{.*}}, %{{.*}}) : (memref<16xf32>, memref<16xf32>) -> ()
// CHECK-LABEL: func.func @momentum_run(
// CHECK-DAG: %[[W:.*]] = memref.get_global @__pulptrain_state_momentum_w : memref<16xf32, #pulptrain.memory<l1>>
// CHECK-DAG: %[[V:.*]] = memref.get_global @__pulptrain_state_momentum_w__momentum_ : memref<16xf32>
// CHECK: call @external(%[[V]])
// CHECK: linalg.generic {{.*}} ins(%[[W]], %[[V]], %{{.*}} : memref<16xf32, #pulptrain.memory<l1>>, memref<16xf32>, memref<16xf32>) outs(%[[W]], %[[V]] : memref<16xf32, #pulptrain.memory<l1>>, memref<16xf32>)

#id1 = affine_map<(d0) -> (d0)>
func.func private @external(memref<16xf32>)
func.func @momentum(%w: memref<16xf32> {pulptrain.param = "w"},
                    %v: memref<16xf32> {pulptrain.momentum = "w"},
                    %g: memref<16xf32>,
                    %loss: memref<f32> {pulptrain.loss},
                    %new_w: memref<16xf32> {pulptrain.param = "w"},
                    %new_v: memref<16xf32> {pulptrain.momentum = "w"}) {
  call @external(%v) : (memref<16xf32>) -> ()
  linalg.generic {indexing_maps = [#id1, #id1, #id1, #id1, #id1],
                  iterator_types = ["parallel"]}
      ins(%w, %v, %g : memref<16xf32>, memref<16xf32>, memref<16xf32>)
      outs(%new_w, %new_v : memref<16xf32>, memref<16xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32, %p: f32):
    %m = arith.addf %b, %c : f32
    %r = arith.subf %a, %m : f32
    linalg.yield %r, %m : f32, f32
  }
  return
}

// -----

// A forward model updates no state: it keeps its form.

// CHECK-LABEL: func.func @forward(
// CHECK-NOT: call
// CHECK: "test.read"
func.func @forward(%x: memref<4xf32> {pulptrain.input = "x"},
                   %w: memref<4xf32> {pulptrain.param = "w"}) {
  "test.read"(%x, %w) : (memref<4xf32>, memref<4xf32>) -> ()
  return
}

// -----

// expected-error @+1 {{'func.func' op argument #2 repeats the state 'w' (an updated value takes the type of its argument, once)}}
func.func @twice(%w: memref<4xf32> {pulptrain.param = "w"},
                 %a: memref<4xf32> {pulptrain.param = "w"},
                 %b: memref<4xf32> {pulptrain.param = "w"}) {
  return
}

// -----

// expected-error @+1 {{'func.func' op argument #1 repeats the state 'w' (an updated value takes the type of its argument, once)}}
func.func @mistyped(%w: memref<4xf32> {pulptrain.param = "w"},
                    %a: memref<8xf32> {pulptrain.param = "w"}) {
  return
}

// -----

// expected-error @+1 {{'func.func' op state argument #0 ('w') is not a static memref with the identity layout}}
func.func @dynamic(%w: memref<?xf32> {pulptrain.param = "w"},
                   %a: memref<?xf32> {pulptrain.param = "w"}) {
  return
}

// -----

// The loss, written by three ops (its initial value, its sum, its mean),
// is computed in a temporary and stored to the caller's buffer once.

// CHECK-LABEL: func.func @loss_run(
// CHECK-SAME: %[[L:[a-z0-9]+]]: memref<f32> {pulptrain.loss})
// CHECK: %[[T:.*]] = memref.alloc() : memref<f32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[T]] : memref<f32>)
// CHECK: linalg.generic {{.*}} outs(%[[T]] : memref<f32>)
// CHECK: linalg.generic {{.*}} ins(%[[T]] : memref<f32>) outs(%[[T]] : memref<f32>)
// CHECK: %[[V:.*]] = memref.load %[[T]][] : memref<f32>
// CHECK-NEXT: memref.store %[[V]], %[[L]][] : memref<f32>
// CHECK-NEXT: return
#sum_in = affine_map<(d0) -> (d0)>
#sum_out = affine_map<(d0) -> ()>
#scalar = affine_map<() -> ()>
func.func @loss(%w: memref<4xf32> {pulptrain.param = "w"},
                %loss: memref<f32> {pulptrain.loss},
                %new_w: memref<4xf32> {pulptrain.param = "w"}) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%loss : memref<f32>)
  linalg.generic {indexing_maps = [#sum_in, #sum_out],
                  iterator_types = ["reduction"]}
      ins(%w : memref<4xf32>) outs(%loss : memref<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %acc, %a : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#scalar, #scalar], iterator_types = []}
      ins(%loss : memref<f32>) outs(%loss : memref<f32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %zero : f32
    linalg.yield %m : f32
  }
  linalg.copy ins(%w : memref<4xf32>) outs(%new_w : memref<4xf32>)
  return
}
