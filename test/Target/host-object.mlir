// RUN: pulptrain-translate --mlir-to-object --target=host %s -o %t.o
// RUN: llvm-readelf -h -s %t.o | FileCheck %s
// RUN: pulptrain-translate --mlir-to-llvmir %s | FileCheck %s --check-prefix=IR

// The same kind of function for the host: an ELF64 object with the symbol.

// CHECK: Class: ELF64
// CHECK: Machine: Advanced Micro Devices X86-64
// CHECK: FUNC GLOBAL DEFAULT {{.*}} axpy
// IR: define void @axpy(ptr %0, ptr %1, float %2, i32 %3)
// IR: fmul contract float
llvm.func @axpy(%x: !llvm.ptr, %y: !llvm.ptr, %a: f32, %n: i32) {
  %c0 = llvm.mlir.constant(0 : i32) : i32
  %c1 = llvm.mlir.constant(1 : i32) : i32
  llvm.br ^loop(%c0 : i32)
^loop(%i: i32):
  %done = llvm.icmp "sge" %i, %n : i32
  llvm.cond_br %done, ^exit, ^body
^body:
  %px = llvm.getelementptr %x[%i] : (!llvm.ptr, i32) -> !llvm.ptr, f32
  %py = llvm.getelementptr %y[%i] : (!llvm.ptr, i32) -> !llvm.ptr, f32
  %vx = llvm.load %px : !llvm.ptr -> f32
  %vy = llvm.load %py : !llvm.ptr -> f32
  %p = llvm.fmul %a, %vx {fastmathFlags = #llvm.fastmath<contract>} : f32
  %s = llvm.fadd %p, %vy {fastmathFlags = #llvm.fastmath<contract>} : f32
  llvm.store %s, %py : f32, !llvm.ptr
  %next = llvm.add %i, %c1 : i32
  llvm.br ^loop(%next : i32)
^exit:
  llvm.return
}
