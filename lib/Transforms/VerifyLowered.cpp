//===- VerifyLowered.cpp - nothing but the LLVM dialect -------------------===//
//
// Fails a lowering that left an op outside the LLVM dialect, instead of
// handing IR that pulptrain-translate cannot read to the next tool.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMTypes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_VERIFYLOWERED
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {
struct VerifyLoweredPass
    : pulptrain::impl::VerifyLoweredBase<VerifyLoweredPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    WalkResult result = module.walk([&](Operation *op) {
      if (op == module.getOperation() ||
          isa<LLVM::LLVMDialect>(op->getDialect()))
        return WalkResult::advance();
      // The first op left behind explains the failure; the ones nested in
      // it (or following from it) would only repeat it.
      InFlightDiagnostic diag =
          op->emitOpError("was not lowered to the LLVM dialect");
      // A function stays when its signature has no LLVM form (for instance
      // a memref with a zero-sized dimension): name the culprits.
      if (auto func = dyn_cast<FunctionOpInterface>(op))
        for (auto [i, type] : llvm::enumerate(func.getArgumentTypes()))
          if (!LLVM::isCompatibleType(type))
            diag.attachNote() << "argument #" << i << " of type " << type
                              << " has no LLVM form";
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
