//===- RegisterBlock.cpp - register-blocked reduction micro-kernels -------===//
//
// Unrolls the two innermost dimensions of a parallel loop whose body is a
// reduction loop nest and jams the copies into one loop nest: a block of
// output elements is accumulated together, so each loaded operand feeds
// several fused multiply-adds (a register-blocked micro-kernel).
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/IRMapping.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "pulptrain/Transforms/Passes.h"

#include "Utils.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_REGISTERBLOCK
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Packed-pair dot products per unrolled reduction step, at most.
constexpr int64_t kMaxPairProducts = 16;

/// Whether `value` is computed in `block` from `iv` (or is it).
bool dependsOn(Value value, Value iv, Block &block) {
  if (value == iv)
    return true;
  Operation *def = value.getDefiningOp();
  if (!def || def->getBlock() != &block)
    return false;
  return llvm::any_of(def->getOperands(), [&](Value operand) {
    return dependsOn(operand, iv, block);
  });
}

/// Whether some load of `block` reads an element that depends on both
/// induction variables `a` and `b`.
bool hasLoadAlongBoth(Block &block, Value a, Value b) {
  for (Operation &op : block) {
    ValueRange indices;
    if (auto load = dyn_cast<memref::LoadOp>(op))
      indices = load.getIndices();
    else if (auto load = dyn_cast<vector::LoadOp>(op))
      indices = load.getIndices();
    else
      continue;
    auto along = [&](Value iv) {
      return llvm::any_of(indices, [&](Value index) {
        return dependsOn(index, iv, block);
      });
    };
    if (along(a) && along(b))
      return true;
  }
  return false;
}

/// The ops of `block` without its terminator.
SmallVector<Operation *> getBodyOps(Block &block) {
  SmallVector<Operation *> ops;
  for (Operation &op : block.without_terminator())
    ops.push_back(&op);
  return ops;
}

/// Whether `ops` can be jammed: straight-line ops and at most one scf.for
/// with constant bounds whose body can be jammed too; `depth` counts the
/// reduction loops found.
bool canJam(ArrayRef<Operation *> ops, unsigned &depth) {
  scf::ForOp loop;
  for (Operation *op : ops) {
    if (op->getNumRegions() == 0)
      continue;
    auto forOp = dyn_cast<scf::ForOp>(op);
    if (!forOp || loop)
      return false;
    if (!getConstantIntValue(forOp.getLowerBound()) ||
        !getConstantIntValue(forOp.getUpperBound()) ||
        !getConstantIntValue(forOp.getStep()))
      return false;
    loop = forOp;
  }
  if (!loop)
    return true;
  ++depth;
  return canJam(getBodyOps(*loop.getBody()), depth);
}

/// Emits `ops` once for every copy (mapping values through `maps[c]`),
/// with the copies' scf.for loops fused into one loop that carries all
/// their iteration arguments.
void emitJammed(OpBuilder &b, ArrayRef<Operation *> ops,
                MutableArrayRef<IRMapping> maps) {
  auto it = llvm::find_if(ops, [](Operation *op) {
    return isa<scf::ForOp>(op);
  });
  ArrayRef<Operation *> pre(ops.begin(), it);
  for (IRMapping &map : maps)
    for (Operation *op : pre)
      b.clone(*op, map);
  if (it == ops.end())
    return;

  auto loop = cast<scf::ForOp>(*it);
  unsigned numArgs = loop.getInitArgs().size();
  SmallVector<Value> inits;
  for (IRMapping &map : maps)
    for (Value init : loop.getInitArgs())
      inits.push_back(map.lookupOrDefault(init));
  // Constant bounds (checked by canJam): the same for every copy.
  auto jammed = scf::ForOp::create(
      b, loop.getLoc(), maps[0].lookupOrDefault(loop.getLowerBound()),
      maps[0].lookupOrDefault(loop.getUpperBound()),
      maps[0].lookupOrDefault(loop.getStep()), inits);
  {
    OpBuilder::InsertionGuard guard(b);
    Block *body = jammed.getBody();
    b.setInsertionPointToStart(body);
    for (auto [c, map] : llvm::enumerate(maps)) {
      map.map(loop.getInductionVar(), jammed.getInductionVar());
      for (unsigned i = 0; i < numArgs; ++i)
        map.map(loop.getRegionIterArgs()[i],
                jammed.getRegionIterArgs()[c * numArgs + i]);
    }
    emitJammed(b, getBodyOps(*loop.getBody()), maps);
    SmallVector<Value> yields;
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    for (IRMapping &map : maps)
      for (Value v : yield.getOperands())
        yields.push_back(map.lookupOrDefault(v));
    // An empty yield is created with the loop when it has no results.
    if (!body->empty() && isa<scf::YieldOp>(body->back()))
      body->back().erase();
    b.setInsertionPointToEnd(body);
    scf::YieldOp::create(b, yield.getLoc(), yields);
  }
  for (auto [c, map] : llvm::enumerate(maps))
    for (unsigned i = 0; i < numArgs; ++i)
      map.map(loop.getResult(i), jammed.getResult(c * numArgs + i));

  ArrayRef<Operation *> post(std::next(it), ops.end());
  for (IRMapping &map : maps)
    for (Operation *op : post)
      b.clone(*op, map);
}

/// The largest factor <= `factor` that divides `trip`.
int64_t getDividingFactor(int64_t trip, int64_t factor) {
  for (int64_t f = std::min(factor, trip); f > 1; --f)
    if (trip % f == 0)
      return f;
  return 1;
}

struct RegisterBlockPass
    : pulptrain::impl::RegisterBlockBase<RegisterBlockPass> {
  using RegisterBlockBase::RegisterBlockBase;

  /// Unrolls the innermost reduction loop of `blocked` by `unroll`. In a
  /// nest that reads 16-bit floats, the loop that remains is unrolled too
  /// when it has at most `unroll` iterations; when the innermost loop is
  /// unrolled completely, the loop around it becomes the innermost and is
  /// unrolled too if its trip count is at most `unroll` (the kernel rows
  /// and columns of a convolution). LLVM counts the inline assembly of the
  /// f16/bf16 instructions (convert-pairs-to-xfvec) as too costly to unroll
  /// such loops itself, which it does for the f32 code (measured: doing it
  /// here for f32 too makes the Conv2D 16->32 forward step 6 % slower, and
  /// the f16 one 17 % faster, docs/Vectorization.md).
  ///
  /// A nest of packed-pair dot products is unrolled to at most
  /// `kMaxPairProducts` of them per iteration: a 2x4 block of pairs keeps
  /// 8 accumulators, and 8 more loaded pairs per unrolled step; beyond 16
  /// products LLVM hoists the loads and spills (measured on the Conv2D
  /// 16->32 forward step over channel pairs: unroll 2, 16 products,
  /// 273,693 cycles on 8 cores; unroll 4, 64 products once the short loop
  /// is unrolled too, 285,277).
  void unrollReduction(scf::ParallelOp blocked) {
    bool halves = false;
    blocked.getBody()->walk([&](Operation *op) {
      for (Type type : op->getResultTypes()) {
        Type element = getElementTypeOrSelf(type);
        halves |= element.isF16() || element.isBF16();
      }
    });
    for (bool first = true; first || halves; first = false) {
      scf::ForOp innermost;
      int64_t products = 0;
      blocked.getBody()->walk([&](Operation *op) {
        auto loop = dyn_cast<scf::ForOp>(op);
        if (loop && !innermost && loop.getBody()->getOps<scf::ForOp>().empty())
          innermost = loop;
        if (isa<cluster::DotpexOp>(op))
          ++products;
      });
      if (!innermost)
        return;
      // Whether `n` copies of the body keep at most kMaxPairProducts.
      auto fits = [&](int64_t n) {
        return products == 0 || products * n <= kMaxPairProducts;
      };
      int64_t limit = unroll;
      while (limit > 1 && !fits(limit))
        --limit;
      std::optional<APInt> trip = innermost.getStaticTripCount();
      if (limit <= 1 || !trip || (!first && trip->getSExtValue() > limit))
        return;
      int64_t factor = getDividingFactor(trip->getSExtValue(), limit);
      if (factor <= 1 || factor != trip->getSExtValue()) {
        if (factor <= 1 || failed(loopUnrollByFactor(innermost, factor)))
          return;
        // What remains of a 16-bit loop, when short, goes straight too
        // (a weight gradient's 16 columns: 4 iterations of 4).
        int64_t left = trip->getSExtValue() / factor;
        if (halves && left <= unroll && fits(trip->getSExtValue()))
          (void)loopUnrollByFactor(innermost, left);
        return;
      }
      if (failed(loopUnrollByFactor(innermost, factor)))
        return;
    }
  }


  void runOnOperation() override {
    SmallVector<scf::ParallelOp> loops;
    getOperation()->walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>())
        loops.push_back(loop);
    });
    for (scf::ParallelOp loop : loops)
      block(loop);
  }

  void block(scf::ParallelOp loop) {
    if (loop.getNumResults() != 0)
      return;
    unsigned rank = loop.getNumLoops(), depth = 0;
    SmallVector<Operation *> ops = getBodyOps(*loop.getBody());
    if (!canJam(ops, depth))
      return;
    std::optional<StaticLoopBounds> bounds = getStaticLoopBounds(loop);
    if (!bounds)
      return;
    ArrayRef<int64_t> steps = bounds->steps, trips = bounds->trips;
    // Columns: the innermost dimension that can be unrolled; rows: the
    // next one outwards.
    SmallVector<int64_t> factors(rank, 1);
    // An element-wise loop on packed pairs (cluster.pack) keeps two lanes
    // live per pair: it takes rows only when each load is the same along
    // its rows or along its columns (an outer product dy[i] * x[j]: x's
    // pairs are loaded and split once for both rows), else one row of
    // columns. Measured: the f16 SGD update of the tutorial's fc layer on
    // one core spills with 2x4 blocks of pairs (201,082 cycles against
    // 146,667 unpaired), and so does the fused Linear weight gradient and
    // update, w[i][j] -= lr * dy[i] * x[j] (bench/layers f16: 42,524
    // cycles on 8 cores, 53,296 with 2 rows), while the Linear weight
    // gradient gains (15,910 -> 12,930).
    // (A reduction's epilogue may pack too: its bf16 rounding.)
    bool packs = false;
    if (depth == 0)
      loop.getBody()->walk([&](cluster::PackOp) { packs = true; });
    int64_t wanted[2] = {cols, rows};
    unsigned found = 0;
    Value columnIv;
    for (int d = rank - 1; d >= 0 && found < 2; --d) {
      Value iv = loop.getInductionVars()[d];
      int64_t want = wanted[found];
      if (found == 1 && packs &&
          hasLoadAlongBoth(*loop.getBody(), iv, columnIv))
        want = 1;
      factors[d] = getDividingFactor(trips[d], want);
      if (factors[d] > 1) {
        if (found == 0)
          columnIv = iv;
        ++found;
      }
    }
    // Keep at least `minIterations` parallel iterations (one per core):
    // shrink the outer factor first, then the inner one.
    auto iterations = [&] {
      int64_t n = 1;
      for (unsigned d = 0; d < rank; ++d)
        n *= trips[d] / factors[d];
      return n;
    };
    for (unsigned d = 0; d < rank && iterations() < minIterations; ++d)
      while (factors[d] > 1 && iterations() < minIterations)
        factors[d] = getDividingFactor(trips[d], factors[d] - 1);
    int64_t copies = 1;
    for (int64_t f : factors)
      copies *= f;
    if (copies == 1)
      return;

    OpBuilder b(loop);
    Location loc = loop.getLoc();
    SmallVector<Value> newSteps;
    for (unsigned d = 0; d < rank; ++d)
      newSteps.push_back(
          arith::ConstantIndexOp::create(b, loc, steps[d] * factors[d]));
    auto blocked = scf::ParallelOp::create(b, loc, loop.getLowerBound(),
                                           loop.getUpperBound(), newSteps);
    b.setInsertionPointToStart(blocked.getBody());
    // One mapping per copy: the block element's indices.
    SmallVector<IRMapping> maps(copies);
    for (int64_t c = 0; c < copies; ++c) {
      int64_t rest = c;
      for (int d = rank - 1; d >= 0; --d) {
        int64_t offset = rest % factors[d];
        rest /= factors[d];
        Value iv = blocked.getInductionVars()[d];
        if (offset != 0)
          iv = arith::AddIOp::create(
              b, loc, iv,
              arith::ConstantIndexOp::create(b, loc, offset * steps[d]));
        maps[c].map(loop.getInductionVars()[d], iv);
      }
    }
    // Iterations of a parallel loop are independent, so the copies' ops
    // may interleave in any order.
    emitJammed(b, ops, maps);
    loop.erase();
    unrollReduction(blocked);
  }
};

} // namespace
