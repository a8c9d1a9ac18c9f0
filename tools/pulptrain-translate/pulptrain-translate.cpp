//===- pulptrain-translate.cpp - Translations to LLVM IR and objects ------===//
//
// mlir-translate restricted to the builtin and LLVM dialects, plus the
// translations that produce RISC-V and host objects:
//
//   --mlir-to-llvmir       LLVM dialect  -> LLVM IR (text)
//   --mlir-to-object       LLVM dialect  -> object (or assembly)
//   --llvmir-to-object     LLVM IR text  -> object (or assembly)
//   --mlir-to-c-header     tensor level  -> C header of the public functions
//   --mlir-to-manifest     tensor level  -> their C interface as JSON
//
// Objects are for --target=riscv32 (default), riscv32-std or host.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/DLTI/DLTI.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "pulptrain/Target/CHeader.h"
#include "pulptrain/Target/Manifest.h"
#include "pulptrain/Target/TargetInfo.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::pulptrain;

static llvm::cl::opt<std::string>
    targetName("target",
               llvm::cl::desc("Object target: riscv32 (PULP cluster, "
                              "default), riscv32-std (no CORE-V) or host"),
               llvm::cl::init("riscv32"));
static llvm::cl::opt<unsigned>
    optLevel("O", llvm::cl::desc("LLVM optimization level (0-3)"),
             llvm::cl::init(3), llvm::cl::Prefix);
static llvm::cl::opt<bool>
    emitAssembly("S", llvm::cl::desc("Emit assembly instead of an object"),
                 llvm::cl::init(false));

/// Emits `module` as an object for the selected target.
static LogicalResult emitForTarget(llvm::Module &module, Location loc,
                                   raw_ostream &output) {
  std::optional<TargetKind> kind = parseTargetKind(targetName);
  if (!kind)
    return emitError(loc) << "unknown target '" << targetName
                          << "' (expected riscv32, riscv32-std or host)";
  if (optLevel > 3)
    return emitError(loc) << "optimization level -O"
                          << static_cast<unsigned>(optLevel)
                          << " is out of range (0-3)";
  llvm::SmallString<0> buffer;
  llvm::raw_svector_ostream os(buffer);
  std::string error;
  if (failed(emitObject(module, *kind, optLevel, emitAssembly, os, error)))
    return emitError(loc) << error;
  output << buffer;
  return success();
}

/// The dialects a translation from MLIR understands.
static void registerLLVMDialects(DialectRegistry &registry) {
  registry.insert<DLTIDialect, LLVM::LLVMDialect>();
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

static void registerTranslations() {
  TranslateFromMLIRRegistration mlirToLLVMIR(
      "mlir-to-llvmir", "Translate the LLVM dialect to LLVM IR",
      [](Operation *op, raw_ostream &output) -> LogicalResult {
        llvm::LLVMContext llvmContext;
        std::unique_ptr<llvm::Module> module =
            translateModuleToLLVMIR(op, llvmContext);
        if (!module)
          return op->emitError("failed to translate to LLVM IR");
        module->print(output, nullptr);
        return success();
      },
      registerLLVMDialects);

  TranslateFromMLIRRegistration mlirToObject(
      "mlir-to-object", "Translate the LLVM dialect to an object file",
      [](Operation *op, raw_ostream &output) -> LogicalResult {
        llvm::LLVMContext llvmContext;
        // emitObject verifies the LLVM module (once, not twice).
        std::unique_ptr<llvm::Module> module = translateModuleToLLVMIR(
            op, llvmContext, "LLVMDialectModule",
            /*disableVerification=*/true);
        if (!module)
          return op->emitError("failed to translate to LLVM IR");
        return emitForTarget(*module, op->getLoc(), output);
      },
      registerLLVMDialects);

  TranslateRegistration llvmirToObject(
      "llvmir-to-object", "Translate LLVM IR (text) to an object file",
      [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
         raw_ostream &output, MLIRContext *context) -> LogicalResult {
        llvm::LLVMContext llvmContext;
        llvm::SMDiagnostic diag;
        const llvm::MemoryBuffer *buffer =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        std::unique_ptr<llvm::Module> module =
            llvm::parseIR(buffer->getMemBufferRef(), diag, llvmContext);
        Location loc = FileLineColLoc::get(
            context, buffer->getBufferIdentifier(), 0, 0);
        if (!module) {
          Location at = FileLineColLoc::get(
              context, buffer->getBufferIdentifier(), diag.getLineNo(),
              diag.getColumnNo() + 1);
          return emitError(at) << diag.getMessage();
        }
        return emitForTarget(*module, loc, output);
      });
}

int main(int argc, char **argv) {
  registerTranslations();
  registerToCHeaderTranslation();
  registerToManifestTranslation();
  return failed(mlirTranslateMain(argc, argv, "pulptrain translation tool"));
}
