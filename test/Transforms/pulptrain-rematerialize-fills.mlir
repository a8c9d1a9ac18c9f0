// RUN: pulptrain-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(pulptrain-rematerialize-fills))' | FileCheck %s

// A zero fill shared by two accumulations (as CSE leaves the zero
// accumulators of two layers of one shape): each use gets its own fill,
// built before its op; the first use keeps the original.

// CHECK-LABEL: func.func @shared_fill
// CHECK:      %[[E0:.*]] = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %[[Z0:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E0]] : tensor<4xf32>)
// CHECK-NEXT: %[[A:.*]] = linalg.generic {{.*}} outs(%[[Z0]] : tensor<4xf32>)
// CHECK:      %[[E1:.*]] = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %[[Z1:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E1]] : tensor<4xf32>)
// CHECK-NEXT: %[[B:.*]] = linalg.generic {{.*}} outs(%[[Z1]] : tensor<4xf32>)
// CHECK:      return %[[A]], %[[B]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @shared_fill(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>)
    -> (tensor<4xf32>, tensor<4xf32>) {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%c0 : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %a = linalg.generic {indexing_maps = [#id, #row],
                       iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%z : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %b = linalg.generic {indexing_maps = [#id, #row],
                       iterator_types = ["parallel", "reduction"]}
      ins(%y : tensor<4x8xf32>) outs(%z : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

// An empty tensor shared by two independent element-wise ops (as CSE
// leaves the scratch tensors of two layers): one each.

// CHECK-LABEL: func.func @shared_empty
// CHECK:      %[[E0:.*]] = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %[[A:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<4xf32>) outs(%[[E0]] : tensor<4xf32>)
// CHECK:      %[[E1:.*]] = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %[[B:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<4xf32>) outs(%[[E1]] : tensor<4xf32>)
// CHECK:      return %[[A]], %[[B]]
#map = affine_map<(d0) -> (d0)>
func.func @shared_empty(%x: tensor<4xf32>, %y: tensor<4xf32>)
    -> (tensor<4xf32>, tensor<4xf32>) {
  %e = tensor.empty() : tensor<4xf32>
  %a = linalg.generic {indexing_maps = [#map, #map],
                       iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.negf %in : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %b = linalg.generic {indexing_maps = [#map, #map],
                       iterator_types = ["parallel"]}
      ins(%y : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.negf %in : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

// A padded copy of %x read by a forward op and again by a later op while
// %x is still live (read by the last op): the later reader gets a padded
// copy of its own, built (fill, insert, reshape) right before it.

// CHECK-LABEL: func.func @padded_copy
// CHECK:      %[[P0:.*]] = tensor.insert_slice %[[X:.*]] into %{{.*}}[1] [4] [1] : tensor<4xf32> into tensor<6xf32>
// CHECK-NEXT: %[[R0:.*]] = tensor.expand_shape %[[P0]]
// CHECK-NEXT: %[[FWD:.*]] = tensor.extract_slice %[[R0]]
// CHECK-NEXT: %[[MID:.*]] = arith.addf
// CHECK-NEXT: %[[E1:.*]] = tensor.empty() : tensor<6xf32>
// CHECK-NEXT: %[[Z1:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E1]] : tensor<6xf32>)
// CHECK-NEXT: %[[P1:.*]] = tensor.insert_slice %[[X]] into %[[Z1]][1] [4] [1]
// CHECK-NEXT: %[[R1:.*]] = tensor.expand_shape %[[P1]]
// CHECK-NEXT: %[[BWD:.*]] = tensor.extract_slice %[[R1]]
// CHECK-NEXT: arith.mulf %[[X]], %[[X]]
func.func @padded_copy(%x: tensor<4xf32>, %s: f32)
    -> (tensor<1x6xf32>, f32, tensor<1x6xf32>, tensor<4xf32>) {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<6xf32>
  %z = linalg.fill ins(%c0 : f32) outs(%e : tensor<6xf32>) -> tensor<6xf32>
  %p = tensor.insert_slice %x into %z[1] [4] [1] : tensor<4xf32> into tensor<6xf32>
  %r = tensor.expand_shape %p [[0, 1]] output_shape [1, 6] : tensor<6xf32> into tensor<1x6xf32>
  %fwd = tensor.extract_slice %r[0, 0] [1, 6] [1, 1] : tensor<1x6xf32> to tensor<1x6xf32>
  %mid = arith.addf %s, %s : f32
  %bwd = tensor.extract_slice %r[0, 0] [1, 6] [1, 1] : tensor<1x6xf32> to tensor<1x6xf32>
  %last = arith.mulf %x, %x : tensor<4xf32>
  return %fwd, %mid, %bwd, %last : tensor<1x6xf32>, f32, tensor<1x6xf32>, tensor<4xf32>
}

// -----

// The same padded copy read twice, but %x is dead at the second reader:
// building the copy again would keep %x alive instead, so it is shared.

// CHECK-LABEL: func.func @padded_copy_kept
// CHECK-COUNT-1: tensor.insert_slice
// CHECK-NOT: tensor.insert_slice
func.func @padded_copy_kept(%s: f32) -> (tensor<6xf32>, tensor<6xf32>) {
  %c0 = arith.constant 0.0 : f32
  %x = tensor.splat %s : tensor<4xf32>
  %e = tensor.empty() : tensor<6xf32>
  %z = linalg.fill ins(%c0 : f32) outs(%e : tensor<6xf32>) -> tensor<6xf32>
  %p = tensor.insert_slice %x into %z[1] [4] [1] : tensor<4xf32> into tensor<6xf32>
  %a = arith.addf %p, %p : tensor<6xf32>
  %b = arith.mulf %p, %p : tensor<6xf32>
  return %a, %b : tensor<6xf32>, tensor<6xf32>
}

// -----

// An empty tensor filled for a reduction and then the init of an op that
// reads that reduction's result (a loss scaled in place, as the fused MSE
// loss is): it stays shared, so that the op can write where it reads.

// CHECK-LABEL: func.func @chained_empty
// CHECK:     %[[E:.*]] = tensor.empty() : tensor<f32>
// CHECK:     %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<f32>)
// CHECK:     %[[S:.*]] = linalg.generic {{.*}} outs(%[[Z]] : tensor<f32>)
// CHECK-NOT: tensor.empty
// CHECK:     linalg.generic {{.*}} ins(%[[S]] : tensor<f32>) outs(%[[E]] : tensor<f32>)
#v = affine_map<(d0) -> (d0)>
#s = affine_map<(d0) -> ()>
#n = affine_map<() -> ()>
func.func @chained_empty(%x: tensor<8xf32>) -> tensor<f32> {
  %c0 = arith.constant 0.0 : f32
  %half = arith.constant 0.5 : f32
  %e = tensor.empty() : tensor<f32>
  %z = linalg.fill ins(%c0 : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %sum = linalg.generic {indexing_maps = [#v, #s],
                         iterator_types = ["reduction"]}
      ins(%x : tensor<8xf32>) outs(%z : tensor<f32>) {
  ^bb0(%in: f32, %acc: f32):
    %a = arith.addf %in, %acc : f32
    linalg.yield %a : f32
  } -> tensor<f32>
  %mean = linalg.generic {indexing_maps = [#n, #n], iterator_types = []}
      ins(%sum : tensor<f32>) outs(%e : tensor<f32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %half : f32
    linalg.yield %m : f32
  } -> tensor<f32>
  return %mean : tensor<f32>
}

// -----

// The chain runs through a user that got its own empty tensor: %b (the
// second user) gets a new one, and %c, which reads %b's result, shares
// %b's tensor, not the first user's. (A relu gradient reading a gradient
// rounded into a shared empty tensor wrote into the forward pass's buffer,
// and kept it alive across the step.)

// CHECK-LABEL: func.func @chained_through_clone
// CHECK:     %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK:     %[[A:.*]] = linalg.generic {{.*}} outs(%[[E]] : tensor<4xf32>)
// CHECK:     %[[E2:.*]] = tensor.empty() : tensor<4xf32>
// CHECK:     %[[B:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<4xf32>) outs(%[[E2]] : tensor<4xf32>)
// CHECK-NOT: tensor.empty
// CHECK:     linalg.generic {{.*}} ins(%[[B]] : tensor<4xf32>) outs(%[[E2]] : tensor<4xf32>)
#id = affine_map<(d0) -> (d0)>
func.func @chained_through_clone(%x: tensor<4xf32>, %y: tensor<4xf32>)
    -> (tensor<4xf32>, tensor<4xf32>) {
  %e = tensor.empty() : tensor<4xf32>
  %a = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<4xf32>
  %b = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel"]}
      ins(%y : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<4xf32>
  %c = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel"]}
      ins(%b : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %in : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  return %a, %c : tensor<4xf32>, tensor<4xf32>
}

// -----

// The extension of a saved f16 activation, merged by CSE for its two
// backward readers (pulptrain-round-saved-activations makes one per
// reader): each reader gets its own copy right before it, so that the f32
// copy does not live from the first reader to the last. The empty tensor
// the ReLU, the extensions and the ReLU gradient share (CSE again) is
// split: the ReLU gradient reads its extension and writes into the tensor
// that extension got (not into the forward ReLU's), where it reads.

// CHECK-LABEL: func.func @extension_per_reader
// CHECK:      %[[E0:.*]] = tensor.empty() : tensor<4xf32>
// CHECK:      %[[R:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<4xf32>) outs(%[[E0]] : tensor<4xf32>)
// CHECK:      %[[H:.*]] = linalg.generic {{.*}} ins(%[[R]] : tensor<4xf32>) outs(%{{.*}} : tensor<4xf16>)
// CHECK:      %[[E1:.*]] = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %[[X1:.*]] = linalg.generic {{.*}} ins(%[[H]] : tensor<4xf16>) outs(%[[E1]] : tensor<4xf32>)
// CHECK:      arith.extf
// CHECK:      %[[W:.*]] = linalg.generic {{.*}} ins(%[[X1]] : tensor<4xf32>) outs(%{{.*}} : tensor<f32>)
// CHECK:      %[[E2:.*]] = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %[[X2:.*]] = linalg.generic {{.*}} ins(%[[H]] : tensor<4xf16>) outs(%[[E2]] : tensor<4xf32>)
// CHECK:      arith.extf
// CHECK:      %[[G:.*]] = linalg.generic {{.*}} ins(%[[X2]], %{{.*}} : tensor<4xf32>, tensor<4xf32>) outs(%[[E2]] : tensor<4xf32>)
// CHECK:      return %[[W]], %[[G]]
#e = affine_map<(d0) -> (d0)>
#r = affine_map<(d0) -> ()>
func.func @extension_per_reader(%x: tensor<4xf32>, %dy: tensor<4xf32>)
    -> (tensor<f32>, tensor<4xf32>) {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %eh = tensor.empty() : tensor<4xf16>
  %relu = linalg.generic {indexing_maps = [#e, #e], iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %c0 : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  %h = linalg.generic {indexing_maps = [#e, #e], iterator_types = ["parallel"]}
      ins(%relu : tensor<4xf32>) outs(%eh : tensor<4xf16>) {
  ^bb0(%in: f32, %out: f16):
    %t = arith.truncf %in : f32 to f16
    linalg.yield %t : f16
  } -> tensor<4xf16>
  %ext = linalg.generic {indexing_maps = [#e, #e], iterator_types = ["parallel"]}
      ins(%h : tensor<4xf16>) outs(%e : tensor<4xf32>) {
  ^bb0(%in: f16, %out: f32):
    %w = arith.extf %in : f16 to f32
    linalg.yield %w : f32
  } -> tensor<4xf32>
  %es = tensor.empty() : tensor<f32>
  %z = linalg.fill ins(%c0 : f32) outs(%es : tensor<f32>) -> tensor<f32>
  %wgt = linalg.generic {indexing_maps = [#e, #r], iterator_types = ["reduction"]}
      ins(%ext : tensor<4xf32>) outs(%z : tensor<f32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  %grad = linalg.generic {indexing_maps = [#e, #e, #e], iterator_types = ["parallel"]}
      ins(%ext, %dy : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%y: f32, %d: f32, %out: f32):
    %p = arith.cmpf ogt, %y, %c0 : f32
    %s = arith.select %p, %d, %c0 : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %wgt, %grad : tensor<f32>, tensor<4xf32>
}
