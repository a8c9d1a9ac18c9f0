// RUN: pulptrain-translate --mlir-to-c-header %s --split-input-file --verify-diagnostics

// expected-error @below {{argument #0 of @f has the dynamic shape 'tensor<?xf32>'; the C interface needs static shapes}}
func.func @f(%x: tensor<?xf32>) {
  return
}

// -----

// expected-error @below {{result #0 of @f is the scalar 'f32'; the C interface returns buffers only}}
func.func @f(%x: f32) -> f32 {
  return %x : f32
}

// -----

// expected-error @below {{argument #1 of @f has the element type 'i1', which has no C type}}
func.func @f(%x: tensor<4xf32>, %y: tensor<4xi1>) {
  return
}

// -----

// expected-error @below {{argument #0 of @f has the strided layout 'memref<4xf32, strided<[2]>>'; the C interface needs dense buffers}}
func.func @f(%x: memref<4xf32, strided<[2]>>) {
  return
}

// -----

// expected-error @below {{argument #0 of @f has type 'vector<4xf32>', which has no C interface}}
func.func @f(%x: vector<4xf32>) {
  return
}

// -----

// expected-error @below {{argument #0 of @f has the memory space 3 : i64; the C interface knows L1 and L2 (#pulptrain.memory)}}
func.func @f(%x: memref<4xf32, 3>) {
  return
}
