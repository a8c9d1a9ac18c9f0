// RUN: pulptrain-opt %s --verify-roundtrip | FileCheck %s

// CHECK-LABEL: func.func private @kernel(
// CHECK: %[[ID:.*]] = cluster.core_id
// CHECK: %[[N:.*]] = cluster.num_cores
// CHECK: cluster.barrier
func.func private @kernel(%buf: memref<64xf32>, %tile: index) {
  %id = cluster.core_id
  %n = cluster.num_cores
  cluster.barrier
  return
}

// CHECK-LABEL: func.func @step(
// CHECK: cluster.fork @kernel(%{{.*}}, %{{.*}}) : memref<64xf32>, index
// The memory spaces of the two sides give the direction: L2 (none, or
// #pulptrain.memory<l2>) to L1, and L1 to L2.
// CHECK: %[[T0:.*]] = cluster.dma_start %{{.*}}, %{{.*}} : memref<4x16xf32, strided<[64, 1], offset: ?>> to memref<4x16xf32, #pulptrain.memory<l1>>
// CHECK: %[[T1:.*]] = cluster.dma_start %{{.*}}, %{{.*}} : memref<64xf32, #pulptrain.memory<l1>> to memref<64xf32, #pulptrain.memory<l2>>
// CHECK: cluster.dma_wait on %[[T0]], %[[T1]]
// CHECK: cluster.dma_wait{{$}}
// CHECK: cluster.profile_enter 3
// CHECK: cluster.profile_exit 3
func.func @step(%l2: memref<16x64xf32>, %l1: memref<4x16xf32, #pulptrain.memory<l1>>,
                %a: memref<64xf32, #pulptrain.memory<l1>>,
                %b: memref<64xf32, #pulptrain.memory<l2>>, %x: memref<64xf32>, %i: index) {
  cluster.fork @kernel(%x, %i) : memref<64xf32>, index
  %tile = memref.subview %l2[%i, 0] [4, 16] [1, 1]
      : memref<16x64xf32> to memref<4x16xf32, strided<[64, 1], offset: ?>>
  %t0 = cluster.dma_start %tile, %l1
      : memref<4x16xf32, strided<[64, 1], offset: ?>> to memref<4x16xf32, #pulptrain.memory<l1>>
  %t1 = cluster.dma_start %a, %b
      : memref<64xf32, #pulptrain.memory<l1>> to memref<64xf32, #pulptrain.memory<l2>>
  cluster.dma_wait on %t0, %t1
  cluster.dma_wait
  cluster.profile_enter 3
  cluster.profile_exit 3
  return
}

// A wait on all transfers followed by an op defining a value: the value is
// not read as a token of the wait.
// CHECK-LABEL: func.func @wait_all_then_value(
// CHECK: cluster.dma_wait{{$}}
// CHECK-NEXT: %[[C:.*]] = arith.constant 0 : index
// CHECK-NEXT: return %[[C]]
func.func @wait_all_then_value() -> index {
  cluster.dma_wait
  %c0 = arith.constant 0 : index
  return %c0 : index
}

// CHECK-LABEL: func.func @pairs(
// CHECK: %[[H:.*]] = cluster.dotpex %{{.*}}, %{{.*}}, %{{.*}} : vector<2xf16>
// CHECK: cluster.dotpex %{{.*}}, %{{.*}}, %[[H]] : vector<2xbf16>
func.func @pairs(%a: vector<2xf16>, %b: vector<2xf16>, %x: vector<2xbf16>,
                 %acc: f32) -> f32 {
  %h = cluster.dotpex %a, %b, %acc : vector<2xf16>
  %s = cluster.dotpex %x, %x, %h : vector<2xbf16>
  return %s : f32
}

// CHECK-LABEL: func.func @pack(
// CHECK: cluster.pack %{{.*}}, %{{.*}} : vector<2xf16>
// CHECK: cluster.pack %{{.*}}, %{{.*}} : vector<2xbf16>
func.func @pack(%x: f32, %y: f32) -> (vector<2xf16>, vector<2xbf16>) {
  %h = cluster.pack %x, %y : vector<2xf16>
  %b = cluster.pack %y, %x : vector<2xbf16>
  return %h, %b : vector<2xf16>, vector<2xbf16>
}

// The L3 channel: one side in L3, the other in L2 (with or without the
// memory space); tokens of its own.
// CHECK-LABEL: func.func @l3(
// CHECK: %[[T0:.*]] = cluster.l3_start %{{.*}}, %{{.*}} : memref<8x16xf32, #pulptrain.memory<l3>> to memref<8x16xf32>
// CHECK: %[[T1:.*]] = cluster.l3_start %{{.*}}, %{{.*}} : memref<8x16xf32, #pulptrain.memory<l2>> to memref<8x16xf32, #pulptrain.memory<l3>>
// CHECK: cluster.l3_wait on %[[T0]], %[[T1]]
// CHECK: cluster.l3_wait{{$}}
func.func @l3(%l3: memref<8x16xf32, #pulptrain.memory<l3>>, %l2: memref<8x16xf32>,
              %l2b: memref<8x16xf32, #pulptrain.memory<l2>>) {
  %t0 = cluster.l3_start %l3, %l2
      : memref<8x16xf32, #pulptrain.memory<l3>> to memref<8x16xf32>
  %t1 = cluster.l3_start %l2b, %l3
      : memref<8x16xf32, #pulptrain.memory<l2>> to memref<8x16xf32, #pulptrain.memory<l3>>
  cluster.l3_wait on %t0, %t1
  cluster.l3_wait
  return
}
