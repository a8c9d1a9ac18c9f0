//===- ExpandMemrefCopy.cpp - memref.copy to linalg.copy ------------------===//
//
// Keeps strided copies out of MLIR's C runner library: they become
// linalg.copy and then loops.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_EXPANDMEMREFCOPY
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {
struct MemrefCopyToLinalg : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                op.getTarget());
    return success();
  }
};

struct ExpandMemrefCopyPass
    : pulptrain::impl::ExpandMemrefCopyBase<ExpandMemrefCopyPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateExpandMemrefCopyPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::pulptrain::populateExpandMemrefCopyPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MemrefCopyToLinalg>(patterns.getContext());
}
