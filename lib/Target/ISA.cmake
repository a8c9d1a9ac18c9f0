# The ISA of the PULP cluster cores: the one definition of it in the
# repository. Everything else is derived from these lists at configure time:
#
#   PULPTRAIN_RV32_FEATURES_STD / _XCV  LLVM subtarget features of the
#                                       compiler (lib/Target/TargetInfo.cpp,
#                                       through the generated ISA.inc)
#   PULPTRAIN_RV32_MARCH_STD / _XCV     clang's -march of the C runtime and
#                                       pulptrain-cc (runtime/lib, tools)
#   PULPTRAIN_RV32_MABI                 the ABI of both
#   PULPTRAIN_RV32_QEMU_CPU             qemu-riscv32's -cpu of the standard
#                                       ISA (pulptrain-run --qemu, tests)
#
# Extensions are lower case, in canonical order: single letters first.

# The standard ISA: integer multiply/divide, compressed instructions, CSRs,
# FP32 and FP16 in the integer registers (no F register file).
set(PULPTRAIN_RV32_EXTENSIONS_STD m c zicsr zfinx zhinx)
# The CORE-V extensions of the cluster cores that LLVM 22 knows (the PULP
# FP16 SIMD subset, Xfvec, is emitted as .insn: shared/ISA.md).
set(PULPTRAIN_RV32_EXTENSIONS_XCV xcvmem xcvmac xcvalu xcvbi xcvsimd)
set(PULPTRAIN_RV32_MABI ilp32)

# What QEMU 7.2's "rv32" CPU model enables by default; the -cpu string
# enables the rest.
set(_pulptrain_qemu_rv32_defaults i m a f d c zicsr zifencei)

# -march: "rv32i" + single letters + "_"-joined multi-letter extensions.
function(_pulptrain_march out)
  set(march rv32i)
  foreach(ext ${ARGN})
    string(LENGTH ${ext} len)
    if(len EQUAL 1)
      string(APPEND march ${ext})
    else()
      string(APPEND march _${ext})
    endif()
  endforeach()
  set(${out} ${march} PARENT_SCOPE)
endfunction()

# LLVM features: "+m,+c,...".
function(_pulptrain_features out)
  list(TRANSFORM ARGN PREPEND "+" OUTPUT_VARIABLE features)
  list(JOIN features "," features)
  set(${out} ${features} PARENT_SCOPE)
endfunction()

_pulptrain_march(PULPTRAIN_RV32_MARCH_STD ${PULPTRAIN_RV32_EXTENSIONS_STD})
_pulptrain_march(PULPTRAIN_RV32_MARCH_XCV ${PULPTRAIN_RV32_EXTENSIONS_STD}
                 ${PULPTRAIN_RV32_EXTENSIONS_XCV})
_pulptrain_features(PULPTRAIN_RV32_FEATURES_STD
                    ${PULPTRAIN_RV32_EXTENSIONS_STD})
_pulptrain_features(PULPTRAIN_RV32_FEATURES_XCV
                    ${PULPTRAIN_RV32_EXTENSIONS_STD}
                    ${PULPTRAIN_RV32_EXTENSIONS_XCV})

# QEMU: Zfinx replaces the F (and so D) register file; every extension QEMU
# does not enable by default is switched on.
set(PULPTRAIN_RV32_QEMU_CPU rv32)
if(zfinx IN_LIST PULPTRAIN_RV32_EXTENSIONS_STD)
  string(APPEND PULPTRAIN_RV32_QEMU_CPU ",f=false,d=false")
endif()
foreach(ext ${PULPTRAIN_RV32_EXTENSIONS_STD})
  if(NOT ext IN_LIST _pulptrain_qemu_rv32_defaults)
    string(APPEND PULPTRAIN_RV32_QEMU_CPU ",${ext}=true")
  endif()
endforeach()
