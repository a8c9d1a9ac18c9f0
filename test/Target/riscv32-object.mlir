// RUN: pulptrain-translate --mlir-to-object --target=riscv32 %s -o %t.o
// RUN: llvm-readelf -h %t.o | FileCheck %s --check-prefix=ELF
// RUN: llvm-objdump -d --mattr=+m,+c,+zfinx,+zhinx,+xcvmem,+xcvmac,+xcvalu,+xcvbi,+xcvsimd %t.o | FileCheck %s
// RUN: pulptrain-translate --mlir-to-object --target=riscv32 -S %s | FileCheck %s --check-prefix=ASM
// RUN: llvm-readelf -S %t.o | FileCheck %s --check-prefix=SECTIONS

// A small lowered function: FP32 and FP16 multiply-add on x registers
// (Zfinx/Zhinx), and an integer dot product that uses CORE-V post-increment
// loads and the compare-with-immediate branch (LLVM emits cv.mac only from
// its intrinsic).

// ELF: Class: ELF32
// ELF: Machine: RISC-V
// ELF: Flags: 0x1, RVC{{$}}

// No function unwinds (the generated code and the C runtime throw no
// exceptions): no unwind tables, no CFI directives.
// SECTIONS: .text
// SECTIONS-NOT: .eh_frame
// ASM: .attribute 5, "rv32i2p1_m2p0_c2p0_zicsr2p0_{{.*}}zfinx1p0_{{.*}}zhinx1p0_{{.*}}xcvalu1p0_xcvbi1p0_xcvmac1p0_xcvmem1p0_xcvsimd1p0"
// ASM-NOT: .cfi_

// CHECK-LABEL: <fma_f32>:
// CHECK: fmadd.s a0, a0, a1, a2
// CHECK-NEXT: ret
llvm.func @fma_f32(%a: f32, %b: f32, %c: f32) -> f32 {
  %0 = llvm.fmul %a, %b {fastmathFlags = #llvm.fastmath<contract>} : f32
  %1 = llvm.fadd %0, %c {fastmathFlags = #llvm.fastmath<contract>} : f32
  llvm.return %1 : f32
}

// CHECK-LABEL: <fma_f16>:
// CHECK: fmadd.h a0, a0, a1, a2
llvm.func @fma_f16(%a: f16, %b: f16, %c: f16) -> f16 {
  %0 = llvm.intr.fma(%a, %b, %c) : (f16, f16, f16) -> f16
  llvm.return %0 : f16
}

// CHECK-LABEL: <dot_i32>:
// CHECK: cv.lw {{.*}}, (a0), 0x4
// CHECK: cv.lw {{.*}}, (a1), 0x4
// CHECK: mul
// CHECK: cv.bneimm
llvm.func @dot_i32(%x: !llvm.ptr, %y: !llvm.ptr, %n: i32) -> i32 {
  %c0 = llvm.mlir.constant(0 : i32) : i32
  %c1 = llvm.mlir.constant(1 : i32) : i32
  llvm.br ^loop(%c0, %c0 : i32, i32)
^loop(%i: i32, %acc: i32):
  %done = llvm.icmp "sge" %i, %n : i32
  llvm.cond_br %done, ^exit, ^body
^body:
  %px = llvm.getelementptr %x[%i] : (!llvm.ptr, i32) -> !llvm.ptr, i32
  %py = llvm.getelementptr %y[%i] : (!llvm.ptr, i32) -> !llvm.ptr, i32
  %vx = llvm.load %px : !llvm.ptr -> i32
  %vy = llvm.load %py : !llvm.ptr -> i32
  %p = llvm.mul %vx, %vy : i32
  %s = llvm.add %acc, %p : i32
  %next = llvm.add %i, %c1 : i32
  llvm.br ^loop(%next, %s : i32, i32)
^exit:
  llvm.return %acc : i32
}

// A function with a frame (it calls, and keeps %a across the call): its
// saves of ra and s0 get no CFI directives.
// CHECK-LABEL: <twice_plus>:
// CHECK: sw ra
llvm.func @twice(i32) -> i32
llvm.func @twice_plus(%a: i32) -> i32 {
  %0 = llvm.call @twice(%a) : (i32) -> i32
  %1 = llvm.add %0, %a : i32
  llvm.return %1 : i32
}
