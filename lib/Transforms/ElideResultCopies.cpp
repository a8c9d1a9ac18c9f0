//===- ElideResultCopies.cpp - Results computed in their out-parameters ---===//
//
// After pulptrain-bufferize, a result that is a reshape of a
// buffer (a convolution's [G, K/G, ...] accumulator returned as [K, ...])
// is computed in a temporary and copied into its out-parameter at the end.
// This pass lets the temporary be a view of the out-parameter instead.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "pulptrain/Analysis/BufferAliasAnalysis.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_ELIDERESULTCOPIES
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// The memref.alloc that `value` reshapes (through collapse_shape and
/// expand_shape only), or null.
memref::AllocOp getReshapedAlloc(Value value) {
  while (true) {
    if (auto collapse = value.getDefiningOp<memref::CollapseShapeOp>())
      value = collapse.getSrc();
    else if (auto expand = value.getDefiningOp<memref::ExpandShapeOp>())
      value = expand.getSrc();
    else
      return value.getDefiningOp<memref::AllocOp>();
  }
}

struct ElideResultCopiesPass
    : pulptrain::impl::ElideResultCopiesBase<ElideResultCopiesPass> {
  void runOnOperation() override {
    getOperation()->walk([](func::FuncOp fn) {
      if (fn.isExternal() || !fn.getBody().hasOneBlock())
        return;
      Block *block = &fn.getBody().front();
      SmallVector<linalg::CopyOp> copies(block->getOps<linalg::CopyOp>());
      // Built for the first candidate; an elision rewrites the function.
      std::optional<BufferAliasAnalysis> aliases;
      for (linalg::CopyOp copy : copies)
        if (elide(aliases, fn, copy, block))
          aliases.reset();
    });
  }

  /// Elides `copy` when its source is a local buffer that nothing uses
  /// after it; returns whether it did.
  static bool elide(std::optional<BufferAliasAnalysis> &aliases,
                    func::FuncOp fn, linalg::CopyOp copy, Block *block) {
    if (!copy.hasPureBufferSemantics())
      return false;
    // The target: an out-parameter written only by this copy.
    auto target = dyn_cast<BlockArgument>(copy.getOutputs().front());
    if (!target || target.getOwner() != block || !target.hasOneUse())
      return false;
    auto targetType = cast<MemRefType>(target.getType());
    memref::AllocOp alloc = getReshapedAlloc(copy.getInputs().front());
    if (!alloc || !targetType.getLayout().isIdentity() ||
        !alloc.getType().getLayout().isIdentity() ||
        !alloc.getType().hasStaticShape() || alloc->getBlock() != block)
      return false;
    if (!aliases)
      aliases.emplace(fn);
    if (aliases->isUsedAfter(alloc.getResult(), copy))
      return false;
    // The alloc becomes the out-parameter, reshaped through one dimension.
    OpBuilder b(alloc);
    Location loc = alloc.getLoc();
    Value view = target;
    if (targetType.getRank() != 1) {
      ReassociationIndices all(targetType.getRank());
      std::iota(all.begin(), all.end(), 0);
      view = memref::CollapseShapeOp::create(
          b, loc, view, ArrayRef<ReassociationIndices>{all});
    }
    MemRefType allocType = alloc.getType();
    if (allocType.getRank() != 1) {
      ReassociationIndices all(allocType.getRank());
      std::iota(all.begin(), all.end(), 0);
      view = memref::ExpandShapeOp::create(b, loc, allocType.getShape(), view,
                                           ArrayRef<ReassociationIndices>{all});
    }
    alloc.replaceAllUsesWith(view);
    alloc.erase();
    copy.erase();
    return true;
  }
};

} // namespace
