// RUN: pulptrain-opt %s --pulptrain-elementwise-in-place --split-input-file | FileCheck %s
// RUN: pulptrain-opt %s "--pulptrain-elementwise-in-place=at-peak-only=false" --split-input-file | FileCheck %s --check-prefix=ALL

// By default only ops at the peak of a function's live buffer bytes are
// rewritten (each case below is at its function's peak but @off_peak);
// with at-peak-only=false every op that can be.

// A ReLU over a convolution's output (here a fill) that only it reads: the
// result is computed in its input.
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func private @use(tensor<4x8xf32>)
// CHECK-LABEL: func.func @relu_of_dying_input
// ALL-LABEL: func.func @relu_of_dying_input
// ALL: %[[X:.*]] = linalg.fill
// ALL: linalg.generic {{.*}} ins(%[[X]] : tensor<4x8xf32>) outs(%[[X]] : tensor<4x8xf32>)
// CHECK: %[[X:.*]] = linalg.fill
// CHECK: linalg.generic {{.*}} ins(%[[X]] : tensor<4x8xf32>) outs(%[[X]] : tensor<4x8xf32>)
// CHECK: arith.maximumf
func.func @relu_of_dying_input(%c: f32) {
  %e0 = tensor.empty() : tensor<4x8xf32>
  %x = linalg.fill ins(%c : f32) outs(%e0 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %e1 = tensor.empty() : tensor<4x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e1 : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %in, %z : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  call @use(%y) : (tensor<4x8xf32>) -> ()
  return
}

// -----

// A ReLU gradient: the mask has another reader, the incoming gradient dies
// here; the gradient's buffer is taken, the mask's is not.
#id = affine_map<(d0) -> (d0)>
func.func private @use(tensor<16xf32>)
// CHECK-LABEL: func.func @gradient_dies_mask_lives
// CHECK: %[[M:.*]] = linalg.fill ins(%arg0
// CHECK: %[[G:.*]] = linalg.fill ins(%arg1
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[M]], %[[G]] : tensor<16xf32>, tensor<16xf32>) outs(%[[G]] : tensor<16xf32>)
// CHECK: call @use(%[[R]])
// CHECK: call @use(%[[M]])
func.func @gradient_dies_mask_lives(%a: f32, %b: f32) {
  %e0 = tensor.empty() : tensor<16xf32>
  %m = linalg.fill ins(%a : f32) outs(%e0 : tensor<16xf32>) -> tensor<16xf32>
  %e1 = tensor.empty() : tensor<16xf32>
  %g = linalg.fill ins(%b : f32) outs(%e1 : tensor<16xf32>) -> tensor<16xf32>
  %e2 = tensor.empty() : tensor<16xf32>
  %dx = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%m, %g : tensor<16xf32>, tensor<16xf32>) outs(%e2 : tensor<16xf32>) {
  ^bb0(%mask: f32, %grad: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %p = arith.cmpf ogt, %mask, %z : f32
    %r = arith.select %p, %grad, %z : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  call @use(%dx) : (tensor<16xf32>) -> ()
  call @use(%m) : (tensor<16xf32>) -> ()
  return
}

// -----

// An input made by a reshape of a value that dies at the reshape: the
// reshape's result shares its buffer, which the op writes.
#id = affine_map<(d0) -> (d0)>
func.func private @use(tensor<32xf32>)
// CHECK-LABEL: func.func @reshape_of_dying_value
// CHECK: %[[C:.*]] = tensor.collapse_shape
// CHECK: linalg.generic {{.*}} ins(%[[C]] : tensor<32xf32>) outs(%[[C]] : tensor<32xf32>)
func.func @reshape_of_dying_value(%c: f32) {
  %e0 = tensor.empty() : tensor<4x8xf32>
  %x = linalg.fill ins(%c : f32) outs(%e0 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %flat = tensor.collapse_shape %x [[0, 1]] : tensor<4x8xf32> into tensor<32xf32>
  %e1 = tensor.empty() : tensor<32xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%flat : tensor<32xf32>) outs(%e1 : tensor<32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<32xf32>
  call @use(%y) : (tensor<32xf32>) -> ()
  return
}

// -----

// Negative cases: each op keeps its fresh init.
#id = affine_map<(d0) -> (d0)>
#rev = affine_map<(d0) -> (15 - d0)>
#ij = affine_map<(d0, d1, d2) -> (d0, d1)>
#ijk = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func private @use(tensor<16xf32>)
func.func private @use2(tensor<4x4xf32>)
func.func private @useh(tensor<16xf16>)

// An input another op reads too.
// CHECK-LABEL: func.func @other_use
// CHECK: linalg.fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<16xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<16xf32>)
func.func @other_use(%c: f32) {
  %e0 = tensor.empty() : tensor<16xf32>
  %x = linalg.fill ins(%c : f32) outs(%e0 : tensor<16xf32>) -> tensor<16xf32>
  %e1 = tensor.empty() : tensor<16xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e1 : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  call @use(%y) : (tensor<16xf32>) -> ()
  call @use(%x) : (tensor<16xf32>) -> ()
  return
}

// A function argument: the caller's buffer.
// CHECK-LABEL: func.func @argument
// CHECK: %[[E:.*]] = tensor.empty() : tensor<16xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<16xf32>)
func.func @argument(%x: tensor<16xf32>) {
  %e1 = tensor.empty() : tensor<16xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e1 : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  call @use(%y) : (tensor<16xf32>) -> ()
  return
}

// A constant: read-only memory.
// CHECK-LABEL: func.func @constant
// CHECK: %[[E:.*]] = tensor.empty() : tensor<16xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<16xf32>)
func.func @constant() {
  %x = arith.constant dense<1.0> : tensor<16xf32>
  %e1 = tensor.empty() : tensor<16xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e1 : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  call @use(%y) : (tensor<16xf32>) -> ()
  return
}

// A returned result (an updated parameter: the caller's out-parameter),
// directly and through a reshape.
// CHECK-LABEL: func.func @returned
// CHECK: linalg.fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<16xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<16xf32>)
// CHECK-LABEL: func.func @returned_reshaped
// CHECK: linalg.fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<16xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<16xf32>)
func.func @returned(%c: f32) -> tensor<16xf32> {
  %e0 = tensor.empty() : tensor<16xf32>
  %x = linalg.fill ins(%c : f32) outs(%e0 : tensor<16xf32>) -> tensor<16xf32>
  %e1 = tensor.empty() : tensor<16xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e1 : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  return %y : tensor<16xf32>
}
func.func @returned_reshaped(%c: f32) -> tensor<4x4xf32> {
  %e0 = tensor.empty() : tensor<16xf32>
  %x = linalg.fill ins(%c : f32) outs(%e0 : tensor<16xf32>) -> tensor<16xf32>
  %e1 = tensor.empty() : tensor<16xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e1 : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  %s = tensor.expand_shape %y [[0, 1]] output_shape [4, 4] : tensor<16xf32> into tensor<4x4xf32>
  return %s : tensor<4x4xf32>
}

// A reshape whose source has another reader: the source stays live.
// CHECK-LABEL: func.func @reshape_other_use
// CHECK: linalg.fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<16xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<16xf32>)
func.func @reshape_other_use(%c: f32) {
  %e0 = tensor.empty() : tensor<4x4xf32>
  %x = linalg.fill ins(%c : f32) outs(%e0 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %flat = tensor.collapse_shape %x [[0, 1]] : tensor<4x4xf32> into tensor<16xf32>
  %e1 = tensor.empty() : tensor<16xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%flat : tensor<16xf32>) outs(%e1 : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  call @use(%y) : (tensor<16xf32>) -> ()
  call @use2(%x) : (tensor<4x4xf32>) -> ()
  return
}

// An input read at another position than the one written (a reversal):
// a later iteration would read what an earlier one wrote.
// CHECK-LABEL: func.func @non_identity_map
// CHECK: linalg.fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<16xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<16xf32>)
func.func @non_identity_map(%c: f32) {
  %e0 = tensor.empty() : tensor<16xf32>
  %x = linalg.fill ins(%c : f32) outs(%e0 : tensor<16xf32>) -> tensor<16xf32>
  %e1 = tensor.empty() : tensor<16xf32>
  %y = linalg.generic {indexing_maps = [#rev, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e1 : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  call @use(%y) : (tensor<16xf32>) -> ()
  return
}

// A reduction whose input has the result's type and map: the input of one
// iteration over d2 would read what the one before wrote.
// CHECK-LABEL: func.func @reduction
// CHECK: linalg.fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x4xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<4x4xf32>)
func.func @reduction(%c: f32, %w: tensor<4x4x2xf32>) {
  %e0 = tensor.empty() : tensor<4x4xf32>
  %x = linalg.fill ins(%c : f32) outs(%e0 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %e1 = tensor.empty() : tensor<4x4xf32>
  %y = linalg.generic {indexing_maps = [#ij, #ijk, #ij], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<4x4xf32>, tensor<4x4x2xf32>) outs(%e1 : tensor<4x4xf32>) {
  ^bb0(%in: f32, %s: f32, %out: f32):
    %r = arith.mulf %in, %s : f32
    linalg.yield %r : f32
  } -> tensor<4x4xf32>
  call @use2(%y) : (tensor<4x4xf32>) -> ()
  return
}

// An input of another element type (a rounding to f16): not the result's
// buffer.
// CHECK-LABEL: func.func @other_type
// CHECK: linalg.fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<16xf16>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<16xf16>)
func.func @other_type(%c: f32) {
  %e0 = tensor.empty() : tensor<16xf32>
  %x = linalg.fill ins(%c : f32) outs(%e0 : tensor<16xf32>) -> tensor<16xf32>
  %e1 = tensor.empty() : tensor<16xf16>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e1 : tensor<16xf16>) {
  ^bb0(%in: f32, %out: f16):
    %r = arith.truncf %in : f32 to f16
    linalg.yield %r : f16
  } -> tensor<16xf16>
  call @useh(%y) : (tensor<16xf16>) -> ()
  return
}

// An init the body reads (an accumulation into a value, not a fresh
// tensor): its own buffer already.
// CHECK-LABEL: func.func @init_read
// CHECK: %[[A:.*]] = linalg.fill ins(%arg1
// CHECK: linalg.generic {{.*}} outs(%[[A]] : tensor<16xf32>)
func.func @init_read(%c: f32, %d: f32) {
  %e0 = tensor.empty() : tensor<16xf32>
  %x = linalg.fill ins(%c : f32) outs(%e0 : tensor<16xf32>) -> tensor<16xf32>
  %e1 = tensor.empty() : tensor<16xf32>
  %acc = linalg.fill ins(%d : f32) outs(%e1 : tensor<16xf32>) -> tensor<16xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%acc : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %out : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  call @use(%y) : (tensor<16xf32>) -> ()
  return
}

// -----

// A ReLU whose input dies at it, but the function's peak is later (a
// larger map): in place only with at-peak-only=false.
#id = affine_map<(d0) -> (d0)>
func.func private @use(tensor<16xf32>)
func.func private @use_big(tensor<256xf32>)
// CHECK-LABEL: func.func @off_peak
// CHECK: linalg.fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<16xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<16xf32>)
// ALL-LABEL: func.func @off_peak
// ALL: %[[X:.*]] = linalg.fill
// ALL: linalg.generic {{.*}} ins(%[[X]] : tensor<16xf32>) outs(%[[X]] : tensor<16xf32>)
func.func @off_peak(%c: f32) {
  %e0 = tensor.empty() : tensor<16xf32>
  %x = linalg.fill ins(%c : f32) outs(%e0 : tensor<16xf32>) -> tensor<16xf32>
  %e1 = tensor.empty() : tensor<16xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e1 : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  call @use(%y) : (tensor<16xf32>) -> ()
  %e2 = tensor.empty() : tensor<256xf32>
  %big = linalg.fill ins(%c : f32) outs(%e2 : tensor<256xf32>) -> tensor<256xf32>
  call @use_big(%big) : (tensor<256xf32>) -> ()
  return
}
