// RUN: pulptrain-opt %s --verify-diagnostics --pulptrain-lower-to-llvm=target=riscv32
// RUN: pulptrain-opt %s --pulptrain-lower-to-llvm=target=host | FileCheck %s

// The riscv32 pipeline rejects a tensor its 32-bit index arithmetic cannot
// address before lowering it; the 64-bit host lowers it.

// CHECK-LABEL: llvm.func @huge
// expected-error @below {{argument #0 of 'func.func' has the type 'tensor<2147483647xf32>', which needs 8589934588 bytes, more than the target's 2147483647}}
func.func @huge(%x: tensor<2147483647xf32>) -> tensor<2147483647xf32> {
  // expected-error @below {{result #0 of 'pulptrain.relu' has the type 'tensor<2147483647xf32>', which needs 8589934588 bytes}}
  %y = pulptrain.relu %x : tensor<2147483647xf32>
  return %y : tensor<2147483647xf32>
}
