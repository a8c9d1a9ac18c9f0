// RUN: pulptrain-opt %s --split-input-file --pulptrain-merge-kernels | FileCheck %s
// RUN: pulptrain-opt %s --split-input-file --pulptrain-outline-parallel --pulptrain-merge-kernels | FileCheck %s --check-prefix=OUTLINED

// Two kernels equal up to SSA names and locations: the first stays, both
// forks name it. A third one differs in a constant (its loop bound) and a
// fourth in an argument attribute: they stay.

// CHECK-LABEL: func.func @step(
// CHECK: cluster.fork @step_kernel0(%{{.*}})
// CHECK: cluster.fork @step_kernel0(%{{.*}})
// CHECK: cluster.fork @step_kernel2(%{{.*}})
// CHECK: cluster.fork @step_kernel3(%{{.*}})
// CHECK: return
// CHECK: func.func private @step_kernel0(%{{.*}}: memref<64xf32> {llvm.noalias})
// CHECK: arith.constant 64 : index
// CHECK-NOT: func.func private @step_kernel1
// CHECK: func.func private @step_kernel2(%{{.*}}: memref<64xf32> {llvm.noalias})
// CHECK: arith.constant 32 : index
// CHECK: func.func private @step_kernel3(%{{.*}}: memref<64xf32>)
// CHECK-NOT: func.func
func.func @step(%a: memref<64xf32>, %b: memref<64xf32>) {
  cluster.fork @step_kernel0(%a) : memref<64xf32>
  cluster.fork @step_kernel1(%b) : memref<64xf32>
  cluster.fork @step_kernel2(%a) : memref<64xf32>
  cluster.fork @step_kernel3(%b) : memref<64xf32>
  return
}
func.func private @step_kernel0(%x: memref<64xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.for %i = %c0 to %c64 step %c1 {
    %v = memref.load %x[%i] : memref<64xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %x[%i] : memref<64xf32>
  }
  return
}
func.func private @step_kernel1(%y: memref<64xf32> {llvm.noalias}) {
  %zero = arith.constant 0 : index
  %one = arith.constant 1 : index
  %n = arith.constant 64 : index
  scf.for %j = %zero to %n step %one {
    %u = memref.load %y[%j] : memref<64xf32> loc("elsewhere")
    %t = arith.addf %u, %u : f32
    memref.store %t, %y[%j] : memref<64xf32>
  }
  return
}
func.func private @step_kernel2(%x: memref<64xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  scf.for %i = %c0 to %c32 step %c1 {
    %v = memref.load %x[%i] : memref<64xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %x[%i] : memref<64xf32>
  }
  return
}
func.func private @step_kernel3(%x: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.for %i = %c0 to %c64 step %c1 {
    %v = memref.load %x[%i] : memref<64xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %x[%i] : memref<64xf32>
  }
  return
}

// -----

// Operands are compared as values: the same ops on swapped operands
// (x - y against y - x) stay apart. Public functions are never merged.

// CHECK-LABEL: func.func @swapped(
// CHECK: call @sub_xy
// CHECK: call @sub_yx
// CHECK: func.func private @sub_xy
// CHECK: func.func private @sub_yx
// CHECK: func.func @public_a
// CHECK: func.func @public_b
func.func @swapped(%a: f32, %b: f32) -> (f32, f32) {
  %0 = call @sub_xy(%a, %b) : (f32, f32) -> f32
  %1 = call @sub_yx(%a, %b) : (f32, f32) -> f32
  return %0, %1 : f32, f32
}
func.func private @sub_xy(%x: f32, %y: f32) -> f32 {
  %r = arith.subf %x, %y : f32
  return %r : f32
}
func.func private @sub_yx(%x: f32, %y: f32) -> f32 {
  %r = arith.subf %y, %x : f32
  return %r : f32
}
func.func @public_a(%x: f32) -> f32 {
  return %x : f32
}
func.func @public_b(%x: f32) -> f32 {
  return %x : f32
}

// -----

// The kernels of two equal loops (two layers of the same shape) after
// pulptrain-outline-parallel: one kernel, forked twice.

// OUTLINED-LABEL: func.func @two_layers(
// OUTLINED: cluster.fork @two_layers_kernel0(%{{.*}}, %{{.*}})
// OUTLINED: cluster.fork @two_layers_kernel0(%{{.*}}, %{{.*}})
// OUTLINED: func.func private @two_layers_kernel0
// OUTLINED-NOT: func.func private
func.func @two_layers(%in: memref<16x64xf32>, %mid: memref<16x64xf32>, %out: memref<16x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c16, %c64) step (%c1, %c1) {
    %v = memref.load %in[%i, %j] : memref<16x64xf32>
    %r = arith.maximumf %v, %zero : f32
    memref.store %r, %mid[%i, %j] : memref<16x64xf32>
    scf.reduce
  }
  scf.parallel (%i, %j) = (%c0, %c0) to (%c16, %c64) step (%c1, %c1) {
    %v = memref.load %mid[%i, %j] : memref<16x64xf32>
    %r = arith.maximumf %v, %zero : f32
    memref.store %r, %out[%i, %j] : memref<16x64xf32>
    scf.reduce
  }
  return
}
