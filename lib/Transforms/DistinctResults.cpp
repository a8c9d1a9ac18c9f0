//===- DistinctResults.cpp - one value per function result ----------------===//
//
// Copies repeated func.return operands, so that every result of a function
// can become an out-parameter of its own.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "pulptrain/Transforms/Passes.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_DISTINCTRESULTS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {
/// A fresh copy of `value` (a statically shaped tensor or memref) built
/// before `op`, or null when its type has no static shape.
Value copyOf(OpBuilder &builder, Operation *op, Value value) {
  builder.setInsertionPoint(op);
  Location loc = op->getLoc();
  if (auto tensor = dyn_cast<RankedTensorType>(value.getType())) {
    if (!tensor.hasStaticShape())
      return {};
    return bufferization::AllocTensorOp::create(builder, loc, tensor,
                                                ValueRange(), value);
  }
  auto memref = dyn_cast<MemRefType>(value.getType());
  if (!memref || !memref.hasStaticShape() || !memref.getLayout().isIdentity())
    return {};
  Value copy = memref::AllocOp::create(builder, loc, memref);
  linalg::CopyOp::create(builder, loc, value, copy);
  return copy;
}

struct DistinctResultsPass
    : pulptrain::impl::DistinctResultsBase<DistinctResultsPass> {
  void runOnOperation() override {
    OpBuilder builder(&getContext());
    WalkResult result = getOperation().walk([&](func::ReturnOp ret) {
      llvm::SmallDenseSet<Value> seen;
      for (OpOperand &operand : ret->getOpOperands()) {
        Value value = operand.get();
        if (seen.insert(value).second)
          continue;
        Value copy = copyOf(builder, ret, value);
        if (!copy) {
          ret.emitOpError("returns the same value of type ")
              << value.getType() << " as result #" << operand.getOperandNumber()
              << " and an earlier result; each result needs its own buffer, "
                 "and a copy needs a static shape";
          return WalkResult::interrupt();
        }
        operand.set(copy);
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
