// RUN: pulptrain-opt %s --convert-pairs-to-xfvec | FileCheck %s

// Encodings from the simulator's table (runtime/sim/include/pulptrain/sim/
// Instructions.def): .insn r opcode, funct3, funct7 of MATCH.

// vfdotpex.s.h 0x96000033 and vfdotpex.s.ah 0x96001033, the accumulator
// tied to rd.
// CHECK-LABEL: func.func @dotpex
// CHECK-DAG: %[[A:.*]] = llvm.bitcast %arg0 : vector<2xf16> to i32
// CHECK-DAG: %[[B:.*]] = llvm.bitcast %arg1 : vector<2xf16> to i32
// CHECK-DAG: %[[C:.*]] = llvm.bitcast %arg2 : f32 to i32
// CHECK: %[[R:.*]] = llvm.inline_asm ".insn r 0x33, 0, 0x4b, $0, $1, $2", "=r,r,r,0" %[[A]], %[[B]], %[[C]] : (i32, i32, i32) -> i32
// CHECK: %[[F:.*]] = llvm.bitcast %[[R]] : i32 to f32
// CHECK: llvm.inline_asm ".insn r 0x33, 1, 0x4b, $0, $1, $2", "=r,r,r,0"
// CHECK: return %[[F]]
func.func @dotpex(%a: vector<2xf16>, %b: vector<2xf16>, %acc: f32,
                  %x: vector<2xbf16>, %y: vector<2xbf16>) -> (f32, f32) {
  %0 = cluster.dotpex %a, %b, %acc : vector<2xf16>
  %1 = cluster.dotpex %x, %y, %acc : vector<2xbf16>
  return %0, %1 : f32, f32
}

// Lane-wise ops: vfadd.h 0x82002033, vfsub.h 0x84002033, vfmul.h
// 0x86002033, vfmin.h 0x8a002033, vfmax.h 0x8c002033, vfmac.h 0x90002033
// (addend tied to rd), vfadd.ah 0x82001033; scalar f16 stays.
// CHECK-LABEL: func.func @lanes
// CHECK: ".insn r 0x33, 2, 0x41, $0, $1, $2", "=r,r,r"
// CHECK: ".insn r 0x33, 2, 0x42, $0, $1, $2", "=r,r,r"
// CHECK: ".insn r 0x33, 2, 0x43, $0, $1, $2", "=r,r,r"
// CHECK: ".insn r 0x33, 2, 0x45, $0, $1, $2", "=r,r,r"
// CHECK: ".insn r 0x33, 2, 0x46, $0, $1, $2", "=r,r,r"
// CHECK: ".insn r 0x33, 2, 0x48, $0, $1, $2", "=r,r,r,0"
// CHECK: ".insn r 0x33, 1, 0x41, $0, $1, $2", "=r,r,r"
// CHECK: arith.addf %{{.*}}, %{{.*}} : f16
func.func @lanes(%a: vector<2xf16>, %b: vector<2xf16>, %x: vector<2xbf16>,
                 %s: f16) -> (vector<2xf16>, vector<2xbf16>, f16) {
  %0 = arith.addf %a, %b : vector<2xf16>
  %1 = arith.subf %0, %b : vector<2xf16>
  %2 = arith.mulf %1, %b : vector<2xf16>
  %3 = arith.minnumf %2, %b : vector<2xf16>
  %4 = arith.maxnumf %3, %b : vector<2xf16>
  %5 = math.fma %4, %b, %a : vector<2xf16>
  %6 = arith.addf %x, %x : vector<2xbf16>
  %7 = arith.addf %s, %s : f16
  return %5, %6, %7 : vector<2xf16>, vector<2xbf16>, f16
}

// Scalar bf16 arithmetic (an SGD update in bf16 where its loop does not
// pair) runs in lane 0 of the same instructions, vfmac.ah 0x90001033 and
// vfmul.ah 0x86001033, rounded as the pairs are: each operand's 16 bits
// zero-extended into a register, the result's low half taken back. (LLVM
// has no bf16 arithmetic for the cores: it would call soft-float
// conversions.)
// CHECK-LABEL: func.func @scalar_bf16
// CHECK-DAG: %[[A:.*]] = llvm.zext %{{.*}} : i16 to i32
// CHECK-DAG: %[[B:.*]] = llvm.zext %{{.*}} : i16 to i32
// CHECK-DAG: %[[C:.*]] = llvm.zext %{{.*}} : i16 to i32
// CHECK: %[[F:.*]] = llvm.inline_asm ".insn r 0x33, 1, 0x48, $0, $1, $2", "=r,r,r,0" %[[A]], %[[B]], %[[C]]
// CHECK: %[[T:.*]] = llvm.trunc %[[F]] : i32 to i16
// CHECK: %[[R:.*]] = llvm.bitcast %[[T]] : i16 to bf16
// CHECK: llvm.inline_asm ".insn r 0x33, 1, 0x43, $0, $1, $2", "=r,r,r"
// CHECK-NOT: math.fma
// CHECK-NOT: arith.mulf
func.func @scalar_bf16(%a: bf16, %b: bf16, %c: bf16) -> (bf16, bf16) {
  %0 = math.fma %a, %b, %c : bf16
  %1 = arith.mulf %0, %b : bf16
  return %0, %1 : bf16, bf16
}

// Packing two f32 into a pair: vfcpka.h.s 0xb0002033 and vfcpka.ah.s
// 0xb0001033, lane 0 from rs1.
// CHECK-LABEL: func.func @pack
// CHECK-DAG: %[[X:.*]] = llvm.bitcast %arg0 : f32 to i32
// CHECK-DAG: %[[Y:.*]] = llvm.bitcast %arg1 : f32 to i32
// CHECK: %[[R:.*]] = llvm.inline_asm ".insn r 0x33, 2, 0x58, $0, $1, $2", "=r,r,r" %[[X]], %[[Y]]
// CHECK: llvm.bitcast %[[R]] : i32 to vector<2xf16>
// CHECK: %[[B:.*]] = llvm.inline_asm ".insn r 0x33, 1, 0x58, $0, $1, $2", "=r,r,r"
// CHECK: llvm.bitcast %[[B]] : i32 to vector<2xbf16>
func.func @pack(%x: f32, %y: f32) -> (vector<2xf16>, vector<2xbf16>) {
  %p = cluster.pack %x, %y : vector<2xf16>
  %b = cluster.pack %x, %y : vector<2xbf16>
  return %p, %b : vector<2xf16>, vector<2xbf16>
}

// Pair loads and stores: one 32-bit access each, with 32-bit indices.
// CHECK-LABEL: func.func @load_store
// CHECK: llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<2xf16>
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : vector<2xf16>, !llvm.ptr
// CHECK-NOT: vector.
func.func @load_store(%m: memref<8xf16>, %i: index) {
  %v = vector.load %m[%i] {alignment = 4 : i64} : memref<8xf16>, vector<2xf16>
  vector.store %v, %m[%i] {alignment = 4 : i64} : memref<8xf16>, vector<2xf16>
  return
}

// The lanes of a pair (an element-wise loop's word load): the register
// itself truncated to 16 bits for lane 0, shifted right by 16 for lane 1;
// bf16 the same.
// CHECK-LABEL: func.func @lanes_extract
// CHECK: %[[W:.*]] = llvm.bitcast %arg0 : vector<2xf16> to i32
// CHECK: %[[L0:.*]] = llvm.trunc %[[W]] : i32 to i16
// CHECK: %[[H0:.*]] = llvm.bitcast %[[L0]] : i16 to f16
// CHECK: %[[W1:.*]] = llvm.bitcast %arg0 : vector<2xf16> to i32
// CHECK: %[[S:.*]] = llvm.mlir.constant(16 : i32) : i32
// CHECK: %[[SH:.*]] = llvm.lshr %[[W1]], %[[S]] : i32
// CHECK: %[[L1:.*]] = llvm.trunc %[[SH]] : i32 to i16
// CHECK: %[[H1:.*]] = llvm.bitcast %[[L1]] : i16 to f16
// CHECK: llvm.bitcast %arg1 : vector<2xbf16> to i32
// CHECK: llvm.bitcast %{{.*}} : i16 to bf16
// CHECK: return %[[H0]], %[[H1]]
// CHECK-NOT: vector.extract
func.func @lanes_extract(%p: vector<2xf16>, %q: vector<2xbf16>) -> (f16, f16, bf16) {
  %0 = vector.extract %p[0] : f16 from vector<2xf16>
  %1 = vector.extract %p[1] : f16 from vector<2xf16>
  %2 = vector.extract %q[0] : bf16 from vector<2xbf16>
  return %0, %1, %2 : f16, f16, bf16
}

// Lanes 0 and lanes 1 of two pairs regrouped (the column pairs of a
// linear input gradient): cv.pack 0xf000007b and cv.pack.h 0xf200007b of
// XCVsimd, rs1 the second pair (lane 1 of the result), rs2 the first;
// bf16 the same. Other shuffles stay.
// CHECK-LABEL: func.func @lane_shuffles
// CHECK-DAG: %[[A:.*]] = llvm.bitcast %arg0 : vector<2xf16> to i32
// CHECK-DAG: %[[B:.*]] = llvm.bitcast %arg1 : vector<2xf16> to i32
// CHECK: %[[P:.*]] = llvm.inline_asm ".insn r 0x7b, 0, 0x78, $0, $1, $2", "=r,r,r" %[[B]], %[[A]] : (i32, i32) -> i32
// CHECK: llvm.bitcast %[[P]] : i32 to vector<2xf16>
// CHECK: llvm.inline_asm ".insn r 0x7b, 0, 0x79, $0, $1, $2", "=r,r,r"
// CHECK: llvm.inline_asm ".insn r 0x7b, 0, 0x78, $0, $1, $2", "=r,r,r"
// CHECK: llvm.shufflevector %arg0, %arg1 [1, 0]
func.func @lane_shuffles(%a: vector<2xf16>, %b: vector<2xf16>,
                         %x: vector<2xbf16>, %y: vector<2xbf16>)
    -> (vector<2xf16>, vector<2xf16>, vector<2xbf16>, vector<2xf16>) {
  %0 = vector.shuffle %a, %b [0, 2] : vector<2xf16>, vector<2xf16>
  %1 = vector.shuffle %a, %b [1, 3] : vector<2xf16>, vector<2xf16>
  %2 = vector.shuffle %x, %y [0, 2] : vector<2xbf16>, vector<2xbf16>
  %3 = vector.shuffle %a, %b [1, 0] : vector<2xf16>, vector<2xf16>
  return %0, %1, %2, %3 : vector<2xf16>, vector<2xf16>, vector<2xbf16>, vector<2xf16>
}

// A scalar f16 multiply-accumulate into f32 (what stays of a reduction that
// is not paired): fmacex.s.h 0x54000053 on the halves' registers, the same
// single rounding as fmadd.s of the extended values, without the two
// conversions. Other operand types stay math.fma.
// CHECK-LABEL: func.func @macex
// CHECK: %[[C:.*]] = llvm.bitcast %arg2 : f32 to i32
// CHECK: %[[R:.*]] = llvm.inline_asm ".insn r 0x53, 0, 0x2a, $0, $1, $2", "=r,r,r,0" %arg0, %arg1, %[[C]] : (f16, f16, i32) -> i32
// CHECK: llvm.bitcast %[[R]] : i32 to f32
// CHECK: math.fma %arg3, %arg3, %arg2 : f32
func.func @macex(%a: f16, %b: f16, %acc: f32, %x: f32) -> (f32, f32) {
  %ea = arith.extf %a : f16 to f32
  %eb = arith.extf %b : f16 to f32
  %0 = math.fma %ea, %eb, %acc : f32
  %1 = math.fma %x, %x, %acc : f32
  return %0, %1 : f32, f32
}

// The bf16 form, fmacex.s.ah 0x54005053: each operand's register holds the
// bf16 in bits 15:0, zero above (bitcast to i16, zext), without the two
// shifts of the extensions. An f16 times a bf16 stays math.fma.
// CHECK-LABEL: func.func @macex_bf16
// CHECK: %[[IA:.*]] = llvm.bitcast %arg0 : bf16 to i16
// CHECK: %[[A:.*]] = llvm.zext %[[IA]] : i16 to i32
// CHECK: %[[IB:.*]] = llvm.bitcast %arg1 : bf16 to i16
// CHECK: %[[B:.*]] = llvm.zext %[[IB]] : i16 to i32
// CHECK: %[[C:.*]] = llvm.bitcast %arg2 : f32 to i32
// CHECK: %[[R:.*]] = llvm.inline_asm ".insn r 0x53, 5, 0x2a, $0, $1, $2", "=r,r,r,0" %[[A]], %[[B]], %[[C]] : (i32, i32, i32) -> i32
// CHECK: llvm.bitcast %[[R]] : i32 to f32
// CHECK: math.fma %{{.*}}, %{{.*}}, %arg2 : f32
// CHECK-NOT: inline_asm
func.func @macex_bf16(%a: bf16, %b: bf16, %acc: f32, %h: f16) -> (f32, f32) {
  %ea = arith.extf %a : bf16 to f32
  %eb = arith.extf %b : bf16 to f32
  %0 = math.fma %ea, %eb, %acc : f32
  %eh = arith.extf %h : f16 to f32
  %1 = math.fma %ea, %eh, %acc : f32
  return %0, %1 : f32, f32
}

// A scalar f32 -> bf16 rounding: vfcvt.ah.s 0x98401033, whose rs2 field 4
// is part of the opcode (x4), one operand; the bf16 is bits 15:0 of rd.
// An explicit round-to-nearest-even is the same rounding. Other roundings
// stay arith.truncf (arith-expand or LLVM lower them): f16 (one fcvt.h.s
// under Zhinx), vectors other than pairs' packs, other rounding modes.
// CHECK-LABEL: func.func @round_bf16
// CHECK: %[[X:.*]] = llvm.bitcast %arg0 : f32 to i32
// CHECK: %[[R:.*]] = llvm.inline_asm ".insn r 0x33, 1, 0x4c, $0, $1, x4", "=r,r" %[[X]] : (i32) -> i32
// CHECK: %[[T:.*]] = llvm.trunc %[[R]] : i32 to i16
// CHECK: %[[B:.*]] = llvm.bitcast %[[T]] : i16 to bf16
// CHECK: %[[R2:.*]] = llvm.inline_asm ".insn r 0x33, 1, 0x4c, $0, $1, x4", "=r,r"
// CHECK: %[[T2:.*]] = llvm.trunc %[[R2]] : i32 to i16
// CHECK: %[[B2:.*]] = llvm.bitcast %[[T2]] : i16 to bf16
// CHECK-NOT: inline_asm
// CHECK: %[[H:.*]] = arith.truncf %arg0 : f32 to f16
// CHECK: %[[V:.*]] = arith.truncf %arg1 : vector<4xf32> to vector<4xbf16>
// CHECK: %[[Z:.*]] = arith.truncf %arg0 toward_zero : f32 to bf16
// CHECK: return %[[B]], %[[B2]], %[[H]], %[[V]], %[[Z]]
func.func @round_bf16(%x: f32, %v: vector<4xf32>)
    -> (bf16, bf16, f16, vector<4xbf16>, bf16) {
  %0 = arith.truncf %x : f32 to bf16
  %1 = arith.truncf %x to_nearest_even : f32 to bf16
  %2 = arith.truncf %x : f32 to f16
  %3 = arith.truncf %v : vector<4xf32> to vector<4xbf16>
  %4 = arith.truncf %x toward_zero : f32 to bf16
  return %0, %1, %2, %3, %4 : bf16, bf16, f16, vector<4xbf16>, bf16
}
