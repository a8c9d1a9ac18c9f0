//===- SizeColdFunctions.cpp - optsize outside the training steps ---------===//
//
// Gives the LLVM attribute `optsize` to the defined LLVM functions that no
// training step (a function with a `pulptrain.label` argument) reaches
// through symbol uses: initialisers, the inference function and their own
// kernels, which LLVM then unrolls less (compile time, code size).
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Transforms/Passes.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_SIZECOLDFUNCTIONS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {
constexpr llvm::StringLiteral kOptSize = "optsize";

/// Whether `func` is a training step: one of its arguments is the label.
bool isTrainingStep(LLVM::LLVMFuncOp func) {
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
    if (func.getArgAttr(i, attrs::kLabel))
      return true;
  return false;
}

/// The functions of `module` that `roots` reach through symbol uses (calls,
/// addresses taken), the roots included.
llvm::DenseSet<Operation *> reachable(ModuleOp module,
                                      ArrayRef<LLVM::LLVMFuncOp> roots) {
  SymbolTable symbols(module);
  llvm::DenseSet<Operation *> seen;
  SmallVector<Operation *> worklist;
  for (LLVM::LLVMFuncOp root : roots)
    if (seen.insert(root).second)
      worklist.push_back(root);
  while (!worklist.empty()) {
    Operation *func = worklist.pop_back_val();
    std::optional<SymbolTable::UseRange> uses =
        SymbolTable::getSymbolUses(&func->getRegion(0));
    if (!uses)
      continue;
    for (const SymbolTable::SymbolUse &use : *uses) {
      Operation *callee =
          symbols.lookup(use.getSymbolRef().getRootReference());
      if (isa_and_nonnull<LLVM::LLVMFuncOp>(callee) &&
          seen.insert(callee).second)
        worklist.push_back(callee);
    }
  }
  return seen;
}

/// Adds `optsize` to the LLVM attributes `func` passes through.
void addOptSize(LLVM::LLVMFuncOp func) {
  SmallVector<Attribute> passthrough;
  if (ArrayAttr existing = func.getPassthroughAttr())
    llvm::append_range(passthrough, existing);
  auto optSize = StringAttr::get(func.getContext(), kOptSize);
  if (llvm::is_contained(passthrough, optSize))
    return;
  passthrough.push_back(optSize);
  func.setPassthroughAttr(ArrayAttr::get(func.getContext(), passthrough));
}

struct SizeColdFunctionsPass
    : pulptrain::impl::SizeColdFunctionsBase<SizeColdFunctionsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<LLVM::LLVMFuncOp> steps;
    for (auto func : module.getOps<LLVM::LLVMFuncOp>())
      if (!func.isExternal() && isTrainingStep(func))
        steps.push_back(func);
    // A forward model alone: everything in it is what the user runs.
    if (steps.empty())
      return markAllAnalysesPreserved();
    llvm::DenseSet<Operation *> hot = reachable(module, steps);
    for (auto func : module.getOps<LLVM::LLVMFuncOp>()) {
      if (func.isExternal() || hot.contains(func))
        continue;
      addOptSize(func);
      ++numSized;
    }
  }
};
} // namespace
