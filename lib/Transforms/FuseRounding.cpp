//===- FuseRounding.cpp - f16/bf16 roundings fused into their producers ---===//
//
// The lowering of a pulptrain op on f16 or bf16 tensors computes in f32 and
// rounds once (LoweringUtils.h): an f32 linalg.generic, then an element-wise
// generic of `arith.truncf` into the element type. Where the f32 op is
// element-wise too (an outer product, an activation, an activation's
// gradient, a scalar op), its f32 result is a temporary as large as the
// result in twice the bytes, written by one op and read back by the next.
// This pass fuses the rounding into that producer, so each element is
// rounded in the register it is computed in and the f32 tensor disappears.
// Reductions keep their f32 result: it accumulates across the reduction.
//
// The fusion is upstream's (linalg::fuseElementwiseOps); this file chooses
// which pairs to fuse. The upstream pattern set would also fuse every other
// element-wise pair of the step (and change the f32 code): here only a
// rounding is fused, into its producer alone.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_FUSEROUNDING
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Whether `op` only rounds its one f32 input to f16 or bf16, element by
/// element: all-parallel, one input and one init with the same indexing
/// map, and a body of `arith.truncf` of the input.
bool isRounding(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 0)
    return false;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[0] != maps[1] || !maps[0].isPermutation())
    return false;
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 2)
    return false;
  auto trunc = dyn_cast<arith::TruncFOp>(body.front());
  if (!trunc || trunc.getIn() != body.getArgument(0) ||
      !trunc.getIn().getType().isF32() ||
      !(trunc.getType().isF16() || trunc.getType().isBF16()) ||
      trunc.getRoundingmodeAttr())
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  return yield.getValues().size() == 1 &&
         yield.getValues()[0] == trunc.getResult();
}

/// Whether a profiling bracket (pulptrain-instrument-layers) lies between
/// `first` and `last` in their block: a fusion must not move computation
/// out of its region.
bool crossesProfileBracket(Operation *first, Operation *last) {
  if (first->getBlock() != last->getBlock())
    return true;
  for (Operation *op = first->getNextNode(); op && op != last;
       op = op->getNextNode())
    if (isa<cluster::ProfileEnterOp, cluster::ProfileExitOp>(op))
      return true;
  return false;
}

/// Fuses a rounding into its element-wise producer when the rounding is
/// the producer's only user and the producer does not read its init.
struct FuseRoundingIntoProducer : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp rounding,
                                PatternRewriter &rewriter) const override {
    if (!isRounding(rounding))
      return rewriter.notifyMatchFailure(rounding, "not a rounding");
    OpOperand &input = *rounding.getDpsInputOperand(0);
    auto producer = input.get().getDefiningOp<linalg::GenericOp>();
    if (!producer || producer->getNumResults() != 1 ||
        !producer->getResult(0).hasOneUse())
      return rewriter.notifyMatchFailure(rounding, "no single-use producer");
    if (!linalg::areElementwiseOpsFusable(&input))
      return rewriter.notifyMatchFailure(rounding, "producer not element-wise");
    if (producer.payloadUsesValueFromOperand(producer.getDpsInitOperand(0)))
      return rewriter.notifyMatchFailure(rounding, "producer reads its init");
    if (crossesProfileBracket(producer, rounding))
      return rewriter.notifyMatchFailure(rounding, "in another region");
    FailureOr<linalg::ElementwiseOpFusionResult> fused =
        linalg::fuseElementwiseOps(rewriter, &input);
    if (failed(fused))
      return failure();
    // A value computed again for the backward pass stays apart from its
    // forward twin (pulptrain-recompute).
    if (Attribute mark = producer->getAttr(attrs::kRecomputed))
      fused->fusedOp->setAttr(attrs::kRecomputed, mark);
    for (auto [from, to] : fused->replacements)
      rewriter.replaceAllUsesWith(from, to);
    rewriter.eraseOp(rounding);
    rewriter.eraseOp(producer);
    return success();
  }
};

struct FuseRoundingPass
    : pulptrain::impl::FuseRoundingBase<FuseRoundingPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseRoundingPatterns(patterns);
    // Only the fusions: other ops are left for canonicalize.
    GreedyRewriteConfig config;
    config.enableFolding(false).enableConstantCSE(false);
    int64_t before = 0, after = 0;
    getOperation()->walk([&](linalg::GenericOp) { ++before; });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config))) {
      signalPassFailure();
      return;
    }
    getOperation()->walk([&](linalg::GenericOp) { ++after; });
    numFused += before - after;
  }
};

} // namespace

void mlir::pulptrain::populateFuseRoundingPatterns(
    RewritePatternSet &patterns) {
  patterns.add<FuseRoundingIntoProducer>(patterns.getContext());
}
