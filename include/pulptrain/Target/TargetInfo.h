//===- TargetInfo.h - Code generation targets of pulptrain --------*- C++ -*-===//
//
// The one place that says which triple, CPU, ABI and ISA features code for
// the PULP cluster (and for the host) is generated with.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_TARGET_TARGETINFO_H
#define PULPTRAIN_TARGET_TARGETINFO_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <optional>
#include <string>

namespace llvm {
class Module;
class TargetMachine;
class raw_pwrite_stream;
} // namespace llvm

namespace mlir::pulptrain {

/// A code generation target of the compiler.
enum class TargetKind {
  /// The PULP cluster cores: RV32IMC + Zfinx/Zhinx + CORE-V extensions.
  Riscv32,
  /// The same, standard ISA only (no CORE-V): runs under QEMU.
  Riscv32Standard,
  /// The machine the compiler runs on (functional checks, golden tests).
  Host,
};

/// Parses "riscv32", "riscv32-std" or "host".
std::optional<TargetKind> parseTargetKind(StringRef name);

/// The LLVM target description of `kind`.
struct TargetInfo {
  std::string triple;
  std::string cpu;
  /// Comma-separated LLVM subtarget features ("+m,+c,...").
  std::string features;
  /// The ABI name ("ilp32"), empty for the host default.
  std::string abi;
  /// clang's -march for C code of this target ("rv32imc_..."), empty for the
  /// host.
  std::string march;
  /// qemu-riscv32's -cpu for programs of this target; empty where QEMU
  /// cannot run them (CORE-V, the host).
  std::string qemuCpu;
};

/// Returns the description of `kind`. The riscv32 ISA is defined once, in
/// lib/Target/ISA.cmake; every string here is derived from it.
TargetInfo getTargetInfo(TargetKind kind);

/// Creates a target machine for `kind` at optimization level `optLevel`
/// (0-3), or returns null and sets `error`.
std::unique_ptr<llvm::TargetMachine>
createTargetMachine(TargetKind kind, unsigned optLevel, std::string &error);

/// Optimizes `module` (the LLVM -O pipeline at `optLevel`) and emits it for
/// `kind` as an object file (or assembly when `assembly` is set).
LogicalResult emitObject(llvm::Module &module, TargetKind kind,
                         unsigned optLevel, bool assembly,
                         llvm::raw_pwrite_stream &os, std::string &error);

} // namespace mlir::pulptrain

#endif // PULPTRAIN_TARGET_TARGETINFO_H
