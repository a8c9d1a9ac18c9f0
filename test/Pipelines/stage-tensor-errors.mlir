// RUN: pulptrain-opt %s --verify-diagnostics "--pulptrain-stage-tensor=target=riscv32"
// RUN: pulptrain-opt %s --pulptrain-stage-tensor | FileCheck %s

// A buffer beyond the 32-bit target's signed index range is rejected first
// (riscv32 only; the host accepts it).
// CHECK-LABEL: func.func @huge
// CHECK: linalg.generic
// expected-error @below {{argument #0 of 'func.func' has the type 'tensor<1073741824xf32>', which needs 4294967296 bytes}}
func.func @huge(%x: tensor<1073741824xf32>) -> tensor<1073741824xf32> {
  // expected-error @below {{result #0 of 'pulptrain.relu' has the type 'tensor<1073741824xf32>', which needs 4294967296 bytes}}
  %r = pulptrain.relu %x : tensor<1073741824xf32>
  return %r : tensor<1073741824xf32>
}

