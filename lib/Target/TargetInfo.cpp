//===- TargetInfo.cpp - Code generation targets of pulptrain --------------===//
//
// Target machines for the PULP cluster and the host, and object emission.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Target/TargetInfo.h"

// Generated from lib/Target/ISA.cmake.
#include "ISA.inc"

#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/StandardInstrumentations.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace mlir::pulptrain;

std::optional<TargetKind> mlir::pulptrain::parseTargetKind(StringRef name) {
  return llvm::StringSwitch<std::optional<TargetKind>>(name)
      .Case("riscv32", TargetKind::Riscv32)
      .Case("riscv32-std", TargetKind::Riscv32Standard)
      .Case("host", TargetKind::Host)
      .Default(std::nullopt);
}

TargetInfo mlir::pulptrain::getTargetInfo(TargetKind kind) {
  // PULP cluster cores keep FP32 and FP16 values in integer registers
  // (Zfinx/Zhinx) and implement the CORE-V extensions LLVM knows. The PULP
  // FP16 SIMD subset (Xfvec) is unknown to LLVM and emitted as `.insn`.
  TargetInfo info;
  switch (kind) {
  case TargetKind::Riscv32:
  case TargetKind::Riscv32Standard: {
    bool coreV = kind == TargetKind::Riscv32;
    info.triple = "riscv32-unknown-elf";
    info.cpu = "generic-rv32";
    info.features =
        coreV ? PULPTRAIN_RV32_FEATURES_XCV : PULPTRAIN_RV32_FEATURES_STD;
    info.abi = PULPTRAIN_RV32_MABI;
    info.march = coreV ? PULPTRAIN_RV32_MARCH_XCV : PULPTRAIN_RV32_MARCH_STD;
    // QEMU has no CORE-V extensions.
    if (!coreV)
      info.qemuCpu = PULPTRAIN_RV32_QEMU_CPU;
    return info;
  }
  case TargetKind::Host:
    info.triple = llvm::sys::getDefaultTargetTriple();
    info.cpu = llvm::sys::getHostCPUName().str();
    return info;
  }
  llvm_unreachable("unknown target kind");
}

static void initializeTargets() {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    LLVMInitializeRISCVTargetInfo();
    LLVMInitializeRISCVTarget();
    LLVMInitializeRISCVTargetMC();
    LLVMInitializeRISCVAsmPrinter();
    LLVMInitializeRISCVAsmParser();
    return true;
  }();
  (void)initialized;
}

std::unique_ptr<llvm::TargetMachine>
mlir::pulptrain::createTargetMachine(TargetKind kind, unsigned optLevel,
                                     std::string &error) {
  initializeTargets();
  TargetInfo info = getTargetInfo(kind);
  llvm::Triple triple(info.triple);
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  llvm::TargetOptions options;
  options.MCOptions.ABIName = info.abi;
  // FMA contraction is decided in the IR (fastmath<contract>), not here.
  options.AllowFPOpFusion = llvm::FPOpFusion::Standard;
  llvm::CodeGenOptLevel level = llvm::CodeGenOptLevel::Default;
  switch (optLevel) {
  case 0:
    level = llvm::CodeGenOptLevel::None;
    break;
  case 1:
    level = llvm::CodeGenOptLevel::Less;
    break;
  case 2:
    level = llvm::CodeGenOptLevel::Default;
    break;
  default:
    level = llvm::CodeGenOptLevel::Aggressive;
    break;
  }
  std::optional<llvm::Reloc::Model> reloc;
  if (kind == TargetKind::Host)
    reloc = llvm::Reloc::PIC_;
  else
    reloc = llvm::Reloc::Static;
  return std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      triple, info.cpu, info.features, options, reloc, std::nullopt, level));
}

/// Runs LLVM's standard -O pipeline on `module` for `tm`. The standard
/// instrumentations make the pipeline honour `optnone` and LLVM's own
/// command-line options of the tools (`-time-passes` reports the middle end
/// as well as code generation, `-print-after=...`).
static void optimizeModule(llvm::Module &module, llvm::TargetMachine &tm,
                           unsigned optLevel) {
  if (optLevel == 0)
    return;
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassInstrumentationCallbacks callbacks;
  llvm::StandardInstrumentations instrumentations(module.getContext(),
                                                  /*DebugLogging=*/false);
  instrumentations.registerCallbacks(callbacks, &mam);
  llvm::PassBuilder pb(&tm, llvm::PipelineTuningOptions(), std::nullopt,
                       &callbacks);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::OptimizationLevel level = optLevel == 1   ? llvm::OptimizationLevel::O1
                                  : optLevel == 2 ? llvm::OptimizationLevel::O2
                                                  : llvm::OptimizationLevel::O3;
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(level);
  mpm.run(module, mam);
}

LogicalResult mlir::pulptrain::emitObject(llvm::Module &module, TargetKind kind,
                                          unsigned optLevel, bool assembly,
                                          llvm::raw_pwrite_stream &os,
                                          std::string &error) {
  std::unique_ptr<llvm::TargetMachine> tm =
      createTargetMachine(kind, optLevel, error);
  if (!tm)
    return failure();
  module.setTargetTriple(tm->getTargetTriple());
  module.setDataLayout(tm->createDataLayout());
  // Functions carry the target's CPU and features so that inlining and
  // code generation agree. The generated code and the C runtime it calls
  // throw no exceptions: no function unwinds, so there are no unwind
  // tables (.eh_frame, 22 KB of MobileNetV1-0.25's object, loaded into L2
  // with the code).
  for (llvm::Function &f : module) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr(llvm::Attribute::NoUnwind);
    f.addFnAttr("target-cpu", tm->getTargetCPU());
    if (!tm->getTargetFeatureString().empty())
      f.addFnAttr("target-features", tm->getTargetFeatureString());
  }
  std::string verifyErrors;
  llvm::raw_string_ostream verifyOs(verifyErrors);
  if (llvm::verifyModule(module, &verifyOs)) {
    error = "invalid LLVM IR: " + verifyErrors;
    return failure();
  }
  optimizeModule(module, *tm, optLevel);

  llvm::legacy::PassManager pm;
  auto fileType = assembly ? llvm::CodeGenFileType::AssemblyFile
                           : llvm::CodeGenFileType::ObjectFile;
  if (tm->addPassesToEmitFile(pm, os, nullptr, fileType)) {
    error = "the target cannot emit this file type";
    return failure();
  }
  pm.run(module);
  return success();
}
