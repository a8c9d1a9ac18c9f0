//===- ReadOnlyArguments.cpp - callers own the arguments ------------------===//
//
// Marks every tensor argument of the module's functions read-only for
// One-Shot Bufferize (`bufferization.writable = false`). The caller owns
// those buffers and reuses them (docs/TrainStep.md): the harness keeps a
// frozen parameter in one buffer for every step, so a step that wrote an
// op's result into it in place (a linear layer's bias is its accumulator's
// initial value) would change the model. Upstream treats function
// arguments as writable when it bufferizes function boundaries, and has no
// option for the whole module, hence this small pass.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_READONLYARGUMENTS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

struct ReadOnlyArgumentsPass
    : pulptrain::impl::ReadOnlyArgumentsBase<ReadOnlyArgumentsPass> {
  void runOnOperation() override {
    Builder builder(&getContext());
    StringRef name = bufferization::BufferizationDialect::kWritableAttrName;
    for (auto fn : getOperation().getOps<func::FuncOp>()) {
      if (fn.isExternal())
        continue;
      for (BlockArgument arg : fn.getArguments())
        if (isa<TensorType>(arg.getType()) &&
            !fn.getArgAttr(arg.getArgNumber(), name)) {
          fn.setArgAttr(arg.getArgNumber(), name, builder.getBoolAttr(false));
          ++numMarked;
        }
    }
  }
};

} // namespace
