//===- PromoteAccumulators.cpp - reductions in registers ------------------===//
//
// Keeps loop-carried accumulators in registers: a load and a store of the
// same loop-invariant element in an scf.for body become an iter_arg, with
// the load before and the store after the loop. Aliasing is decided from
// what pulptrain knows of its buffers: distinct function arguments, and
// disjoint views of the planned arena.
//
// A reduction rounded in its epilogue (pulptrain-fuse-rounding) loads an
// f16/bf16 element, extends it and stores the rounding of its f32 result,
// the two casts marked pulptrain.f32_accumulator: its iter_arg is the f32
// value, extended once before the loop and rounded once after it. A marked
// rounding that stays inside a reduction loop would round every iteration,
// against the contract: the pass fails on it rather than change results.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "pulptrain/Analysis/BufferAliasAnalysis.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_PROMOTEACCUMULATORS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// The function that holds `op` (else its outermost ancestor): the scope
/// of the alias analysis.
Operation *getScope(Operation *op) {
  if (auto fn = op->getParentOfType<FunctionOpInterface>())
    return fn;
  while (Operation *parent = op->getParentOp())
    op = parent;
  return op;
}

/// The casts of an accumulator carried in f32 (pulptrain.f32_accumulator):
/// the extension of the loaded element, the rounding of the stored one.
struct F32Carry {
  arith::ExtFOp ext;
  arith::TruncFOp trunc;
};

/// The marked casts around `load` and `store`, if both are there.
std::optional<F32Carry> getF32Carry(memref::LoadOp load,
                                    memref::StoreOp store) {
  if (!load->hasOneUse())
    return std::nullopt;
  auto ext = dyn_cast<arith::ExtFOp>(*load->user_begin());
  auto trunc = store.getValueToStore().getDefiningOp<arith::TruncFOp>();
  if (!ext || !trunc || !ext->hasAttr(attrs::kF32Accumulator) ||
      !trunc->hasAttr(attrs::kF32Accumulator) ||
      ext.getType() != trunc.getIn().getType())
    return std::nullopt;
  return F32Carry{ext, trunc};
}

/// Tries to promote one load/store pair of `loop`; returns the new loop.
FailureOr<scf::ForOp> promoteOne(scf::ForOp loop,
                                 const BufferAliasAnalysis &aliases,
                                 RewriterBase &rewriter) {
  Block *body = loop.getBody();
  // Every memref the loop touches, and whether it calls anything or
  // writes memory other than by stores (a DMA, a barrier).
  SmallVector<Operation *> accesses;
  bool opaque = false;
  loop.getBody()->walk([&](Operation *op) {
    if (isa<memref::LoadOp, memref::StoreOp>(op)) {
      accesses.push_back(op);
      return;
    }
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (isa<CallOpInterface>(op) ||
        (effects && effects.hasEffect<MemoryEffects::Write>()))
      opaque = true;
  });
  if (opaque)
    return failure();

  auto isInvariant = [&](Value v) {
    return !loop.getBodyRegion().isAncestor(v.getParentRegion());
  };
  for (auto load : body->getOps<memref::LoadOp>()) {
    Value memref = load.getMemRef();
    if (!isInvariant(memref) || !llvm::all_of(load.getIndices(), isInvariant))
      continue;
    // Exactly one store to the same element, later in the body.
    memref::StoreOp store;
    bool ok = true;
    for (Operation *op : accesses) {
      if (op == load)
        continue;
      auto otherLoad = dyn_cast<memref::LoadOp>(op);
      auto otherStore = dyn_cast<memref::StoreOp>(op);
      Value other = otherLoad ? otherLoad.getMemRef() : otherStore.getMemRef();
      if (!aliases.mayAlias(memref, other))
        continue;
      if (otherStore && otherStore->getBlock() == body && !store &&
          other == memref &&
          llvm::equal(otherStore.getIndices(), load.getIndices()) &&
          load->isBeforeInBlock(otherStore)) {
        store = otherStore;
        continue;
      }
      ok = false;
      break;
    }
    if (!ok || !store)
      continue;

    // load before the loop, iter_arg through it, store after it; a marked
    // accumulator is extended before and rounded after the loop.
    std::optional<F32Carry> carry = getF32Carry(load, store);
    rewriter.setInsertionPoint(loop);
    auto init = memref::LoadOp::create(rewriter, load.getLoc(), memref,
                                       load.getIndices());
    Value initValue = init.getResult();
    if (carry) {
      IRMapping map;
      map.map(load.getResult(), init.getResult());
      initValue = rewriter.clone(*carry->ext, map)->getResult(0);
    }
    Value stored = carry ? carry->trunc.getIn() : store.getValueToStore();
    auto newLoop = cast<scf::ForOp>(*loop.replaceWithAdditionalYields(
        rewriter, ValueRange{initValue},
        /*replaceInitOperandUsesInLoop=*/false,
        [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
          return SmallVector<Value>{stored};
        }));
    Value carried = newLoop.getRegionIterArgs().back();
    if (carry) {
      rewriter.replaceAllUsesWith(carry->ext.getResult(), carried);
      rewriter.eraseOp(carry->ext);
    } else {
      rewriter.replaceAllUsesWith(load.getResult(), carried);
    }
    rewriter.eraseOp(load);
    rewriter.eraseOp(store);
    rewriter.setInsertionPointAfter(newLoop);
    Value result = newLoop.getResults().back();
    if (carry) {
      IRMapping map;
      map.map(carry->trunc.getIn(), result);
      result = rewriter.clone(*carry->trunc, map)->getResult(0);
      if (carry->trunc->use_empty())
        rewriter.eraseOp(carry->trunc);
    }
    memref::StoreOp::create(rewriter, newLoop.getLoc(), result, memref,
                            init.getIndices());
    return newLoop;
  }
  return failure();
}

struct PromoteAccumulatorsPass
    : pulptrain::impl::PromoteAccumulatorsBase<PromoteAccumulatorsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // Innermost loops first: a promoted pair moves to the enclosing loop's
    // body, where the next round can promote it again.
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<scf::ForOp> loops;
      getOperation()->walk([&](scf::ForOp loop) { loops.push_back(loop); });
      // The analysis of the current function; rewriting a loop invalidates
      // it (the loop's values are replaced).
      std::optional<BufferAliasAnalysis> aliases;
      Operation *scope = nullptr;
      for (scf::ForOp loop : loops) {
        while (true) {
          if (!aliases || scope != getScope(loop)) {
            scope = getScope(loop);
            aliases.emplace(scope);
          }
          FailureOr<scf::ForOp> promoted =
              promoteOne(loop, *aliases, rewriter);
          if (failed(promoted))
            break;
          aliases.reset();
          loop = *promoted;
          changed = true;
        }
      }
    }
    if (failed(checkF32Accumulators()))
      signalPassFailure();
  }

  /// Every marked rounding (outside linalg ops) must round the result of
  /// the outermost reduction loop, not a value inside a loop.
  LogicalResult checkF32Accumulators() {
    WalkResult result = getOperation()->walk([&](arith::TruncFOp trunc) {
      if (!trunc->hasAttr(attrs::kF32Accumulator) ||
          isa<linalg::LinalgOp>(trunc->getParentOp()))
        return WalkResult::advance();
      if (!isa<scf::ForOp>(trunc->getParentOp()) &&
          trunc.getIn().getDefiningOp<scf::ForOp>())
        return WalkResult::advance();
      trunc.emitError("the f32 accumulator of a reduction rounded in its "
                      "epilogue is not carried through its loops: it would "
                      "be rounded in every iteration");
      return WalkResult::interrupt();
    });
    return failure(result.wasInterrupted());
  }
};

} // namespace
