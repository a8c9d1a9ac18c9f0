// RUN: pulptrain-translate --mlir-to-object --target=riscv32 -time-passes %s -o %t.o 2>&1 | FileCheck %s

// LLVM's -time-passes reports the middle end (the new pass manager's -O3
// pipeline, through the standard instrumentations) as well as code
// generation (the legacy pass manager), so that the compile time of a step
// can be split by pass (docs/Benchmarks.md, "Compile time (issue 17)").

// CHECK: Pass execution timing report
// CHECK-DAG: InstCombinePass
// CHECK-DAG: LoopUnrollPass
// CHECK-DAG: RISC-V DAG->DAG Pattern Instruction Selection

llvm.func @scale(%p: !llvm.ptr, %n: i32, %s: f32) {
  %c0 = llvm.mlir.constant(0 : i32) : i32
  %c1 = llvm.mlir.constant(1 : i32) : i32
  llvm.br ^loop(%c0 : i32)
^loop(%i: i32):
  %done = llvm.icmp "sge" %i, %n : i32
  llvm.cond_br %done, ^exit, ^body
^body:
  %a = llvm.getelementptr %p[%i] : (!llvm.ptr, i32) -> !llvm.ptr, f32
  %x = llvm.load %a : !llvm.ptr -> f32
  %y = llvm.fmul %x, %s : f32
  llvm.store %y, %a : f32, !llvm.ptr
  %next = llvm.add %i, %c1 : i32
  llvm.br ^loop(%next : i32)
^exit:
  llvm.return
}
