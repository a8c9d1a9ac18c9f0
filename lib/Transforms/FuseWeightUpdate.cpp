//===- FuseWeightUpdate.cpp - weight gradients fused into their update ----===//
//
// Fuses the element-wise producers of an optimizer update's gradient into
// the update, so that a weight gradient used by nothing else is computed
// element by element inside the update and never materialized.
//
// The fusion itself is upstream's (linalg::fuseElementwiseOps); this file
// only chooses what to fuse. It does not use the upstream pattern set
// (populateElementwiseOpsFusionPatterns) because its control function sees
// one operand at a time, and the op it must recognize, the update, is a new
// op after each fusion (a gradient in f16 is a cast fused first, then the
// product it casts); the pattern here keeps the update's mark on the fused
// op, and the upstream set would also fold constants and fills into every
// other generic of the step.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "Utils.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_FUSEWEIGHTUPDATE
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

bool isOptimizerUpdate(Operation *op) {
  return op->hasAttr(attrs::kOptimizerUpdate);
}

/// Whether input `operand` of `update` carries its gradient: every input but
/// the parameter (the first) and the optimizer state (the last ones, one per
/// result after the parameter's, e.g. the momentum buffer). Fusion keeps
/// this order: a producer's inputs replace the fused input in place.
bool isGradientInput(linalg::GenericOp update, OpOperand &operand) {
  if (!update.isDpsInput(&operand))
    return false;
  unsigned index = operand.getOperandNumber();
  unsigned numState = update.getNumDpsInits() - 1;
  return index >= 1 && index + numState < update.getNumDpsInputs();
}

/// Whether the producer of `operand` can be fused into `update` without
/// keeping any of its results: the upstream conditions, every result used by
/// the update alone, and no result initialized from its init (such a result
/// would stay a result of the fused op, and the gradient be materialized).
bool isFusableGradient(linalg::GenericOp update, OpOperand &operand) {
  if (!isGradientInput(update, operand) ||
      !linalg::areElementwiseOpsFusable(&operand))
    return false;
  auto producer = operand.get().getDefiningOp<linalg::GenericOp>();
  for (OpResult result : producer->getResults())
    for (Operation *user : result.getUsers())
      if (user != update.getOperation())
        return false;
  return llvm::none_of(producer.getDpsInitsMutable(), [&](OpOperand &init) {
    return producer.payloadUsesValueFromOperand(&init);
  });
}

/// Fuses one producer of a marked update's gradient into it; the fused op
/// keeps the mark, so the pattern applies again to the producer's own
/// producers.
/// The profiling region of an op (pulptrain-instrument-layers): the id of
/// the cluster.profile_enter before it in its block, if no profile_exit
/// comes first.
std::optional<int64_t> getRegion(Operation *op) {
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode()) {
    if (auto enter = dyn_cast<cluster::ProfileEnterOp>(prev))
      return enter.getRegion();
    if (isa<cluster::ProfileExitOp>(prev))
      return std::nullopt;
  }
  return std::nullopt;
}

/// (producer region, update region) of every fusion.
using RegionMoves = SmallVector<std::pair<int64_t, int64_t>>;

struct FuseGradientIntoUpdate : OpRewritePattern<linalg::GenericOp> {
  FuseGradientIntoUpdate(MLIRContext *ctx, RegionMoves *moves)
      : OpRewritePattern(ctx), moves(moves) {}

  LogicalResult matchAndRewrite(linalg::GenericOp update,
                                PatternRewriter &rewriter) const override {
    if (!isOptimizerUpdate(update))
      return rewriter.notifyMatchFailure(update, "not an optimizer update");
    for (OpOperand &operand : update->getOpOperands()) {
      if (!isFusableGradient(update, operand))
        continue;
      Operation *producer = operand.get().getDefiningOp();
      auto from = getRegion(producer), to = getRegion(update);
      FailureOr<linalg::ElementwiseOpFusionResult> fused =
          linalg::fuseElementwiseOps(rewriter, &operand);
      if (failed(fused))
        return failure();
      fused->fusedOp->setAttr(attrs::kOptimizerUpdate, rewriter.getUnitAttr());
      if (moves && from && to && *from != *to)
        moves->push_back({*from, *to});
      for (auto [from, to] : fused->replacements)
        rewriter.replaceAllUsesWith(from, to);
      rewriter.eraseOp(update);
      rewriter.eraseOp(producer);
      return success();
    }
    return rewriter.notifyMatchFailure(update, "no fusable gradient");
  }

private:
  RegionMoves *moves;
};

/// Moves the MACs of each fused producer's profiling region, once nothing
/// computes in it any more, to the region of the update it now runs in
/// (pulptrain-instrument-layers' table), and records where they went: the
/// region stays, empty.
void moveRegionMacs(ModuleOp module, const RegionMoves &moves) {
  auto table = module->getAttrOfType<ArrayAttr>(attrs::kProfileRegions);
  if (!table || moves.empty())
    return;
  SmallVector<NamedAttrList> entries;
  for (auto dict : table.getAsRange<DictionaryAttr>())
    entries.emplace_back(dict);
  auto find = [&](int64_t id) -> NamedAttrList * {
    for (NamedAttrList &entry : entries)
      if (auto attr = dyn_cast_or_null<IntegerAttr>(entry.get("id"));
          attr && attr.getInt() == id)
        return &entry;
    return nullptr;
  };
  // A region keeps its MACs while some of its computation stays in it (in
  // f16, the fused producer may be only the rounding of a reduction).
  auto isEmpty = [&](int64_t id) {
    bool computes = false;
    module.walk([&](cluster::ProfileEnterOp enter) {
      if (enter.getRegion() != id)
        return;
      for (Operation *op = enter->getNextNode();
           op && !isa<cluster::ProfileExitOp>(op); op = op->getNextNode())
        computes |= isa<linalg::LinalgOp, LoopLikeOpInterface>(op);
    });
    return !computes;
  };
  Builder builder(module.getContext());
  for (const auto &[from, to] : moves) {
    NamedAttrList *source = find(from), *target = find(to);
    if (!source || !target || !isEmpty(from))
      continue;
    auto macs = [](NamedAttrList *entry) {
      auto attr = dyn_cast_or_null<IntegerAttr>(entry->get("macs"));
      return attr ? attr.getInt() : int64_t(0);
    };
    target->set("macs", builder.getI64IntegerAttr(macs(target) + macs(source)));
    source->set("macs", builder.getI64IntegerAttr(0));
    source->set("fused_into", target->get("id"));
  }
  SmallVector<Attribute> updated;
  for (NamedAttrList &entry : entries)
    updated.push_back(entry.getDictionary(module.getContext()));
  module->setAttr(attrs::kProfileRegions, builder.getArrayAttr(updated));
}

struct FuseWeightUpdatePass
    : pulptrain::impl::FuseWeightUpdateBase<FuseWeightUpdatePass> {
  void runOnOperation() override {
    // Each fusion replaces two generics (an update and one producer) by one.
    auto countGenerics = [&] {
      int64_t count = 0;
      getOperation()->walk([&](linalg::GenericOp) { ++count; });
      return count;
    };
    int64_t before = countGenerics();

    RewritePatternSet patterns(&getContext());
    RegionMoves moves;
    patterns.add<FuseGradientIntoUpdate>(&getContext(), &moves);
    // Only the fusions: other ops are left for canonicalize.
    if (failed(applyOnlyPatterns(getOperation(), std::move(patterns)))) {
      signalPassFailure();
      return;
    }
    numFused += before - countGenerics();
    if (auto module = dyn_cast<ModuleOp>(getOperation()))
      moveRegionMacs(module, moves);
    getOperation()->walk(
        [&](linalg::GenericOp op) { op->removeAttr(attrs::kOptimizerUpdate); });
  }
};

} // namespace

void mlir::pulptrain::populateFuseWeightUpdatePatterns(
    RewritePatternSet &patterns) {
  patterns.add<FuseGradientIntoUpdate>(patterns.getContext(), nullptr);
}
