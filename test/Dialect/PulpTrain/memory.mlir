// RUN: pulptrain-opt %s --split-input-file --verify-roundtrip | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file --one-shot-bufferize | FileCheck %s --check-prefix=BUF

// #pulptrain.memory as the memory space of memrefs: globals, arguments,
// views and subviews keep it; a memref without a memory space is in L2.

// CHECK: memref.global "private" @tiles : memref<256xi8, #pulptrain.memory<l1>> = uninitialized
// CHECK-LABEL: func.func @placed(
// CHECK-SAME: %{{.*}}: memref<4x16xf32, #pulptrain.memory<l2>>, %{{.*}}: memref<4x16xf32>)
// CHECK: %[[G:.*]] = memref.get_global @tiles : memref<256xi8, #pulptrain.memory<l1>>
// CHECK: %[[V:.*]] = memref.view %[[G]][%{{.*}}][] : memref<256xi8, #pulptrain.memory<l1>> to memref<4x16xf32, #pulptrain.memory<l1>>
// CHECK: memref.subview %[[V]][0, 0] [2, 16] [1, 1] : memref<4x16xf32, #pulptrain.memory<l1>> to memref<2x16xf32, strided<[16, 1]>, #pulptrain.memory<l1>>
memref.global "private" @tiles : memref<256xi8, #pulptrain.memory<l1>> = uninitialized
func.func @placed(%a: memref<4x16xf32, #pulptrain.memory<l2>>, %b: memref<4x16xf32>) {
  %c0 = arith.constant 0 : index
  %g = memref.get_global @tiles : memref<256xi8, #pulptrain.memory<l1>>
  %v = memref.view %g[%c0][] : memref<256xi8, #pulptrain.memory<l1>> to memref<4x16xf32, #pulptrain.memory<l1>>
  %s = memref.subview %v[0, 0] [2, 16] [1, 1] : memref<4x16xf32, #pulptrain.memory<l1>> to memref<2x16xf32, strided<[16, 1]>, #pulptrain.memory<l1>>
  return
}

// -----

// Bufferization takes it as the memory space of a new buffer.

// BUF-LABEL: func.func @alloc(
// BUF: %[[A:.*]] = memref.alloc() {{.*}}: memref<8xf32, #pulptrain.memory<l1>>
// BUF: linalg.fill ins(%{{.*}} : f32) outs(%[[A]] : memref<8xf32, #pulptrain.memory<l1>>)
func.func @alloc(%x: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %t = bufferization.alloc_tensor() {memory_space = #pulptrain.memory<l1>} : tensor<8xf32>
  %f = linalg.fill ins(%x : f32) outs(%t : tensor<8xf32>) -> tensor<8xf32>
  %e = tensor.extract %f[%c0] : tensor<8xf32>
  return %e : f32
}
