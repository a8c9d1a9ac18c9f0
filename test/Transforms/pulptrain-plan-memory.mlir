// RUN: pulptrain-opt %s --split-input-file --allow-unregistered-dialect --pulptrain-plan-memory | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file --allow-unregistered-dialect --pulptrain-plan-memory="arena=auto l1-size=1024" | FileCheck %s --check-prefix=AUTO
// RUN: pulptrain-opt %s --split-input-file --allow-unregistered-dialect --pulptrain-plan-memory="arena=auto l1-size=256" | FileCheck %s --check-prefix=L2

// A chain of three temporaries: %a dies when %c is born, so %c reuses its
// memory; %b overlaps both. Largest first: %b (256 B) at 0, then %a and %c
// (64 B each) at 256.

// CHECK: module attributes {pulptrain.memory_plan = {arena_bytes = 320 : i64, arena_memory = "l2", chain = {arena_bytes = 320 : i64, argument_bytes = 128 : i64, buffers = 3 : i64}}}
// CHECK: memref.global "private" @__pulptrain_arena : memref<320xi8> = uninitialized {alignment = 16 : i64}
// CHECK-LABEL: func.func @chain
// CHECK: %[[ARENA:.*]] = memref.get_global @__pulptrain_arena : memref<320xi8>
// CHECK: %[[OA:.*]] = arith.constant 256 : index
// CHECK: %[[A:.*]] = memref.view %[[ARENA]][%[[OA]]][] : memref<320xi8> to memref<16xf32>
// CHECK: %[[OB:.*]] = arith.constant 0 : index
// CHECK: %[[B:.*]] = memref.view %[[ARENA]][%[[OB]]][] : memref<320xi8> to memref<64xf32>
// CHECK: %[[OC:.*]] = arith.constant 256 : index
// CHECK: %[[C:.*]] = memref.view %[[ARENA]][%[[OC]]][] : memref<320xi8> to memref<16xf32>
// CHECK-NOT: memref.alloc
// AUTO: pulptrain.memory_plan = {arena_bytes = 320 : i64, arena_memory = "l1"
// AUTO-SAME: pulptrain.sections = {__pulptrain_arena = ".l1_bss"}
// L2: module attributes {pulptrain.memory_plan = {arena_bytes = 320 : i64, arena_memory = "l2", chain = {arena_bytes = 320 : i64, argument_bytes = 128 : i64, buffers = 3 : i64}}} {
func.func @chain(%in: memref<16xf32>, %out: memref<16xf32>) {
  %a = memref.alloc() : memref<16xf32>
  linalg.copy ins(%in : memref<16xf32>) outs(%a : memref<16xf32>)
  %b = memref.alloc() : memref<64xf32>
  %bv = memref.subview %b[0] [16] [1] : memref<64xf32> to memref<16xf32, strided<[1]>>
  linalg.copy ins(%a : memref<16xf32>) outs(%bv : memref<16xf32, strided<[1]>>)
  %c = memref.alloc() : memref<16xf32>
  // The last use of %b is through its view %bv.
  linalg.copy ins(%bv : memref<16xf32, strided<[1]>>) outs(%c : memref<16xf32>)
  linalg.copy ins(%c : memref<16xf32>) outs(%out : memref<16xf32>)
  return
}

// -----

// Functions share the arena (they never run at the same time); a function
// calling another one of the module keeps its allocations, and dynamic
// buffers stay on the heap.

// CHECK: pulptrain.memory_plan = {arena_bytes = 64 : i64, arena_memory = "l2", f = {arena_bytes = 48 : i64, argument_bytes = 0 : i64, buffers = 1 : i64}, g = {arena_bytes = 64 : i64, argument_bytes = 0 : i64, buffers = 2 : i64}}
// CHECK: memref.global "private" @__pulptrain_arena : memref<64xi8>
// CHECK-LABEL: func.func @f
// CHECK: memref.view
// CHECK-LABEL: func.func @g
// CHECK: memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK-LABEL: func.func @caller
// CHECK: memref.alloc() : memref<4xf32>
func.func @f() {
  %a = memref.alloc() : memref<3x4xf32>
  "test.use"(%a) : (memref<3x4xf32>) -> ()
  return
}
func.func @g(%n: index) {
  %a = memref.alloc() : memref<8xf32>
  %b = memref.alloc() : memref<8xf32>
  "test.use"(%a, %b) : (memref<8xf32>, memref<8xf32>) -> ()
  %d = memref.alloc(%n) : memref<?xf32>
  "test.use"(%d) : (memref<?xf32>) -> ()
  return
}
func.func @caller() {
  %a = memref.alloc() : memref<4xf32>
  func.call @f() : () -> ()
  "test.use"(%a) : (memref<4xf32>) -> ()
  return
}
