// RUN: pulptrain-opt %s --pulptrain-lower-to-llvm | FileCheck %s --check-prefix=HOST
// RUN: pulptrain-opt %s "--pulptrain-lower-to-llvm=target=riscv32" | FileCheck %s --check-prefix=RV32
// RUN: pulptrain-opt %s "--pulptrain-lower-to-llvm=target=riscv32" | pulptrain-translate --mlir-to-object --target=riscv32 -o %t.o
// RUN: llvm-objdump -d --mattr=+m,+c,+zfinx,+zhinx,+xcvmem,+xcvmac,+xcvalu,+xcvbi,+xcvsimd %t.o | FileCheck %s --check-prefix=OBJ
// RUN: not pulptrain-opt %s "--pulptrain-lower-to-llvm=target=arm" 2>&1 | FileCheck %s --check-prefix=BAD

// The reference lowering of a layer: all buffers become bare pointers, the
// result an out-parameter; temporaries live in the static arena (no
// malloc) and no runtime library is called.

// HOST-LABEL: llvm.func @layer(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr, %arg3: !llvm.ptr)
// HOST-NOT: llvm.call
// HOST: llvm.return
// RV32: llvm.mlir.global private @__pulptrain_arena() {addr_space = 0 : i32, alignment = 16 : i64} : !llvm.array<256 x i8>
// RV32-LABEL: llvm.func @layer
// RV32-NOT: llvm.call
// RV32: llvm.mlir.addressof @__pulptrain_arena
// RV32-NOT: llvm.call
// RV32: llvm.return
// Multiply-adds are fused (pulptrain-fuse-multiply-add); FP32 arithmetic
// runs on x registers.
// OBJ: <layer>:
// OBJ: fmadd.s a{{[0-9]}}, a{{[0-9]}}, a{{[0-9]}}, a{{[0-9]}}
// BAD: for the --target option: Cannot find option named 'arm'!
func.func @layer(%x: tensor<3x6x6xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<4x4x4xf32> {
  %0 = pulptrain.conv2d %x, %w, %b stride [1, 1] padding [0, 0, 0, 0] : (tensor<3x6x6xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<4x4x4xf32>
  %1 = pulptrain.relu %0 : tensor<4x4x4xf32>
  return %1 : tensor<4x4x4xf32>
}

// A value returned twice (found by bench/fuzz: buffer-results-to-out-params
// crashed on it): the second out-parameter gets a copy.
// RV32-LABEL: llvm.func @twice(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr, %arg3: !llvm.ptr)
// RV32: llvm.return
func.func @twice(%x: tensor<2xf32>, %w: tensor<2x2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %h = pulptrain.linear %x, %w : (tensor<2xf32>, tensor<2x2xf32>) -> tensor<2xf32>
  return %h, %h : tensor<2xf32>, tensor<2xf32>
}
