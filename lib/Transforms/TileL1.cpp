//===- TileL1.cpp - L1 tiles with double-buffered DMA ---------------------===//
//
// Computes every linalg op whose buffers live in L2 on copies in the
// cluster's L1: the op is split along one parallel loop into tiles whose
// working set fits the L1 budget; the DMA brings the next tile in while
// the cores compute on the current one, and writes results back. The
// memory of an operand is the memory space of its type (L2 without one);
// the tile buffers are typed #pulptrain.memory<l1>. Constants are read in
// place from L2.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "pulptrain/Analysis/BufferAliasAnalysis.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
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

class TileL1Pass : public pulptrain::impl::TileL1Base<TileL1Pass> {
public:
  using TileL1Base::TileL1Base;
  void runOnOperation() override;

private:
  /// Plans `op` into `plan` (left empty when the op needs no L1 copies);
  /// fails, with a diagnostic, when the op cannot fit the budget.
  LogicalResult planOp(const BufferAliasAnalysis &aliases, linalg::LinalgOp op,
                       std::optional<OpPlan> &result);
  void rewrite(OpPlan &plan, memref::GlobalOp tiles);

  /// The largest smallest-tile working set of the ops rejected so far.
  int64_t needed = 0;
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

LogicalResult TileL1Pass::planOp(const BufferAliasAnalysis &aliases,
                                 linalg::LinalgOp op,
                                 std::optional<OpPlan> &result) {
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
    if (remote && (!type.hasStaticShape() || !type.getLayout().isIdentity()))
      return success(); // Not one contiguous block: left in place.
    bool init = op.isDpsInit(&operand);
    plan.operands.push_back({&operand, remote, -1, !init ||
                             op.payloadUsesValueFromOperand(&operand),
                             init});
    anyRemote |= remote;
  }
  if (!anyRemote)
    return success();

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
    bool toL1 = direction == kToL1;
    cluster::DmaStartOp::create(b, loc, toL1 ? l2 : l1, toL1 ? l1 : l2);
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
    for (const OperandPlan &p : plan.operands)
      if (p.remote && p.written)
        copy(p, nullptr, cst(p.offset), kToL2);
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
  auto loop = scf::ForOp::create(b, loc, cst(0), cst(plan.trips), cst(1));
  b.setInsertionPointToStart(loop.getBody());
  Value t = loop.getInductionVar();
  Value slot = arith::RemUIOp::create(b, loc, t, cst(2));
  Value other = arith::SubIOp::create(b, loc, cst(1), slot);
  // Tile t is in, and tile t-1 is written back (its slot is free).
  waitAll();
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
  for (const OperandPlan &p : plan.operands)
    if (p.remote && p.written)
      copy(p, p.position >= 0 ? t : nullptr, bufferOffset(p, slot), kToL2);
  b.setInsertionPointAfter(loop);
  waitAll();
  op->erase();
}

void TileL1Pass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  if (budget <= 0)
    return;

  SmallVector<OpPlan> plans;
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
      if (failed(planOp(aliases, linalgOp, plan)))
        anyFailed = true;
      else if (plan)
        plans.push_back(*plan);
    }
  }
  if (anyFailed) {
    module->setAttr(attrs::kTileBudgetNeeded,
                    IntegerAttr::get(IntegerType::get(ctx, 64), needed));
    return signalPassFailure();
  }
  if (plans.empty())
    return;

  int64_t size = 0;
  for (const OpPlan &plan : plans)
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
}

} // namespace
