#!/usr/bin/env python3
"""Regenerates unittests/Sim/Encodings.def: one line per instruction form the
simulator decodes, with the 32-bit (or 16-bit) word llvm-mc assigns to it.

Usage: gen_encodings.py LLVM_MC > Encodings.def
The unit test SimTests/Encodings decodes every word and compares the
simulator's disassembly with the assembly text, so the decoder is checked
against llvm-mc, an independent assembler. The PULP Xfvec instructions are
unknown to llvm-mc; they are assembled as `.insn r` from ISA.md's MATCH values.
"""
import subprocess
import sys

MATTR = "+m,+zifencei,+zfinx,+zhinx,+xcvmem,+xcvmac,+xcvalu,+xcvbi,+xcvsimd,+xcvelw"

base = """
lui a0, 74565
auipc a0, 1
jal a0, 2048
jalr a0, -8(a1)
beq a1, a2, -16
bne a1, a2, 16
blt a1, a2, 16
bge a1, a2, 16
bltu a1, a2, 16
bgeu a1, a2, 16
lb a0, -4(a1)
lh a0, 4(a1)
lw a0, 8(a1)
lbu a0, 12(a1)
lhu a0, 2(a1)
sb a2, -4(a1)
sh a2, 4(a1)
sw a2, 2044(a1)
addi a0, a1, -2048
slti a0, a1, 7
sltiu a0, a1, 7
xori a0, a1, -1
ori a0, a1, 255
andi a0, a1, 15
slli a0, a1, 31
srli a0, a1, 3
srai a0, a1, 3
add a0, a1, a2
sub a0, a1, a2
sll a0, a1, a2
slt a0, a1, a2
sltu a0, a1, a2
xor a0, a1, a2
srl a0, a1, a2
sra a0, a1, a2
or a0, a1, a2
and a0, a1, a2
fence
fence.i
ecall
ebreak
wfi
mret
csrrw a0, mscratch, a1
csrrs a0, mcycle, a1
csrrc a0, minstret, a1
csrrwi a0, mscratch, 5
csrrsi a0, mstatus, 5
csrrci a0, mstatus, 5
mul a0, a1, a2
mulh a0, a1, a2
mulhsu a0, a1, a2
mulhu a0, a1, a2
div a0, a1, a2
divu a0, a1, a2
rem a0, a1, a2
remu a0, a1, a2
"""

# Compressed instructions and their 32-bit expansions.
compressed = [
  ("c.addi4spn a0, sp, 16", "addi a0, sp, 16"),
  ("c.lw a0, 4(a1)", "lw a0, 4(a1)"),
  ("c.sw a0, 4(a1)", "sw a0, 4(a1)"),
  ("c.nop", "addi zero, zero, 0"),
  ("c.addi a0, -5", "addi a0, a0, -5"),
  ("c.jal 64", "jal ra, 64"),
  ("c.li a0, -3", "addi a0, zero, -3"),
  ("c.addi16sp sp, -64", "addi sp, sp, -64"),
  ("c.lui a0, 4", "lui a0, 4"),
  ("c.lui a0, 1048575", "lui a0, 1048575"),
  ("c.srli a0, 3", "srli a0, a0, 3"),
  ("c.srai a0, 3", "srai a0, a0, 3"),
  ("c.andi a0, -2", "andi a0, a0, -2"),
  ("c.sub a0, a1", "sub a0, a0, a1"),
  ("c.xor a0, a1", "xor a0, a0, a1"),
  ("c.or a0, a1", "or a0, a0, a1"),
  ("c.and a0, a1", "and a0, a0, a1"),
  ("c.j -64", "jal zero, -64"),
  ("c.beqz a0, 32", "beq a0, zero, 32"),
  ("c.bnez a0, -32", "bne a0, zero, -32"),
  ("c.slli a0, 4", "slli a0, a0, 4"),
  ("c.lwsp a0, 8(sp)", "lw a0, 8(sp)"),
  ("c.jr a1", "jalr zero, 0(a1)"),
  ("c.mv a0, a1", "add a0, zero, a1"),
  ("c.ebreak", "ebreak"),
  ("c.jalr a1", "jalr ra, 0(a1)"),
  ("c.add a0, a1", "add a0, a0, a1"),
  ("c.swsp a0, 12(sp)", "sw a0, 12(sp)"),
]

fp = []
for t in ("s", "h"):
  for op in ("fadd", "fsub", "fmul", "fdiv"):
    fp.append(f"{op}.{t} a0, a1, a2")
    fp.append(f"{op}.{t} a0, a1, a2, rtz")
  fp.append(f"fsqrt.{t} a0, a1")
  for op in ("fmadd", "fmsub", "fnmadd", "fnmsub"):
    fp.append(f"{op}.{t} a0, a1, a2, a3")
    fp.append(f"{op}.{t} a0, a1, a2, a3, rup")
  for op in ("fsgnj", "fsgnjn", "fsgnjx", "fmin", "fmax", "feq", "flt", "fle"):
    fp.append(f"{op}.{t} a0, a1, a2")
  fp.append(f"fclass.{t} a0, a1")
  for i in ("w", "wu"):
    fp.append(f"fcvt.{i}.{t} a0, a1, rtz")
    fp.append(f"fcvt.{i}.{t} a0, a1")
    fp.append(f"fcvt.{t}.{i} a0, a1")
    fp.append(f"fcvt.{t}.{i} a0, a1, rdn")
fp += ["fcvt.s.h a0, a1", "fcvt.h.s a0, a1", "fcvt.h.s a0, a1, rmm",
       "csrrs a0, fcsr, zero", "csrrw a0, frm, a1", "csrrs a0, fflags, zero"]

cv = """
cv.lb a0, (a1), -4
cv.lbu a0, (a1), 4
cv.lh a0, (a1), 2
cv.lhu a0, (a1), -2
cv.lw a0, (a1), 4
cv.lb a0, (a1), a2
cv.lbu a0, (a1), a2
cv.lh a0, (a1), a2
cv.lhu a0, (a1), a2
cv.lw a0, (a1), a2
cv.lb a0, a2(a1)
cv.lbu a0, a2(a1)
cv.lh a0, a2(a1)
cv.lhu a0, a2(a1)
cv.lw a0, a2(a1)
cv.sb a0, (a1), -4
cv.sh a0, (a1), 2
cv.sw a0, (a1), 4
cv.sb a0, (a1), a2
cv.sh a0, (a1), a2
cv.sw a0, (a1), a2
cv.sb a0, a2(a1)
cv.sh a0, a2(a1)
cv.sw a0, a2(a1)
cv.elw a0, 8(a1)
cv.beqimm a0, 5, 16
cv.bneimm a0, -5, -16
cv.mac a0, a1, a2
cv.msu a0, a1, a2
cv.abs a0, a1
cv.sle a0, a1, a2
cv.sleu a0, a1, a2
cv.min a0, a1, a2
cv.minu a0, a1, a2
cv.max a0, a1, a2
cv.maxu a0, a1, a2
cv.exths a0, a1
cv.exthz a0, a1
cv.extbs a0, a1
cv.extbz a0, a1
cv.clip a0, a1, 5
cv.clipu a0, a1, 5
cv.clipr a0, a1, a2
cv.clipur a0, a1, a2
"""
for op in ("addn", "addun", "addrn", "addurn", "subn", "subun", "subrn", "suburn",
           "mulsn", "mulhhsn", "mulsrn", "mulhhsrn", "mulun", "mulhhun", "mulurn",
           "mulhhurn", "macsn", "machhsn", "macsrn", "machhsrn", "macun", "machhun",
           "macurn", "machhurn"):
  cv += f"cv.{op} a0, a1, a2, 3\n"
for op in ("addnr", "addunr", "addrnr", "addurnr", "subnr", "subunr", "subrnr", "suburnr"):
  cv += f"cv.{op} a0, a1, a2\n"
simd_ops = ["add", "sub", "avg", "avgu", "min", "minu", "max", "maxu", "srl", "sra",
            "sll", "or", "xor", "and", "dotup", "dotusp", "dotsp", "sdotup", "sdotusp",
            "sdotsp", "cmpeq", "cmpne", "cmpgt", "cmpge", "cmplt", "cmple", "cmpgtu",
            "cmpgeu", "cmpltu", "cmpleu"]
uimm_ops = {"avgu", "minu", "maxu", "srl", "sra", "sll", "dotup", "sdotup",
            "cmpgtu", "cmpgeu", "cmpltu", "cmpleu"}
for op in simd_ops:
  for w in ("h", "b"):
    cv += f"cv.{op}.{w} a0, a1, a2\n"
    cv += f"cv.{op}.sc.{w} a0, a1, a2\n"
    imm = 5 if op in uimm_ops else -5
    cv += f"cv.{op}.sci.{w} a0, a1, {imm}\n"
cv += """
cv.abs.h a0, a1
cv.abs.b a0, a1
cv.extract.h a0, a1, 1
cv.extract.b a0, a1, 3
cv.extractu.h a0, a1, 1
cv.extractu.b a0, a1, 2
cv.insert.h a0, a1, 1
cv.insert.b a0, a1, 3
cv.shuffle.h a0, a1, a2
cv.shuffle.b a0, a1, a2
cv.shuffle.sci.h a0, a1, 5
cv.shufflei0.sci.b a0, a1, 5
cv.shufflei1.sci.b a0, a1, 5
cv.shufflei2.sci.b a0, a1, 5
cv.shufflei3.sci.b a0, a1, 5
cv.shuffle2.h a0, a1, a2
cv.shuffle2.b a0, a1, a2
cv.pack a0, a1, a2
cv.pack.h a0, a1, a2
cv.packhi.b a0, a1, a2
cv.packlo.b a0, a1, a2
cv.cplxmul.r a0, a1, a2
cv.cplxmul.r.div2 a0, a1, a2
cv.cplxmul.r.div4 a0, a1, a2
cv.cplxmul.r.div8 a0, a1, a2
cv.cplxmul.i a0, a1, a2
cv.cplxmul.i.div2 a0, a1, a2
cv.cplxmul.i.div4 a0, a1, a2
cv.cplxmul.i.div8 a0, a1, a2
cv.cplxconj a0, a1
cv.subrotmj a0, a1, a2
cv.subrotmj.div2 a0, a1, a2
cv.subrotmj.div4 a0, a1, a2
cv.subrotmj.div8 a0, a1, a2
cv.add.div2 a0, a1, a2
cv.add.div4 a0, a1, a2
cv.add.div8 a0, a1, a2
cv.sub.div2 a0, a1, a2
cv.sub.div4 a0, a1, a2
cv.sub.div8 a0, a1, a2
"""

# PULP Xfvec (ISA.md), not known to llvm-mc: .insn r opcode, funct3, funct7.
xfvec = [
  ("vfadd.h a0, a1, a2", 0x33, 2, 0x41), ("vfsub.h a0, a1, a2", 0x33, 2, 0x42),
  ("vfmul.h a0, a1, a2", 0x33, 2, 0x43), ("vfmin.h a0, a1, a2", 0x33, 2, 0x45),
  ("vfmax.h a0, a1, a2", 0x33, 2, 0x46), ("vfmac.h a0, a1, a2", 0x33, 2, 0x48),
  ("vfmac.r.h a0, a1, a2", 0x33, 6, 0x48),
  ("vfadd.r.h a0, a1, a2", 0x33, 6, 0x41), ("vfsub.r.h a0, a1, a2", 0x33, 6, 0x42),
  ("vfmul.r.h a0, a1, a2", 0x33, 6, 0x43), ("vfmin.r.h a0, a1, a2", 0x33, 6, 0x45),
  ("vfmax.r.h a0, a1, a2", 0x33, 6, 0x46),
  ("vfdotpex.s.h a0, a1, a2", 0x33, 0, 0x4b), ("vfcpka.h.s a0, a1, a2", 0x33, 2, 0x58),
  ("fmulex.s.h a0, a1, a2", 0x53, 0, 0x26), ("fmacex.s.h a0, a1, a2", 0x53, 0, 0x2a),
  # bfloat16 ("alt-half") forms: format bits [13:12] = 01 (funct3 1, 5 for .r),
  # as pulp-platform/riscv-opcodes opcodes-sflt_CUSTOM gives them.
  ("vfadd.ah a0, a1, a2", 0x33, 1, 0x41), ("vfsub.ah a0, a1, a2", 0x33, 1, 0x42),
  ("vfmul.ah a0, a1, a2", 0x33, 1, 0x43), ("vfmin.ah a0, a1, a2", 0x33, 1, 0x45),
  ("vfmax.ah a0, a1, a2", 0x33, 1, 0x46), ("vfmac.ah a0, a1, a2", 0x33, 1, 0x48),
  ("vfadd.r.ah a0, a1, a2", 0x33, 5, 0x41), ("vfsub.r.ah a0, a1, a2", 0x33, 5, 0x42),
  ("vfmul.r.ah a0, a1, a2", 0x33, 5, 0x43), ("vfmin.r.ah a0, a1, a2", 0x33, 5, 0x45),
  ("vfmax.r.ah a0, a1, a2", 0x33, 5, 0x46), ("vfmac.r.ah a0, a1, a2", 0x33, 5, 0x48),
  ("vfdotpex.s.ah a0, a1, a2", 0x33, 1, 0x4b), ("vfcpka.ah.s a0, a1, a2", 0x33, 1, 0x58),
  # Expanding scalar bf16 forms: funct3 101 (GVSoC's isa_smallfloats.py, Xfaux).
  ("fmulex.s.ah a0, a1, a2", 0x53, 5, 0x26), ("fmacex.s.ah a0, a1, a2", 0x53, 5, 0x2a),
]
xfvec_unary = [("vfcvt.s.h a0, a1", 0x98600033), ("vfcvt.h.s a0, a1", 0x98402033),
               ("vfcvt.s.ah a0, a1", 0x98500033), ("vfcvt.ah.s a0, a1", 0x98401033)]

# CORE-V hardware loops (xcvhwlp), not known to llvm-mc 22: the layout of
# the CV32E40P v2 user manual (docs/source/instruction_set_extensions.rst,
# "Hardware Loops"): uimmL[31:20], rs1/uimmS[19:15], funct3 100,
# funct4[11:8], L[7], opcode 0x2b. Texts: counts as given, addresses as byte
# offsets.
hwlp = [  # (text, funct4, L, uimmL, rs1 or uimmS)
  ("cv.starti 0, 16", 0, 0, 4, 0), ("cv.start 1, a1", 1, 1, 0, 11),
  ("cv.endi 1, 40", 2, 1, 10, 0), ("cv.end 0, a2", 3, 0, 0, 12),
  ("cv.counti 0, 100", 4, 0, 100, 0), ("cv.count 1, a0", 5, 1, 0, 10),
  ("cv.setupi 1, 4095, 124", 6, 1, 4095, 31), ("cv.setup 0, a3, 8188", 7, 0, 2047, 13),
]


def assemble(lines, mattr):
  src = "\n".join(l.strip() for l in lines if l.strip()) + "\n"
  out = subprocess.run([sys.argv[1], "-triple=riscv32", "-mattr=" + mattr,
                        "-show-encoding", "-riscv-no-aliases"],
                       input=src, capture_output=True, text=True, check=True)
  res = []
  for line in out.stdout.splitlines():
    if "encoding:" not in line:
      continue
    enc = line.split("encoding: [")[1].rstrip("]").split(",")
    word = 0
    for i, b in enumerate(enc):
      word |= int(b, 16) << (8 * i)
    res.append((len(enc), word))
  assert len(res) == len(src.splitlines()), "llvm-mc dropped a line"
  return res


def main():
  rows = []
  groups = [base.splitlines(), fp, cv.splitlines()]
  for g in groups:
    lines = [l.strip() for l in g if l.strip()]
    for text, (n, word) in zip(lines, assemble(lines, MATTR)):
      rows.append((n, word, text))
  ctext = [c for c, _ in compressed]
  cexp = [e for _, e in compressed]
  for (c, e), (n, word), (n32, word32) in zip(
      compressed, assemble(ctext, MATTR + ",+c"), assemble(cexp, MATTR)):
    assert n == 2 and n32 == 4, c
    rows.append((2, word, c))
    rows.append((4, word32, e))
  for text, opc, f3, f7 in xfvec:
    rows.append((4, opc | (10 << 7) | (f3 << 12) | (11 << 15) | (12 << 20) | (f7 << 25), text))
  for text, match in xfvec_unary:
    rows.append((4, match | (10 << 7) | (11 << 15), text))
  for text, f4, l, uimm, r in hwlp:
    rows.append((4, (uimm << 20) | (r << 15) | (4 << 12) | (f4 << 8) | (l << 7) | 0x2b, text))
  print("// Generated by test/Sim/Inputs/gen_encodings.py from llvm-mc; do not edit.")
  print("// ENCODING(bytes, word, assembly)")
  for n, word, text in rows:
    print(f'ENCODING({n}, 0x{word:08x}, "{text}")')


if __name__ == "__main__":
  main()
