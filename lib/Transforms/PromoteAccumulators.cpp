//===- PromoteAccumulators.cpp - reductions in registers ------------------===//
//
// Keeps loop-carried accumulators in registers: a load and a store of the
// same loop-invariant element in an scf.for body become an iter_arg, with
// the load before and the store after the loop. Aliasing is decided from
// what pulptrain knows of its buffers: distinct function arguments, and
// disjoint views of the planned arena.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "pulptrain/Analysis/BufferAliasAnalysis.h"
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

/// Tries to promote one load/store pair of `loop`; returns the new loop.
FailureOr<scf::ForOp> promoteOne(scf::ForOp loop,
                                 const BufferAliasAnalysis &aliases,
                                 RewriterBase &rewriter) {
  Block *body = loop.getBody();
  // Every memref the loop touches, and whether it calls anything.
  SmallVector<Operation *> accesses;
  bool opaque = false;
  loop.getBody()->walk([&](Operation *op) {
    if (isa<memref::LoadOp, memref::StoreOp>(op))
      accesses.push_back(op);
    else if (isa<CallOpInterface>(op))
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

    // load before the loop, iter_arg through it, store after it.
    rewriter.setInsertionPoint(loop);
    auto init = memref::LoadOp::create(rewriter, load.getLoc(), memref,
                                       load.getIndices());
    Value stored = store.getValueToStore();
    auto newLoop = cast<scf::ForOp>(*loop.replaceWithAdditionalYields(
        rewriter, ValueRange{init.getResult()},
        /*replaceInitOperandUsesInLoop=*/false,
        [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
          return SmallVector<Value>{stored};
        }));
    Value carried = newLoop.getRegionIterArgs().back();
    rewriter.replaceAllUsesWith(load.getResult(), carried);
    rewriter.eraseOp(load);
    rewriter.eraseOp(store);
    rewriter.setInsertionPointAfter(newLoop);
    memref::StoreOp::create(rewriter, newLoop.getLoc(),
                            newLoop.getResults().back(), memref,
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
  }
};

} // namespace
