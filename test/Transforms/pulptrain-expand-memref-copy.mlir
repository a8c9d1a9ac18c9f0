// RUN: pulptrain-opt %s --pulptrain-expand-memref-copy | FileCheck %s

// CHECK-LABEL: func.func @strided_copy
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%arg0 : memref<4x4xf32>) outs(%{{.*}} : memref<4x4xf32, strided<[6, 1], offset: 7>>)
func.func @strided_copy(%src: memref<4x4xf32>, %dst: memref<6x6xf32>) {
  %sub = memref.subview %dst[1, 1] [4, 4] [1, 1] : memref<6x6xf32> to memref<4x4xf32, strided<[6, 1], offset: 7>>
  memref.copy %src, %sub : memref<4x4xf32> to memref<4x4xf32, strided<[6, 1], offset: 7>>
  return
}
