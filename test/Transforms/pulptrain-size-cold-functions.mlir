// RUN: pulptrain-opt %s --split-input-file --pulptrain-size-cold-functions | FileCheck %s

// The step reaches its kernels through calls and addresses taken (the
// fork), transitively; what only @forward and @init_params reach is
// optimized for size. A kernel both use stays at -O3, declarations and
// the attributes a function already passes through are kept.

// CHECK-LABEL: llvm.func @fork(!llvm.ptr)
// CHECK-NOT: optsize
// CHECK-LABEL: llvm.func @shared_kernel
// CHECK-NOT: optsize
// CHECK-LABEL: llvm.func @step_helper
// CHECK-NOT: optsize
// CHECK-LABEL: llvm.func @step_kernel
// CHECK-NOT: optsize
// CHECK-LABEL: llvm.func @step(
// CHECK-NOT: optsize
// CHECK-LABEL: llvm.func @forward_kernel
// CHECK-SAME: passthrough = ["optsize"]
// CHECK-LABEL: llvm.func @forward(
// CHECK-SAME: passthrough = ["nounwind", "optsize"]
// CHECK-LABEL: llvm.func @init_params
// CHECK-SAME: passthrough = ["optsize"]
module {
  llvm.func @fork(!llvm.ptr)
  llvm.func @shared_kernel(%arg0: !llvm.ptr) {
    llvm.return
  }
  llvm.func @step_helper(%arg0: !llvm.ptr) {
    llvm.call @shared_kernel(%arg0) : (!llvm.ptr) -> ()
    llvm.return
  }
  llvm.func @step_kernel(%arg0: !llvm.ptr) {
    llvm.call @step_helper(%arg0) : (!llvm.ptr) -> ()
    llvm.return
  }
  llvm.func @step(%arg0: !llvm.ptr, %arg1: !llvm.ptr {pulptrain.label}) {
    %k = llvm.mlir.addressof @step_kernel : !llvm.ptr
    llvm.call @fork(%k) : (!llvm.ptr) -> ()
    llvm.return
  }
  llvm.func @forward_kernel(%arg0: !llvm.ptr) {
    llvm.return
  }
  llvm.func @forward(%arg0: !llvm.ptr) attributes {passthrough = ["nounwind"]} {
    %k = llvm.mlir.addressof @forward_kernel : !llvm.ptr
    llvm.call @fork(%k) : (!llvm.ptr) -> ()
    llvm.call @shared_kernel(%arg0) : (!llvm.ptr) -> ()
    llvm.return
  }
  llvm.func @init_params(%arg0: !llvm.ptr) {
    llvm.return
  }
}

// -----

// A forward model alone has no training step: nothing changes.

// CHECK-LABEL: llvm.func @forward_kernel
// CHECK-NOT: optsize
// CHECK-LABEL: llvm.func @forward(
// CHECK-NOT: optsize
module {
  llvm.func @forward_kernel(%arg0: !llvm.ptr) {
    llvm.return
  }
  llvm.func @forward(%arg0: !llvm.ptr) {
    llvm.call @forward_kernel(%arg0) : (!llvm.ptr) -> ()
    llvm.return
  }
}
