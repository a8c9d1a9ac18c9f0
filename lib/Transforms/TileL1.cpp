//===- TileL1.cpp - L1 tiles with double-buffered DMA ---------------------===//
//
// Computes every linalg op whose buffers live in L2 on copies in the
// cluster's L1: the op is split along one parallel loop into tiles whose
// working set fits the L1 budget; the DMA brings the next tile in while
// the cores compute on the current one, and writes results back. The
// memory of an operand is the memory space of its type (L2 without one);
// the tile buffers are typed #pulptrain.memory<l1>. Constants are read in
// place from L2. An L2 operand may be a static strided window of a larger
// buffer (the interior of a padded feature map): the DMA moves it as rows
// at one stride, or as one such transfer per index of its outer
// dimensions.
//
// When no tile of one loop fits, the op is tiled as a nest (up to three
// loops: parallel ones and, for f32 ops that accumulate into their
// outputs, the outermost reduction loop) and every operand is copied as
// the window of it that a tile reads or writes: an index expression
// `c0 + sum(k_i * d_i)` (k_i >= 0) spans, for tiles of t_i iterations,
// `1 + sum(k_i * (t_i - 1))` elements from `c0 + sum(k_i * first_i)` (the
// rule of linalg's makeTiledShapes: convolution inputs get their halo, a
// constant index one element). The upstream tiling (scf::tileUsingSCF,
// linalg::makeTiledShapes) is not used: it tiles subviews of the same
// memory, whereas here each window is copied to another memory, into one
// of two slots that alternate only when the window changes (an operand
// that depends on an outer tiled loop only stays while the inner ones
// run), and the tile sizes come from the budget and a cost model of the
// DMA traffic. A reduction loop is tiled only when it is the outermost
// one, so each output element still sums its terms in the order of the
// untiled loop nest (reduction loops in loop order, outermost first); the
// cores split only parallel loops, so results are bit-identical for any
// core count and tile budget.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "pulptrain/Analysis/BufferAliasAnalysis.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "pulptrain/Support/ByteSize.h"
#include "pulptrain/Transforms/Passes.h"

#include "Utils.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_TILEL1
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

constexpr StringLiteral kTilesName = attrs::kTilesSymbol;
/// Which way a copy goes.
enum class Direction { ToL1, ToL2 };
constexpr Direction kToL1 = Direction::ToL1, kToL2 = Direction::ToL2;
/// Alignment of every tile buffer in L1.
constexpr int64_t kAlignment = 16;

void startWindowCopy(OpBuilder &b, Location loc, Value l2, Value l1,
                     Direction direction);

/// Builds `body(t - 1)` under `t > 0`: what a tile loop does for the tile
/// before tile `t` (its write-back), skipped in the first iteration.
void forPreviousTile(OpBuilder &b, Location loc, Value t,
                     llvm::function_ref<void(Value)> body) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value started =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, t, zero);
  auto branch = scf::IfOp::create(b, loc, started, /*withElse=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(branch.thenBlock());
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  body(arith::SubIOp::create(b, loc, t, one));
}

/// How one operand of a tiled op is placed.
struct OperandPlan {
  OpOperand *operand;
  bool remote;      // In L2: copied through an L1 buffer.
  int64_t position; // Operand dimension indexed by the tiled loop, or -1.
  bool read, written;
  int64_t tileBytes = 0; // Bytes of one L1 buffer (one tile or all).
  int64_t offset = 0;    // Of the first L1 buffer in the tile space.
};

struct OpPlan {
  linalg::LinalgOp op;
  int64_t dim = -1;  // Tiled loop; -1: one tile (whole operands).
  int64_t tile = 0;  // Iterations of `dim` per tile.
  int64_t trips = 1; // Tiles.
  SmallVector<OperandPlan> operands;
  int64_t bytes = 0; // L1 working set.
};

/// One dimension of an operand's window in a tile nest: elements
/// [c0 + sum(coeffs[d] * first[d]), + size) for the first iterations
/// `first` of the tiled loops `d`; `whole` dimensions (an index expression
/// that is not a non-negative linear form) are copied whole and keep their
/// expression.
struct WindowDim {
  SmallVector<int64_t> coeffs; // One per loop of the op.
  int64_t c0 = 0;
  int64_t size = 0;
  bool whole = false;
};

/// How one memref operand of an op tiled as a nest is placed.
struct NestOperand {
  unsigned number; // Operand number of the op.
  bool remote;     // In L2: copied through L1 buffers.
  bool read, written;
  SmallVector<WindowDim> dims;
  int64_t last = -1;  // Innermost tiled loop (index in `loops`) it depends on.
  int64_t bytes = 0;  // Of one window.
  int64_t offset = 0; // Of its first L1 buffer in the tile space.
};

/// An op tiled along up to three loops, visited outer to inner.
struct NestPlan {
  linalg::LinalgOp op;
  SmallVector<int64_t> loops, tiles, trips;
  SmallVector<NestOperand> operands;
  bool dropsConstants = false; // Some window starts at a constant offset.
  int64_t bytes = 0;           // L1 working set.
};

class TileL1Pass : public pulptrain::impl::TileL1Base<TileL1Pass> {
public:
  using TileL1Base::TileL1Base;
  void runOnOperation() override;

private:
  /// Plans `op` into `plan` (left empty when the op needs no L1 copies);
  /// fails, with a diagnostic, when the op cannot fit the budget.
  LogicalResult planOp(const BufferAliasAnalysis &aliases, linalg::LinalgOp op,
                       std::optional<OpPlan> &result,
                       std::optional<NestPlan> &nest);
  void rewrite(OpPlan &plan, memref::GlobalOp tiles);
  void rewriteNest(NestPlan &plan, memref::GlobalOp tiles);

  /// The largest smallest-tile working set of the ops rejected so far.
  int64_t needed = 0;
  /// The largest smallest one-loop tile of the ops tiled as nests without
  /// their reductions (see planOp), 0 if none.
  int64_t preferred = 0;
};

/// Whether `memref` views only constant globals: read-only data in L2 that
/// the cores read in place (copying it into L1 would only grow the working
/// set of the ops that initialize parameters from it).
bool isConstant(const BufferAliasAnalysis &aliases, Value memref,
                Operation *from) {
  return llvm::all_of(aliases.getOrigins(memref), [&](const BufferOrigin &o) {
    if (!o.global)
      return false;
    auto global =
        SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(from, o.global);
    return global && global.getConstant();
  });
}

/// Cycles core 0 spends on an op with small L2 operands, by the two ways of
/// running it: copying its L2 operands in whole (`dma`) or reading and
/// writing them where they are (`direct`).
struct SmallOpCost {
  int64_t dma = 0, direct = 0;
};

/// The cost model of small ops. Copying in whole pays one
/// `cluster.dma_wait` before the op (when it reads an L2 operand) and one
/// after it (when it writes one), one DMA start per operand and direction,
/// and the bytes at 8 per cycle. Reading in place pays the L2 latency on
/// every access: each iteration of the loop nest loads each L2 input once,
/// and loads or stores each L2 output once (an output that reductions
/// accumulate into, indexed by no reduction loop, is loaded and stored once
/// per element: `pulptrain-promote-accumulators` keeps it in a register),
/// shared by the cores when the op has parallel iterations to fork.
/// Nullopt for an op without static loop ranges.
std::optional<SmallOpCost> getSmallOpCost(linalg::LinalgOp op,
                                          ArrayRef<OperandPlan> operands,
                                          int64_t cores, int64_t l2Latency,
                                          int64_t copyCycles,
                                          int64_t waitCycles) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::is_contained(ranges, ShapedType::kDynamic))
    return std::nullopt;
  auto iterators = op.getIteratorTypesArray();
  int64_t iterations = 1, parallel = 1;
  for (auto [range, iterator] : llvm::zip(ranges, iterators)) {
    iterations *= range;
    if (iterator == utils::IteratorType::parallel)
      parallel *= range;
  }
  bool anyRead = false, anyWritten = false;
  int64_t transfers = 0, bytes = 0, accesses = 0;
  for (const OperandPlan &p : operands) {
    if (!p.remote)
      continue;
    auto type = cast<MemRefType>(p.operand->get().getType());
    int64_t size = *getStaticByteSize(type);
    int64_t directions = (p.read ? 1 : 0) + (p.written ? 1 : 0);
    anyRead |= p.read;
    anyWritten |= p.written;
    transfers += directions * getNumDmaTransfers(type);
    bytes += directions * size;
    AffineMap map = op.getMatchingIndexingMap(p.operand);
    bool accumulator =
        p.written && op.getNumReductionLoops() > 0 &&
        llvm::none_of(llvm::seq<unsigned>(0, ranges.size()), [&](unsigned d) {
          return iterators[d] == utils::IteratorType::reduction &&
                 map.isFunctionOfDim(d);
        });
    accesses += directions * (accumulator ? type.getNumElements() : iterations);
  }
  SmallOpCost cost;
  cost.dma = ((anyRead ? 1 : 0) + (anyWritten ? 1 : 0)) * waitCycles +
             transfers * copyCycles + llvm::divideCeil(bytes, 8);
  // Outlining forks a parallel loop of at least two iterations.
  int64_t share = parallel >= 2 ? std::min(cores, parallel) : 1;
  cost.direct = llvm::divideCeil(accesses * l2Latency, share);
  return cost;
}

/// The divisors of `n` below `n`, largest first, found in O(sqrt(n)).
SmallVector<int64_t> getProperDivisorsDescending(int64_t n) {
  SmallVector<int64_t> small, large;
  for (int64_t d = 1; d * d <= n; ++d) {
    if (n % d != 0)
      continue;
    small.push_back(d);
    if (d != n / d && d != 1)
      large.push_back(n / d);
  }
  // `large` holds n/d for growing d: descending; `small` ascending.
  SmallVector<int64_t> divisors(large.begin(), large.end());
  divisors.append(small.rbegin(), small.rend());
  return divisors;
}

/// The operand dimension that the loop `dim` indexes directly, -1 when the
/// operand does not depend on it, or failure when it does otherwise.
FailureOr<int64_t> getTiledPosition(AffineMap map, int64_t dim) {
  int64_t position = -1;
  for (auto [index, expr] : llvm::enumerate(map.getResults())) {
    if (!expr.isFunctionOfDim(dim))
      continue;
    auto dimExpr = dyn_cast<AffineDimExpr>(expr);
    if (!dimExpr || position != -1)
      return failure();
    position = index;
  }
  return position;
}

/// `expr` as `c0 + sum(coeffs[d] * d)` with non-negative coefficients and
/// constant, or nullopt.
std::optional<WindowDim> getLinearForm(AffineExpr expr, unsigned numDims) {
  WindowDim form;
  form.coeffs.assign(numDims, 0);
  std::function<bool(AffineExpr, int64_t)> add = [&](AffineExpr e,
                                                     int64_t scale) {
    if (auto dim = dyn_cast<AffineDimExpr>(e)) {
      form.coeffs[dim.getPosition()] += scale;
      return true;
    }
    if (auto constant = dyn_cast<AffineConstantExpr>(e)) {
      form.c0 += scale * constant.getValue();
      return true;
    }
    auto binary = dyn_cast<AffineBinaryOpExpr>(e);
    if (!binary)
      return false;
    if (binary.getKind() == AffineExprKind::Add)
      return add(binary.getLHS(), scale) && add(binary.getRHS(), scale);
    if (binary.getKind() != AffineExprKind::Mul)
      return false;
    if (auto c = dyn_cast<AffineConstantExpr>(binary.getRHS()))
      return add(binary.getLHS(), scale * c.getValue());
    if (auto c = dyn_cast<AffineConstantExpr>(binary.getLHS()))
      return add(binary.getRHS(), scale * c.getValue());
    return false;
  };
  if (!add(expr, 1) || form.c0 < 0 ||
      llvm::any_of(form.coeffs, [](int64_t c) { return c < 0; }))
    return std::nullopt;
  return form;
}

/// The cost model that picks a nest, in estimated cycles: per tile, the
/// longer of its computation (kCyclesPerPoint per point of the iteration
/// space on the busiest core, the cores splitting one parallel loop as
/// pulptrain-outline-parallel does) and its DMA (kDmaBytesPerCycle, double
/// buffering overlaps the two), plus a fixed kCyclesPerTile (the fork of the
/// kernel, the DMA commands, the wait).
constexpr int64_t kDmaBytesPerCycle = 8, kCyclesPerTile = 400,
                  kCyclesPerPoint = 2;

/// Plans `op`, whose operands `operands` (as planned for one loop) do not
/// fit `budget` with one tiled loop, as a nest of up to three tiled loops
/// (see the file comment). Returns nullopt when no nest fits; `smallest`
/// becomes the smallest working set of a valid nest.
std::optional<NestPlan> planNest(const BufferAliasAnalysis &aliases,
                                 linalg::LinalgOp op,
                                 ArrayRef<OperandPlan> operands,
                                 int64_t budget, int64_t cores,
                                 int64_t &smallest) {
  if (op.hasIndexSemantics())
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned numLoops = ranges.size();
  if (llvm::any_of(ranges, [](int64_t r) { return r <= 0; }))
    return std::nullopt; // Dynamic or empty loops.
  auto iterators = op.getIteratorTypesArray();

  NestPlan plan;
  plan.op = op;
  SmallVector<bool> blocked(numLoops, false);
  bool allF32 = true;
  for (const OperandPlan &p : operands) {
    NestOperand n;
    n.number = p.operand->getOperandNumber();
    n.remote = p.remote;
    n.read = p.read;
    n.written = p.written;
    auto type = cast<MemRefType>(p.operand->get().getType());
    allF32 &= type.getElementType().isF32();
    if (!type.hasStaticShape())
      return std::nullopt;
    AffineMap map = op.getMatchingIndexingMap(p.operand);
    SmallVector<int64_t> seen(numLoops, 0);
    for (auto [expr, dimSize] : llvm::zip(map.getResults(), type.getShape())) {
      std::optional<WindowDim> form = getLinearForm(expr, numLoops);
      // A written dimension indexed other than by one loop (or a constant)
      // would have overlapping windows: its loops stay whole.
      bool direct =
          form && llvm::count_if(form->coeffs, [](int64_t c) {
                    return c != 0;
                  }) <= 1 &&
          llvm::all_of(form->coeffs, [](int64_t c) { return c <= 1; });
      if (!form || (p.written && !direct)) {
        for (unsigned d = 0; d < numLoops; ++d)
          if (expr.isFunctionOfDim(d))
            blocked[d] = true;
        WindowDim whole;
        whole.coeffs.assign(numLoops, 0);
        whole.size = dimSize;
        whole.whole = true;
        n.dims.push_back(whole);
        continue;
      }
      int64_t extent = 1;
      for (unsigned d = 0; d < numLoops; ++d) {
        extent += form->coeffs[d] * (ranges[d] - 1);
        seen[d] += form->coeffs[d] != 0;
      }
      if (form->c0 + extent > dimSize)
        return std::nullopt; // Indexed out of its bounds.
      plan.dropsConstants |= form->c0 != 0;
      n.dims.push_back(*form);
    }
    // An output only written must be covered by its windows: each loop
    // indexes it at most once.
    if (p.written && !p.read && llvm::any_of(seen, [](int64_t s) {
          return s > 1;
        }))
      return std::nullopt;
    plan.operands.push_back(std::move(n));
  }
  // A read operand that may share memory with a written one could see an
  // earlier tile's results before they are written back, or later ones.
  for (const NestOperand &r : plan.operands)
    for (const NestOperand &w : plan.operands)
      if (&r != &w && r.read && w.written &&
          aliases.mayAlias(op->getOperand(r.number),
                           op->getOperand(w.number)))
        return std::nullopt;

  // The loops that may be tiled: parallel ones, and the outermost
  // reduction loop of an f32 op whose outputs all accumulate. A reduction
  // rounded in its epilogue carries its sum in f32 across the whole
  // reduction: a chunk of it would round a partial sum (f16/bf16 outputs
  // keep it out already; the contract says so too).
  SmallVector<int64_t> candidates;
  bool reductionSeen = false;
  bool accumulates = llvm::all_of(plan.operands, [](const NestOperand &n) {
    return !n.written || n.read;
  });
  allF32 &= !op->hasAttr(attrs::kF32Accumulator);
  for (unsigned d = 0; d < numLoops; ++d) {
    bool parallel = iterators[d] == utils::IteratorType::parallel;
    bool firstReduction = !parallel && !reductionSeen;
    reductionSeen |= !parallel;
    if (blocked[d] || ranges[d] < 2)
      continue;
    if (parallel || (firstReduction && allF32 && accumulates))
      candidates.push_back(d);
  }

  // Every nest of one to three candidate loops (outer to inner) and every
  // tile size dividing them; the cheapest that fits.
  std::optional<NestPlan> best;
  int64_t bestCost = std::numeric_limits<int64_t>::max();

  SmallVector<int64_t> loops, tiles;
  auto evaluate = [&] {
    SmallVector<int64_t> extent(ranges);
    for (auto [loop, tile] : llvm::zip(loops, tiles))
      extent[loop] = tile;
    int64_t total = 1;
    SmallVector<int64_t> trips, inner(loops.size(), 1);
    for (auto [loop, tile] : llvm::zip(loops, tiles)) {
      trips.push_back(ranges[loop] / tile);
      total *= trips.back();
    }
    for (int64_t k = loops.size() - 1; k > 0; --k)
      inner[k - 1] = inner[k] * trips[k];
    int64_t bytes = 0, traffic = 0;
    for (auto [n, p] : llvm::zip(plan.operands, operands)) {
      auto type = cast<MemRefType>(p.operand->get().getType());
      int64_t elements = 1;
      n.last = -1;
      for (WindowDim &w : n.dims) {
        if (!w.whole) {
          w.size = 1;
          for (unsigned d = 0; d < numLoops; ++d)
            w.size += w.coeffs[d] * (extent[d] - 1);
          for (auto [k, loop] : llvm::enumerate(loops))
            if (w.coeffs[loop] != 0)
              n.last = std::max<int64_t>(n.last, k);
        }
        elements *= w.size;
      }
      n.bytes = elements * getElementByteSize(type.getElementType());
      if (!n.remote)
        continue;
      bytes += llvm::alignTo(n.bytes * (n.last >= 0 ? 2 : 1), kAlignment);
      int64_t versions = n.last >= 0 ? total / inner[n.last] : 1;
      traffic += n.bytes * versions * (int64_t(n.read) + int64_t(n.written));
    }
    smallest = std::min(smallest, bytes);
    // The loop the cores split: the outermost parallel one with at least
    // `cores` iterations in a tile, else the longest.
    int64_t points = 1, split = 0;
    for (unsigned d = 0; d < numLoops; ++d) {
      points *= extent[d];
      if (iterators[d] != utils::IteratorType::parallel)
        continue;
      if (split < cores ? extent[d] > split : false)
        split = extent[d];
    }
    int64_t busiest = split > 0 ? points / split * llvm::divideCeil(split, cores)
                                : points;
    int64_t cost = total * (std::max(busiest * kCyclesPerPoint,
                                     traffic / total / kDmaBytesPerCycle) +
                            kCyclesPerTile);
    if (bytes > budget || cost >= bestCost)
      return;
    bestCost = cost;
    best = plan;
    best->loops = loops;
    best->tiles = tiles;
    best->trips = trips;
    best->bytes = bytes;
  };
  std::function<void(size_t)> chooseTiles = [&](size_t k) {
    if (k == loops.size())
      return evaluate();
    for (int64_t tile : getProperDivisorsDescending(ranges[loops[k]])) {
      tiles.push_back(tile);
      chooseTiles(k + 1);
      tiles.pop_back();
    }
  };
  std::function<void(size_t)> chooseLoops = [&](size_t from) {
    if (!loops.empty())
      chooseTiles(0);
    if (loops.size() == 3)
      return;
    for (size_t i = from; i < candidates.size(); ++i) {
      loops.push_back(candidates[i]);
      chooseLoops(i + 1);
      loops.pop_back();
    }
  };
  chooseLoops(0);
  return best;
}

LogicalResult TileL1Pass::planOp(const BufferAliasAnalysis &aliases,
                                 linalg::LinalgOp op,
                                 std::optional<OpPlan> &result,
                                 std::optional<NestPlan> &nest) {
  OpPlan plan;
  plan.op = op;
  bool anyRemote = false;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type)
      continue;
    std::optional<Memory> memory = getMemory(type);
    if (!memory)
      return success(); // A memory space of another kind: left in place.
    bool remote =
        *memory == Memory::L2 && !isConstant(aliases, operand.get(), op);
    if (remote && !isStaticallyStrided(type))
      return success(); // No static window: left in place.
    bool init = op.isDpsInit(&operand);
    plan.operands.push_back({&operand, remote, -1, !init ||
                             op.payloadUsesValueFromOperand(&operand),
                             init});
    anyRemote |= remote;
  }
  if (!anyRemote)
    return success();

  // A small op reads and writes its L2 operands in place when that costs
  // less than copying them.
  if (l2Latency > 0) {
    std::optional<SmallOpCost> cost = getSmallOpCost(
        op, plan.operands, cores, l2Latency, dmaCopyCycles, dmaWaitCycles);
    if (cost && cost->direct < cost->dma) {
      ++numInPlace;
      return success();
    }
  }

  // Bytes of the operands' L1 buffers for `tile` iterations of `dim`.
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  auto workingSet = [&](int64_t dim, int64_t tile) {
    int64_t total = 0;
    for (OperandPlan &p : plan.operands) {
      if (!p.remote)
        continue;
      auto type = cast<MemRefType>(p.operand->get().getType());
      int64_t bytes = *getStaticByteSize(type);
      if (p.position >= 0 && dim >= 0)
        bytes = bytes / type.getDimSize(p.position) * tile;
      p.tileBytes = bytes;
      // A tiled buffer is double-buffered (two slots back to back).
      total += llvm::alignTo(bytes * (p.position >= 0 && dim >= 0 ? 2 : 1),
                             kAlignment);
    }
    return total;
  };

  // Whole operands when they fit.
  int64_t whole = workingSet(-1, 0);
  if (whole <= budget) {
    plan.bytes = whole;
    result = plan;
    return success();
  }

  // Else tiles along the outermost parallel loop that every operand indexes
  // directly (or not at all); the op must not read its loop indices.
  int64_t smallest = std::numeric_limits<int64_t>::max();
  if (!op.hasIndexSemantics()) {
    auto iterators = op.getIteratorTypesArray();
    for (int64_t dim = 0, e = ranges.size(); dim < e; ++dim) {
      if (iterators[dim] != utils::IteratorType::parallel ||
          ranges[dim] == ShapedType::kDynamic || ranges[dim] < 2)
        continue;
      bool ok = true;
      for (OperandPlan &p : plan.operands) {
        FailureOr<int64_t> position =
            getTiledPosition(op.getMatchingIndexingMap(p.operand), dim);
        ok &= succeeded(position);
        p.position = succeeded(position) ? *position : -1;
        // A tiled dimension spans the whole loop.
        auto type = cast<MemRefType>(p.operand->get().getType());
        ok &= p.position < 0 || type.getDimSize(p.position) == ranges[dim];
      }
      if (!ok)
        continue;
      // The largest divisor of the range whose tiles fit (the working set
      // grows with the tile, so the first that fits is the largest).
      for (int64_t tile : getProperDivisorsDescending(ranges[dim])) {
        int64_t bytes = workingSet(dim, tile);
        smallest = std::min(smallest, bytes);
        if (bytes <= budget) {
          plan.dim = dim;
          plan.tile = tile;
          plan.trips = ranges[dim] / tile;
          plan.bytes = bytes;
          result = plan;
          return success();
        }
      }
    }
  }

  // Else a nest of tiled loops, each operand copied as its window.
  int64_t oneLoop = smallest;
  nest = planNest(aliases, op, plan.operands, budget, cores, smallest);
  if (nest) {
    // Without its reduction tiled (not f32), a nest keeps every term of an
    // output in one tile, so its tiles get small; one loop would be better
    // where the driver can give the tiles its need.
    bool allF32 = llvm::all_of(plan.operands, [](const OperandPlan &p) {
      return cast<MemRefType>(p.operand->get().getType())
          .getElementType()
          .isF32();
    });
    if (!allF32 && oneLoop != std::numeric_limits<int64_t>::max())
      preferred = std::max(preferred, oneLoop);
    return success();
  }

  // The layer: the attribute, else the name the importer gives the
  // location (the conversion to linalg keeps locations, not attributes).
  std::string where;
  StringAttr layer = op->getAttrOfType<StringAttr>(attrs::kLayer);
  if (!layer)
    op->getLoc()->walk([&](Location loc) {
      if (auto name = dyn_cast<NameLoc>(loc)) {
        layer = name.getName();
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
  if (layer)
    where = (" of layer '" + layer.getValue() + "'").str();
  if (auto phase = op->getAttrOfType<StringAttr>(attrs::kPhase))
    where += (" (" + phase.getValue() + ")").str();
  InFlightDiagnostic diag = op->emitOpError("does not fit in L1")
                            << where << ": ";
  needed = std::max(
      needed, smallest == std::numeric_limits<int64_t>::max() ? whole
                                                              : smallest);
  if (smallest == std::numeric_limits<int64_t>::max())
    diag << "its " << whole << "-byte working set cannot be tiled";
  else
    diag << "its smallest tile needs " << smallest << " bytes";
  diag << ", the L1 tile budget is " << static_cast<int64_t>(budget)
       << " bytes";
  return diag;
}

void TileL1Pass::rewrite(OpPlan &plan, memref::GlobalOp tiles) {
  linalg::LinalgOp op = plan.op;
  Location loc = op.getLoc();
  OpBuilder b(op);
  auto cst = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value tileSpace =
      memref::GetGlobalOp::create(b, loc, tiles.getType(), tiles.getSymName());

  // L1 buffer layout: every remote operand, tiled ones twice.
  int64_t next = 0;
  for (OperandPlan &p : plan.operands) {
    if (!p.remote)
      continue;
    p.offset = next;
    next += llvm::alignTo(
        p.tileBytes * (p.position >= 0 && plan.dim >= 0 ? 2 : 1), kAlignment);
  }

  Attribute inL1 = MemoryAttr::get(b.getContext(), Memory::L1);
  auto l1Type = [&](const OperandPlan &p) {
    auto type = cast<MemRefType>(p.operand->get().getType());
    SmallVector<int64_t> shape(type.getShape());
    if (p.position >= 0 && plan.dim >= 0)
      shape[p.position] = plan.tile;
    return MemRefType::get(shape, type.getElementType(),
                           MemRefLayoutAttrInterface(), inL1);
  };

  // Starts the DMA of `p`'s part for tile `t` (nullptr: all) between L2
  // and the L1 buffer at byte `l1Offset` of the tile space.
  auto copy = [&](const OperandPlan &p, Value t, Value l1Offset,
                  Direction direction) {
    Value l2 = p.operand->get();
    if (t && p.position >= 0) {
      // The tile: `tile` slices of the tiled dimension, rows of the outer
      // dimensions at the L2 array's stride (a 2-D transfer).
      auto type = cast<MemRefType>(l2.getType());
      SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0)),
          sizes, strides(type.getRank(), b.getIndexAttr(1));
      for (int64_t size : type.getShape())
        sizes.push_back(b.getIndexAttr(size));
      offsets[p.position] =
          arith::MulIOp::create(b, loc, t, cst(plan.tile)).getResult();
      sizes[p.position] = b.getIndexAttr(plan.tile);
      l2 = memref::SubViewOp::create(b, loc, l2, offsets, sizes, strides);
    }
    Value l1 = memref::ViewOp::create(b, loc, l1Type(p), tileSpace, l1Offset,
                                      ValueRange());
    startWindowCopy(b, loc, l2, l1, direction);
  };
  auto waitAll = [&] { cluster::DmaWaitOp::create(b, loc, ValueRange()); };
  auto bufferOffset = [&](const OperandPlan &p, Value slot) -> Value {
    if (!slot || p.position < 0)
      return cst(p.offset);
    Value shift = arith::MulIOp::create(b, loc, slot, cst(p.tileBytes));
    return arith::AddIOp::create(b, loc, shift, cst(p.offset));
  };
  // The op on the L1 buffers of tile `t` in buffer `slot`.
  auto compute = [&](Value t, Value slot) {
    SmallVector<Value> operands;
    for (OpOperand &operand : op->getOpOperands()) {
      const OperandPlan *p = llvm::find_if(plan.operands, [&](auto &q) {
        return q.operand == &operand;
      });
      if (p == plan.operands.end()) {
        operands.push_back(operand.get());
        continue;
      }
      if (p->remote && (!slot || p->position < 0)) {
        operands.push_back(memref::ViewOp::create(
            b, loc, l1Type(*p), tileSpace, cst(p->offset), ValueRange()));
        continue;
      }
      if (p->remote) {
        // Both buffers of the operand as one constant-offset view (so that
        // later passes see its bytes are its own), then this tile's slot.
        MemRefType tileType = l1Type(*p);
        SmallVector<int64_t> pairShape = {2};
        llvm::append_range(pairShape, tileType.getShape());
        auto pairType = MemRefType::get(pairShape, tileType.getElementType(),
                                        MemRefLayoutAttrInterface(), inL1);
        Value pair = memref::ViewOp::create(b, loc, pairType, tileSpace,
                                            cst(p->offset), ValueRange());
        SmallVector<OpFoldResult> offsets(pairShape.size(), b.getIndexAttr(0)),
            sizes, strides(pairShape.size(), b.getIndexAttr(1));
        offsets[0] = slot;
        sizes.push_back(b.getIndexAttr(1));
        for (int64_t size : tileType.getShape())
          sizes.push_back(b.getIndexAttr(size));
        auto resultType = memref::SubViewOp::inferRankReducedResultType(
            tileType.getShape(), pairType, offsets, sizes, strides);
        operands.push_back(memref::SubViewOp::create(
            b, loc, cast<MemRefType>(resultType), pair, offsets, sizes,
            strides));
        continue;
      }
      if (!t || p->position < 0) {
        operands.push_back(operand.get());
        continue;
      }
      // A local buffer indexed by the tiled loop: its tile, in place.
      auto type = cast<MemRefType>(operand.get().getType());
      SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0)),
          sizes, strides(type.getRank(), b.getIndexAttr(1));
      for (int64_t size : type.getShape())
        sizes.push_back(b.getIndexAttr(size));
      offsets[p->position] =
          arith::MulIOp::create(b, loc, t, cst(plan.tile)).getResult();
      sizes[p->position] = b.getIndexAttr(plan.tile);
      operands.push_back(memref::SubViewOp::create(b, loc, operand.get(),
                                                   offsets, sizes, strides));
    }
    mlir::clone(b, op, TypeRange(), operands);
  };

  if (plan.dim < 0) {
    // One tile: in, compute, out.
    for (const OperandPlan &p : plan.operands)
      if (p.remote && p.read)
        copy(p, nullptr, cst(p.offset), kToL1);
    waitAll();
    compute(nullptr, nullptr);
    bool anyWritten = false;
    for (const OperandPlan &p : plan.operands)
      if (p.remote && p.written) {
        copy(p, nullptr, cst(p.offset), kToL2);
        anyWritten = true;
      }
    // Nothing to wait for when nothing went out.
    if (anyWritten)
      waitAll();
    op->erase();
    return;
  }

  // Operands that do not depend on the tiled loop: in once.
  for (const OperandPlan &p : plan.operands)
    if (p.remote && p.read && p.position < 0)
      copy(p, nullptr, cst(p.offset), kToL1);
  // Tile 0 into slot 0.
  for (const OperandPlan &p : plan.operands)
    if (p.remote && p.read && p.position >= 0)
      copy(p, cst(0), bufferOffset(p, cst(0)), kToL1);
  // A tile's results go out while the next tile is computed: the write
  // back of tile t-1 starts after the wait that begins tile t, so that
  // wait finds it done only if it was done already. That needs every
  // written operand in two slots of its own (a written operand the loop
  // does not index is one buffer, which tile t writes again) and none
  // read too (tile t+1's part would go to the slot tile t-1's leaves).
  bool overlapOut = llvm::all_of(plan.operands, [](const OperandPlan &p) {
    return !p.remote || !p.written || (p.position >= 0 && !p.read);
  });
  auto writeBack = [&](Value tile, Value inSlot) {
    for (const OperandPlan &p : plan.operands)
      if (p.remote && p.written)
        copy(p, p.position >= 0 ? tile : nullptr, bufferOffset(p, inSlot),
             kToL2);
  };
  auto loop = scf::ForOp::create(b, loc, cst(0), cst(plan.trips), cst(1));
  b.setInsertionPointToStart(loop.getBody());
  Value t = loop.getInductionVar();
  Value slot = arith::RemUIOp::create(b, loc, t, cst(2));
  Value other = arith::SubIOp::create(b, loc, cst(1), slot);
  // Tile t is in, and the results in its slots are back in L2 (tile t-1's
  // with overlapOut is enough: transfers complete in order).
  waitAll();
  if (overlapOut)
    forPreviousTile(b, loc, t,
                    [&](Value previous) { writeBack(previous, other); });
  Value nextTile = arith::AddIOp::create(b, loc, t, cst(1));
  Value more = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                     nextTile, cst(plan.trips));
  auto prefetch = scf::IfOp::create(b, loc, more, /*withElse=*/false);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(prefetch.thenBlock());
    for (const OperandPlan &p : plan.operands)
      if (p.remote && p.read && p.position >= 0)
        copy(p, nextTile, bufferOffset(p, other), kToL1);
  }
  compute(t, slot);
  if (!overlapOut)
    writeBack(t, slot);
  b.setInsertionPointAfter(loop);
  if (overlapOut) // The last tile's results.
    writeBack(cst(plan.trips - 1), cst((plan.trips - 1) % 2));
  waitAll();
  op->erase();
}

/// Starts the DMA between the L2 window `l2` and the contiguous L1 buffer
/// `l1` of the same shape: one transfer when the window is rows at one
/// stride (`cluster::getDmaShape`), else one per index of its outermost
/// dimension of several elements, in a loop.
void startWindowCopy(OpBuilder &b, Location loc, Value l2, Value l1,
                     Direction direction) {
  auto type = cast<MemRefType>(l2.getType());
  if (cluster::getDmaShape(type)) {
    bool toL1 = direction == kToL1;
    cluster::DmaStartOp::create(b, loc, toL1 ? l2 : l1, toL1 ? l1 : l2);
    return;
  }
  int64_t dim = llvm::find_if(type.getShape(), [](int64_t s) {
                  return s > 1;
                }) - type.getShape().begin();
  auto cst = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto loop = scf::ForOp::create(b, loc, cst(0), cst(type.getDimSize(dim)),
                                 cst(1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  auto slice = [&](Value memref) -> Value {
    auto t = cast<MemRefType>(memref.getType());
    SmallVector<OpFoldResult> offsets(t.getRank(), b.getIndexAttr(0)), sizes,
        strides(t.getRank(), b.getIndexAttr(1));
    for (int64_t size : t.getShape())
      sizes.push_back(b.getIndexAttr(size));
    offsets[dim] = loop.getInductionVar();
    sizes[dim] = b.getIndexAttr(1);
    return memref::SubViewOp::create(b, loc, memref, offsets, sizes, strides);
  };
  startWindowCopy(b, loc, slice(l2), slice(l1), direction);
}

void TileL1Pass::rewriteNest(NestPlan &plan, memref::GlobalOp tiles) {
  MLIRContext *ctx = plan.op->getContext();
  // Windows that start at a constant offset index their L1 copies from
  // zero: the maps change, so a named op becomes the generic op it is.
  if (plan.dropsConstants && !isa<linalg::GenericOp>(plan.op.getOperation())) {
    IRRewriter rewriter(ctx);
    rewriter.setInsertionPoint(plan.op);
    FailureOr<linalg::GenericOp> generic =
        linalg::generalizeNamedOp(rewriter, plan.op);
    if (succeeded(generic))
      plan.op = *generic;
  }
  linalg::LinalgOp op = plan.op;
  Location loc = op.getLoc();
  OpBuilder b(op);
  auto cst = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value tileSpace =
      memref::GetGlobalOp::create(b, loc, tiles.getType(), tiles.getSymName());
  unsigned numLoops = op.getNumLoops();
  int64_t depth = plan.loops.size();
  // Tiles of the loops inside tiled loop k (the linear tile index moves
  // loop k every inner[k] tiles).
  SmallVector<int64_t> inner(depth, 1);
  for (int64_t k = depth - 1; k > 0; --k)
    inner[k - 1] = inner[k] * plan.trips[k];
  int64_t total = inner[0] * plan.trips[0];

  int64_t next = 0;
  for (NestOperand &n : plan.operands) {
    if (!n.remote)
      continue;
    n.offset = next;
    next += llvm::alignTo(n.bytes * (n.last >= 0 ? 2 : 1), kAlignment);
  }

  Attribute inL1 = MemoryAttr::get(ctx, Memory::L1);
  auto windowShape = [&](const NestOperand &n) {
    SmallVector<int64_t> shape;
    for (const WindowDim &w : n.dims)
      shape.push_back(w.size);
    return shape;
  };
  auto elementType = [&](const NestOperand &n) {
    return cast<MemRefType>(op->getOperand(n.number).getType())
        .getElementType();
  };
  auto l1Type = [&](const NestOperand &n) {
    return MemRefType::get(windowShape(n), elementType(n),
                           MemRefLayoutAttrInterface(), inL1);
  };
  // The window of `n` in tile `t` of the original operand.
  auto window = [&](const NestOperand &n, Value t) -> Value {
    Value memref = op->getOperand(n.number);
    auto type = cast<MemRefType>(memref.getType());
    SmallVector<OpFoldResult> offsets, sizes,
        strides(type.getRank(), b.getIndexAttr(1));
    SmallVector<Value> first(depth); // First iteration of each tiled loop.
    for (const WindowDim &w : n.dims) {
      sizes.push_back(b.getIndexAttr(w.size));
      Value offset;
      int64_t constant = w.whole ? 0 : w.c0;
      for (auto [k, loop] : llvm::enumerate(plan.loops)) {
        if (w.whole || w.coeffs[loop] == 0)
          continue;
        if (!first[k]) {
          Value index = t;
          if (inner[k] != 1)
            index = arith::DivUIOp::create(b, loc, index, cst(inner[k]));
          if (k != 0)
            index = arith::RemUIOp::create(b, loc, index, cst(plan.trips[k]));
          first[k] = arith::MulIOp::create(b, loc, index, cst(plan.tiles[k]));
        }
        Value term = first[k];
        if (w.coeffs[loop] != 1)
          term = arith::MulIOp::create(b, loc, term, cst(w.coeffs[loop]));
        offset = offset ? arith::AddIOp::create(b, loc, offset, term) : term;
      }
      if (!offset) {
        offsets.push_back(b.getIndexAttr(constant));
        continue;
      }
      if (constant)
        offset = arith::AddIOp::create(b, loc, offset, cst(constant));
      offsets.push_back(offset);
    }
    bool all = llvm::all_of(llvm::zip(offsets, sizes, type.getShape()),
                            [](auto it) {
                              auto [offset, size, dim] = it;
                              return isConstantIntValue(offset, 0) &&
                                     isConstantIntValue(size, dim);
                            });
    if (all)
      return memref;
    return memref::SubViewOp::create(b, loc, memref, offsets, sizes, strides);
  };
  // Which of the two L1 buffers of `n` holds its window of tile `t`.
  auto slotOf = [&](const NestOperand &n, Value t) -> Value {
    Value version = t;
    if (inner[n.last] != 1)
      version = arith::DivUIOp::create(b, loc, t, cst(inner[n.last]));
    return arith::RemUIOp::create(b, loc, version, cst(2));
  };
  // The L1 buffer of `n` for tile `t`, as one view of the tile space.
  auto buffer = [&](const NestOperand &n, Value t) -> Value {
    Value offset = cst(n.offset);
    if (n.last >= 0) {
      Value shift =
          arith::MulIOp::create(b, loc, slotOf(n, t), cst(n.bytes));
      offset = arith::AddIOp::create(b, loc, shift, offset);
    }
    return memref::ViewOp::create(b, loc, l1Type(n), tileSpace, offset,
                                  ValueRange());
  };
  auto copy = [&](const NestOperand &n, Value t, Direction direction) {
    startWindowCopy(b, loc, window(n, t), buffer(n, t), direction);
  };
  auto waitAll = [&] { cluster::DmaWaitOp::create(b, loc, ValueRange()); };

  // The maps of the L1 copies: windows start at their constant offset.
  SmallVector<AffineMap> maps;
  for (const NestOperand &n : plan.operands) {
    AffineMap map = op.getMatchingIndexingMap(&op->getOpOperand(n.number));
    SmallVector<AffineExpr> results;
    for (auto [expr, w] : llvm::zip(map.getResults(), n.dims)) {
      if (w.whole) {
        results.push_back(expr);
        continue;
      }
      AffineExpr sum = getAffineConstantExpr(0, ctx);
      for (unsigned d = 0; d < numLoops; ++d)
        if (w.coeffs[d])
          sum = sum + getAffineDimExpr(d, ctx) * w.coeffs[d];
      results.push_back(sum);
    }
    maps.push_back(AffineMap::get(numLoops, 0, results, ctx));
  }

  // The op on the L1 buffers and local windows of tile `t`.
  auto compute = [&](Value t) {
    SmallVector<Value> operands(op->getOperands());
    for (const NestOperand &n : plan.operands) {
      if (!n.remote) {
        operands[n.number] = window(n, t);
        continue;
      }
      if (n.last < 0) {
        operands[n.number] = buffer(n, t);
        continue;
      }
      // Both buffers as one constant-offset view (later passes see that
      // its bytes are its own), then this tile's.
      MemRefType tileType = l1Type(n);
      SmallVector<int64_t> pairShape = {2};
      llvm::append_range(pairShape, tileType.getShape());
      auto pairType = MemRefType::get(pairShape, tileType.getElementType(),
                                      MemRefLayoutAttrInterface(), inL1);
      Value pair = memref::ViewOp::create(b, loc, pairType, tileSpace,
                                          cst(n.offset), ValueRange());
      SmallVector<OpFoldResult> offsets(pairShape.size(), b.getIndexAttr(0)),
          sizes, strides(pairShape.size(), b.getIndexAttr(1));
      offsets[0] = slotOf(n, t);
      sizes.push_back(b.getIndexAttr(1));
      for (int64_t size : tileType.getShape())
        sizes.push_back(b.getIndexAttr(size));
      auto resultType = memref::SubViewOp::inferRankReducedResultType(
          tileType.getShape(), pairType, offsets, sizes, strides);
      operands[n.number] = memref::SubViewOp::create(
          b, loc, cast<MemRefType>(resultType), pair, offsets, sizes, strides);
    }
    Operation *clone = mlir::clone(b, op, TypeRange(), operands);
    if (plan.dropsConstants)
      if (auto generic = dyn_cast<linalg::GenericOp>(clone))
        generic.setIndexingMapsAttr(b.getAffineMapArrayAttr(maps));
  };

  // Windows that no tiled loop moves: in once, out at the end.
  for (const NestOperand &n : plan.operands)
    if (n.remote && n.read && n.last < 0)
      copy(n, cst(0), kToL1);
  for (const NestOperand &n : plan.operands)
    if (n.remote && n.read && n.last >= 0)
      copy(n, cst(0), kToL1);
  // As in the one-loop case, the windows written by tile t-1 go out after
  // the wait that begins tile t, while tile t is computed, when no moving
  // written window is read too (the next window would go to the buffer
  // the written one leaves).
  bool overlapOut = llvm::all_of(plan.operands, [](const NestOperand &n) {
    return !n.remote || !n.written || n.last < 0 || !n.read;
  });
  auto loop = scf::ForOp::create(b, loc, cst(0), cst(total), cst(1));
  b.setInsertionPointToStart(loop.getBody());
  Value t = loop.getInductionVar();
  // Tile t is in, and the windows written before it are back in L2 (the
  // buffers the next windows go to are free; with overlapOut, the windows
  // of tile t-1 are not needed for that: transfers complete in order).
  waitAll();
  Value nextTile = arith::AddIOp::create(b, loc, t, cst(1));
  // Whether the windows of the operands whose innermost tiled loop is k
  // change from tile `from` to tile `from` + 1, given `from` + 1 (true for
  // the innermost loop).
  auto changes = [&](int64_t k, Value to) -> Value {
    Value moved = arith::RemUIOp::create(b, loc, to, cst(inner[k]));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, moved,
                                 cst(0));
  };
  // Runs `body` for the operands selected by `pick`, grouped by their
  // innermost tiled loop, under the condition that their window changes
  // before tile `to`.
  auto forChanging = [&](Value to,
                         llvm::function_ref<bool(const NestOperand &)> pick,
                         llvm::function_ref<void(const NestOperand &)> body) {
    for (int64_t k = 0; k < depth; ++k) {
      SmallVector<const NestOperand *> group;
      for (const NestOperand &n : plan.operands)
        if (n.remote && n.last == k && pick(n))
          group.push_back(&n);
      if (group.empty())
        continue;
      OpBuilder::InsertionGuard guard(b);
      if (inner[k] != 1) {
        auto branch = scf::IfOp::create(b, loc, changes(k, to), false);
        b.setInsertionPointToStart(branch.thenBlock());
      }
      for (const NestOperand *n : group)
        body(*n);
    }
  };
  auto moving = [](const NestOperand &n) { return n.written; };
  if (overlapOut)
    forPreviousTile(b, loc, t, [&](Value previous) {
      forChanging(t, moving,
                  [&](const NestOperand &n) { copy(n, previous, kToL2); });
    });
  {
    Value more = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                       nextTile, cst(total));
    auto prefetch = scf::IfOp::create(b, loc, more, /*withElse=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(prefetch.thenBlock());
    forChanging(nextTile, [](const NestOperand &n) { return n.read; },
                [&](const NestOperand &n) { copy(n, nextTile, kToL1); });
  }
  compute(t);
  if (!overlapOut)
    forChanging(nextTile, moving,
                [&](const NestOperand &n) { copy(n, t, kToL2); });
  b.setInsertionPointAfter(loop);
  if (overlapOut) // The windows of the last tile.
    for (const NestOperand &n : plan.operands)
      if (n.remote && n.last >= 0 && moving(n))
        copy(n, cst(total - 1), kToL2);
  waitAll();
  bool anyOut = false;
  for (const NestOperand &n : plan.operands)
    if (n.remote && n.written && n.last < 0) {
      copy(n, cst(0), kToL2);
      anyOut = true;
    }
  if (anyOut)
    waitAll();
  op->erase();
}

void TileL1Pass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  if (budget <= 0)
    return;

  SmallVector<OpPlan> plans;
  SmallVector<NestPlan, 2> nests;
  bool anyFailed = false;
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (fn.isExternal())
      continue;
    BufferAliasAnalysis aliases(fn);
    for (Operation &op : fn.getBody().front()) {
      auto linalgOp = dyn_cast<linalg::LinalgOp>(&op);
      if (!linalgOp || !linalgOp.hasPureBufferSemantics())
        continue;
      std::optional<OpPlan> plan;
      std::optional<NestPlan> nest;
      if (failed(planOp(aliases, linalgOp, plan, nest)))
        anyFailed = true;
      else if (plan)
        plans.push_back(*plan);
      else if (nest)
        nests.push_back(*nest);
    }
  }
  if (anyFailed) {
    module->setAttr(attrs::kTileBudgetNeeded,
                    IntegerAttr::get(IntegerType::get(ctx, 64), needed));
    return signalPassFailure();
  }
  if (preferred > 0)
    module->setAttr(attrs::kTileBudgetPreferred,
                    IntegerAttr::get(IntegerType::get(ctx, 64), preferred));
  if (plans.empty() && nests.empty())
    return;

  int64_t size = 0;
  for (const OpPlan &plan : plans)
    size = std::max(size, plan.bytes);
  for (const NestPlan &plan : nests)
    size = std::max(size, plan.bytes);
  OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
  auto tiles = memref::GlobalOp::create(
      builder, module.getLoc(), kTilesName, builder.getStringAttr("private"),
      MemRefType::get({size}, builder.getI8Type(), MemRefLayoutAttrInterface(),
                      MemoryAttr::get(ctx, Memory::L1)),
      builder.getUnitAttr(), /*constant=*/false,
      builder.getI64IntegerAttr(kAlignment));

  for (OpPlan &plan : plans)
    rewrite(plan, tiles);
  for (NestPlan &plan : nests)
    rewriteNest(plan, tiles);
}

} // namespace
