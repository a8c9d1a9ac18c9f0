//===- VectorizePairs.cpp - f16/bf16 reductions as packed-pair dot products
//===//
//
// Rewrites reduction loops over 16-bit floats into loops over packed pairs:
// `acc += extf(a[k]) * extf(b[k])` with `a` and `b` contiguous in `k` becomes
// a loop of step 2 whose body loads each operand's pair as one 32-bit word
// (`vector.load ... vector<2xf16>`) and accumulates both products with one
// `cluster.dotpex` (the cores' vfdotpex.s.h / .ah, rounded once into the
// f32 accumulator); an odd trip count leaves one scalar iteration after the
// loop. A pair is loaded as one word only where its address is provably
// 4-byte aligned; other loops stay scalar (docs/Vectorization.md explains
// the choice). Element-wise loops store pairs too: of f32 values rounded
// with one `cluster.pack`, or of 16-bit arithmetic (an update in its
// parameter's type) run lane-wise on the pairs.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_VECTORIZEPAIRS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Bytes of one packed pair: the alignment of a one-word access.
constexpr int64_t kPairBytes = 4;

bool isPairElement(Type type) { return type.isF16() || type.isBF16(); }

//===--- Divisibility of index values ------------------------------------===//

/// Whether `expr` (an affine expression of `operands`) is known to be a
/// multiple of `m`.
bool isMultipleOf(Value v, int64_t m, unsigned depth = 0);

bool isExprMultipleOf(AffineExpr expr, ValueRange dims, ValueRange syms,
                      int64_t m, unsigned depth) {
  if (auto c = dyn_cast<AffineConstantExpr>(expr))
    return c.getValue() % m == 0;
  if (auto d = dyn_cast<AffineDimExpr>(expr))
    return isMultipleOf(dims[d.getPosition()], m, depth + 1);
  if (auto s = dyn_cast<AffineSymbolExpr>(expr))
    return isMultipleOf(syms[s.getPosition()], m, depth + 1);
  auto bin = cast<AffineBinaryOpExpr>(expr);
  bool lhs = isExprMultipleOf(bin.getLHS(), dims, syms, m, depth);
  bool rhs = isExprMultipleOf(bin.getRHS(), dims, syms, m, depth);
  switch (expr.getKind()) {
  case AffineExprKind::Add:
    return lhs && rhs;
  case AffineExprKind::Mul:
    return lhs || rhs;
  default:
    return false;
  }
}

bool isMultipleOf(Value v, int64_t m, unsigned depth) {
  if (m == 1)
    return true;
  if (depth > 16)
    return false;
  if (std::optional<int64_t> c = getConstantIntValue(v))
    return *c % m == 0;
  // Induction variables: a multiple when the lower bound and step are.
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    Operation *owner = arg.getOwner()->getParentOp();
    if (auto loop = dyn_cast<scf::ForOp>(owner))
      return arg == loop.getInductionVar() &&
             isMultipleOf(loop.getLowerBound(), m, depth + 1) &&
             isMultipleOf(loop.getStep(), m, depth + 1);
    if (auto loop = dyn_cast<scf::ParallelOp>(owner)) {
      unsigned i = arg.getArgNumber();
      return isMultipleOf(loop.getLowerBound()[i], m, depth + 1) &&
             isMultipleOf(loop.getStep()[i], m, depth + 1);
    }
    return false;
  }
  Operation *def = v.getDefiningOp();
  if (auto add = dyn_cast<arith::AddIOp>(def))
    return isMultipleOf(add.getLhs(), m, depth + 1) &&
           isMultipleOf(add.getRhs(), m, depth + 1);
  if (auto mul = dyn_cast<arith::MulIOp>(def))
    return isMultipleOf(mul.getLhs(), m, depth + 1) ||
           isMultipleOf(mul.getRhs(), m, depth + 1);
  if (auto select = dyn_cast<arith::SelectOp>(def))
    return isMultipleOf(select.getTrueValue(), m, depth + 1) &&
           isMultipleOf(select.getFalseValue(), m, depth + 1);
  if (auto apply = dyn_cast<affine::AffineApplyOp>(def)) {
    AffineMap map = apply.getAffineMap();
    ValueRange operands = apply.getMapOperands();
    return isExprMultipleOf(map.getResult(0),
                            operands.take_front(map.getNumDims()),
                            operands.drop_front(map.getNumDims()), m, depth);
  }
  return false;
}

//===--- Alignment of buffers --------------------------------------------===//

/// Whether the buffer `memref` starts (its base pointer, before the layout
/// offset) on a `kPairBytes` boundary: a view of a global at an aligned
/// byte shift, and reshapes or subviews of such a view. Function arguments
/// are the caller's buffers, whose alignment the C interface does not
/// promise.
bool isBaseAligned(Value memref, unsigned depth = 0) {
  if (depth > 16)
    return false;
  Operation *def = memref.getDefiningOp();
  if (!def)
    return false;
  if (auto global = dyn_cast<memref::GetGlobalOp>(def)) {
    auto symbol = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
        global, global.getNameAttr());
    std::optional<uint64_t> alignment =
        symbol ? symbol.getAlignment() : std::nullopt;
    return alignment && *alignment % kPairBytes == 0;
  }
  if (auto view = dyn_cast<memref::ViewOp>(def))
    return isMultipleOf(view.getByteShift(), kPairBytes) &&
           isBaseAligned(view.getSource(), depth + 1);
  // The layout offset of the result carries the rest.
  if (isa<memref::SubViewOp, memref::ExpandShapeOp, memref::CollapseShapeOp,
          memref::CastOp, memref::ReinterpretCastOp>(def))
    return isBaseAligned(def->getOperand(0), depth + 1);
  return false;
}

/// Whether the layout offset of `memref` (in elements) is even: static and
/// even, or that of a subview at offsets that keep it even.
bool isOffsetEven(Value memref, unsigned depth = 0) {
  auto type = dyn_cast<MemRefType>(memref.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!type || failed(type.getStridesAndOffset(strides, offset)))
    return false;
  if (!ShapedType::isDynamic(offset))
    return offset % 2 == 0;
  auto subview = memref.getDefiningOp<memref::SubViewOp>();
  if (!subview || depth > 16 || !isOffsetEven(subview.getSource(), depth + 1))
    return false;
  SmallVector<int64_t> sourceStrides;
  int64_t sourceOffset;
  if (failed(subview.getSourceType().getStridesAndOffset(sourceStrides,
                                                         sourceOffset)))
    return false;
  for (auto [ofr, stride] :
       llvm::zip(subview.getMixedOffsets(), sourceStrides)) {
    if (ShapedType::isDynamic(stride))
      return false;
    if (stride % 2 == 0)
      continue;
    std::optional<int64_t> c = getConstantIntValue(ofr);
    if (c ? *c % 2 != 0 : !isMultipleOf(cast<Value>(ofr), 2))
      return false;
  }
  return true;
}

//===--- Contiguity in the loop index ------------------------------------===//

/// Whether `v` is `iv + x` with `x` independent of `iv`, and then `x`'s
/// parity is even (`evenRest`).
bool isUnitStride(Value v, Value iv, Block *body, bool &evenRest);

/// Whether `v` does not change with `iv` (defined outside the loop, or by
/// index arithmetic of values that do not).
bool isIndependent(Value v, Value iv, Block *body, unsigned depth = 0) {
  if (v == iv)
    return false;
  Operation *def = v.getDefiningOp();
  // The other induction variables of a parallel loop; a for loop's other
  // arguments are carried values.
  if (auto arg = dyn_cast<BlockArgument>(v))
    return arg.getOwner() != body || isa<scf::ParallelOp>(body->getParentOp());
  if (def->getBlock() != body)
    return true;
  if (depth > 16 || !isa<arith::AddIOp, arith::MulIOp, arith::ConstantOp,
                         affine::AffineApplyOp>(def))
    return false;
  return llvm::all_of(def->getOperands(), [&](Value operand) {
    return isIndependent(operand, iv, body, depth + 1);
  });
}

bool isUnitStride(Value v, Value iv, Block *body, bool &evenRest) {
  if (v == iv) {
    evenRest = true;
    return true;
  }
  Operation *def = v.getDefiningOp();
  if (!def)
    return false;
  if (auto add = dyn_cast<arith::AddIOp>(def)) {
    for (unsigned i = 0; i < 2; ++i) {
      Value rest = add->getOperand(1 - i);
      if (add->getOperand(i) == iv && isIndependent(rest, iv, body)) {
        evenRest = isMultipleOf(rest, 2);
        return true;
      }
    }
    return false;
  }
  // d_i + (an expression without d_i), with d_i bound to `iv`.
  auto apply = dyn_cast<affine::AffineApplyOp>(def);
  if (!apply)
    return false;
  AffineMap map = apply.getAffineMap();
  ValueRange operands = apply.getMapOperands();
  int position = -1;
  for (auto [i, operand] : llvm::enumerate(operands)) {
    if (operand == iv) {
      if (position >= 0 || i >= map.getNumDims())
        return false;
      position = i;
    } else if (!isIndependent(operand, iv, body)) {
      return false;
    }
  }
  if (position < 0)
    return false;
  auto add = dyn_cast<AffineBinaryOpExpr>(map.getResult(0));
  if (!add || add.getKind() != AffineExprKind::Add)
    return false;
  AffineExpr dim = getAffineDimExpr(position, map.getContext());
  AffineExpr rest;
  if (add.getLHS() == dim)
    rest = add.getRHS();
  else if (add.getRHS() == dim)
    rest = add.getLHS();
  else
    return false;
  if (rest.isFunctionOfDim(position))
    return false;
  evenRest = isExprMultipleOf(rest, operands.take_front(map.getNumDims()),
                              operands.drop_front(map.getNumDims()), 2, 0);
  return true;
}

/// Whether `memref[indices]` accesses, at `iv` and `iv + 1` (`iv` even),
/// two adjacent 16-bit elements whose pair is `kPairBytes`-aligned; `body`
/// is the loop body that defines `iv`.
bool isPairAccess(Value memref, ValueRange indices, Value iv, Block *body) {
  auto type = cast<MemRefType>(memref.getType());
  if (!isPairElement(type.getElementType()) || type.getRank() == 0)
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      strides.back() != 1 || llvm::any_of(strides, ShapedType::isDynamic))
    return false;
  if (!isIndependent(memref, iv, body))
    return false;
  bool evenRest = false;
  if (!isUnitStride(indices.back(), iv, body, evenRest) || !evenRest)
    return false;
  // The element offset of the pair's first element must be even.
  if (!isOffsetEven(memref))
    return false;
  for (auto [index, stride] :
       llvm::zip(indices.drop_back(), ArrayRef(strides).drop_back())) {
    if (!isIndependent(index, iv, body))
      return false;
    if (stride % 2 != 0 && !isMultipleOf(index, 2))
      return false;
  }
  return isBaseAligned(memref);
}

/// Whether `load` reads, in iterations `k` and `k + 1` of `loop` (k even),
/// two adjacent elements whose pair is `kPairBytes`-aligned.
bool isPairLoad(memref::LoadOp load, scf::ForOp loop) {
  return isPairAccess(load.getMemRef(), load.getIndices(),
                      loop.getInductionVar(), loop.getBody());
}

//===--- Reduction loops --------------------------------------------------===//

/// One accumulator of a pair reduction: `acc + extf(lhs) * extf(rhs)`.
struct PairTerm {
  arith::AddFOp add;
  arith::MulFOp mul;
  memref::LoadOp lhs, rhs;
};

/// The accumulation of iteration argument `i` of `loop`, if it is a pair
/// product term.
std::optional<PairTerm> matchTerm(scf::ForOp loop, unsigned i) {
  Value yielded = loop.getYieldedValues()[i];
  auto add = yielded.getDefiningOp<arith::AddFOp>();
  if (!add || !add.getType().isF32() || add->getBlock() != loop.getBody())
    return std::nullopt;
  Value acc = loop.getRegionIterArgs()[i];
  Value product;
  if (add.getLhs() == acc)
    product = add.getRhs();
  else if (add.getRhs() == acc)
    product = add.getLhs();
  else
    return std::nullopt;
  auto mul = product.getDefiningOp<arith::MulFOp>();
  if (!mul || !mul->hasOneUse())
    return std::nullopt;
  auto loadOf = [](Value v) -> memref::LoadOp {
    auto ext = v.getDefiningOp<arith::ExtFOp>();
    return ext ? ext.getIn().getDefiningOp<memref::LoadOp>() : nullptr;
  };
  memref::LoadOp lhs = loadOf(mul.getLhs()), rhs = loadOf(mul.getRhs());
  if (!lhs || !rhs || lhs.getType() != rhs.getType())
    return std::nullopt;
  if (!acc.hasOneUse())
    return std::nullopt;
  return PairTerm{add, mul, lhs, rhs};
}

/// Whether `op` computes an index.
bool isIndexArithmetic(Operation *op) {
  return isa<arith::AddIOp, arith::MulIOp, arith::ConstantOp,
             affine::AffineApplyOp>(op) &&
         op->getNumResults() == 1 && op->getResult(0).getType().isIndex();
}

/// Whether `op` may appear in a vectorized reduction body: the terms'
/// loads, extensions, products and sums, and index arithmetic.
bool isAllowedInBody(Operation *op) {
  return isa<memref::LoadOp, arith::ExtFOp, arith::MulFOp, arith::AddFOp,
             arith::AddIOp, arith::MulIOp, arith::ConstantOp,
             affine::AffineApplyOp, scf::YieldOp>(op);
}

/// The terms of `loop` (constant bounds, an even lower bound, step 1, at
/// least two iterations, and an even trip count if `evenTrip`) when every
/// iteration argument accumulates one and nothing else is computed in the
/// body but the loads' indices; else nullopt.
std::optional<SmallVector<PairTerm>> matchTerms(scf::ForOp loop,
                                                bool evenTrip) {
  std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
  std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  if (!lb || !ub || !step || *step != 1 || *lb % 2 != 0 || *ub - *lb < 2 ||
      (evenTrip && (*ub - *lb) % 2 != 0) || loop.getNumRegionIterArgs() == 0)
    return std::nullopt;
  for (Operation &op : loop.getBody()->getOperations())
    if (!isAllowedInBody(&op))
      return std::nullopt;
  SmallVector<PairTerm> terms;
  llvm::SmallPtrSet<Operation *, 16> termOps;
  for (unsigned i = 0, e = loop.getNumRegionIterArgs(); i < e; ++i) {
    std::optional<PairTerm> term = matchTerm(loop, i);
    if (!term)
      return std::nullopt;
    termOps.insert({term->add, term->mul, term->mul.getLhs().getDefiningOp(),
                    term->mul.getRhs().getDefiningOp(), term->lhs, term->rhs});
    terms.push_back(*term);
  }
  for (Operation &op : loop.getBody()->without_terminator())
    if (!termOps.contains(&op) && !isIndexArithmetic(&op))
      return std::nullopt;
  return terms;
}

/// The terms of `loop` (matchTerms) when every load is a pair load; else
/// nullopt.
std::optional<SmallVector<PairTerm>> matchReduction(scf::ForOp loop) {
  std::optional<SmallVector<PairTerm>> terms =
      matchTerms(loop, /*evenTrip=*/false);
  if (!terms || llvm::any_of(*terms, [&](const PairTerm &term) {
        return !isPairLoad(term.lhs, loop) || !isPairLoad(term.rhs, loop);
      }))
    return std::nullopt;
  return terms;
}

/// Rewrites `loop` (matched by matchReduction) into a loop of step 2 over
/// pairs and, for an odd trip count, one scalar iteration after it.
void vectorizeReduction(scf::ForOp loop, MutableArrayRef<PairTerm> terms) {
  OpBuilder b(loop);
  Location loc = loop.getLoc();
  int64_t lb = *getConstantIntValue(loop.getLowerBound());
  int64_t ub = *getConstantIntValue(loop.getUpperBound());
  int64_t pairedUb = lb + (ub - lb) / 2 * 2;
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value upper = pairedUb == ub ? loop.getUpperBound() : index(pairedUb);
  auto paired = scf::ForOp::create(b, loc, loop.getLowerBound(), upper,
                                   index(2), loop.getInitArgs());
  Type elementType = terms.front().lhs.getType();
  auto pairType = VectorType::get({2}, elementType);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(paired.getBody());
    IRMapping map;
    map.map(loop.getInductionVar(), paired.getInductionVar());
    // The index arithmetic the loads need.
    for (Operation &op : loop.getBody()->without_terminator())
      if (isIndexArithmetic(&op))
        b.clone(op, map);
    auto pairLoad = [&](memref::LoadOp load) -> Value {
      SmallVector<Value> indices;
      for (Value i : load.getIndices())
        indices.push_back(map.lookupOrDefault(i));
      return vector::LoadOp::create(
          b, load.getLoc(), pairType, load.getMemRef(), indices,
          /*nontemporal=*/false, llvm::MaybeAlign(kPairBytes));
    };
    SmallVector<Value> sums;
    for (auto [i, term] : llvm::enumerate(terms)) {
      Value lhs = pairLoad(term.lhs);
      Value rhs = term.rhs == term.lhs ? lhs : pairLoad(term.rhs);
      sums.push_back(cluster::DotpexOp::create(b, term.add.getLoc(),
                                               b.getF32Type(), lhs, rhs,
                                               paired.getRegionIterArgs()[i]));
    }
    scf::YieldOp::create(b, loc, sums);
  }
  // The odd iteration: the scalar body once more.
  SmallVector<Value> results(paired.getResults());
  if (pairedUb != ub) {
    IRMapping map;
    map.map(loop.getInductionVar(), index(ub - 1));
    for (auto [arg, value] : llvm::zip(loop.getRegionIterArgs(), results))
      map.map(arg, value);
    for (Operation &op : loop.getBody()->without_terminator())
      b.clone(op, map);
    for (auto [i, value] : llvm::enumerate(loop.getYieldedValues()))
      results[i] = map.lookup(value);
  }
  loop.replaceAllUsesWith(results);
  loop.erase();
}

/// Whether `loop` (without results) can take two iterations of its
/// innermost dimension at a time: constant bounds, step 1, an even lower
/// bound and an even trip count of at least 2.
bool canPairInnermost(scf::ParallelOp loop) {
  if (loop.getNumResults() != 0)
    return false;
  unsigned d = loop.getNumLoops() - 1;
  std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()[d]);
  std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound()[d]);
  std::optional<int64_t> step = getConstantIntValue(loop.getStep()[d]);
  return lb && ub && step && *step == 1 && *lb % 2 == 0 && *ub - *lb >= 2 &&
         (*ub - *lb) % 2 == 0;
}

/// Creates, before `loop`, the parallel loop that takes two iterations of
/// `loop`'s innermost dimension at a time (step 2), and sets `b` to the
/// start of its body; `maps[c]` maps `loop`'s induction variables to the
/// new ones, the innermost plus `c`; `one`, if given, is set to the index
/// constant 1 that offset is built with.
scf::ParallelOp createPairedLoop(OpBuilder &b, scf::ParallelOp loop,
                                 IRMapping maps[2], Value *one = nullptr) {
  Location loc = loop.getLoc();
  unsigned d = loop.getNumLoops() - 1;
  SmallVector<Value> steps(loop.getStep());
  steps[d] = arith::ConstantIndexOp::create(b, loc, 2);
  auto paired = scf::ParallelOp::create(b, loc, loop.getLowerBound(),
                                        loop.getUpperBound(), steps);
  b.setInsertionPointToStart(paired.getBody());
  Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
  if (one)
    *one = c1;
  for (unsigned c = 0; c < 2; ++c) {
    for (auto [oldIv, newIv] :
         llvm::zip(loop.getInductionVars(), paired.getInductionVars()))
      maps[c].map(oldIv, newIv);
    if (c == 1)
      maps[c].map(
          loop.getInductionVars()[d],
          arith::AddIOp::create(b, loc, paired.getInductionVars()[d], c1));
  }
  return paired;
}

//===--- Reductions paired across two outputs ----------------------------===//

/// Whether `v` is computed inside `region` from `iv` (or is it).
bool dependsOnIv(Value v, Value iv, Region &region, unsigned depth = 0) {
  if (v == iv)
    return true;
  Operation *def = v.getDefiningOp();
  if (!def || !region.isAncestor(def->getParentRegion()) || depth > 16)
    return false;
  return llvm::any_of(def->getOperands(), [&](Value operand) {
    return dependsOnIv(operand, iv, region, depth + 1);
  });
}

/// A term `acc + extf(rows) * extf(pairs)` of a reduction over `k` inside a
/// parallel loop over `j`: `rows` is a pair along `j` (`A[k, j]` and
/// `A[k, j + 1]` adjacent and aligned, for every `k`), `pairs` a pair along
/// `k` that does not change with `j` (`b[k]`, `b[k + 1]`).
struct ColumnTerm {
  memref::LoadOp rows, pairs;
};

/// The reduction loop of `loop` and its terms when `loop` computes, for
/// each `j` of its innermost dimension (constant even bounds, step 1), a
/// reduction over `k` whose every term is a ColumnTerm (a matrix-vector
/// product that reads the matrix by columns: a linear layer's input
/// gradient `dx[j] = sum_k W[k, j] * dy[k]`); else nullopt. The body must be
/// straight-line ops around that one reduction loop (constant even bounds,
/// step 1, an even trip count).
std::optional<std::pair<scf::ForOp, SmallVector<ColumnTerm>>>
matchColumnReduction(scf::ParallelOp loop) {
  if (!canPairInnermost(loop))
    return std::nullopt;
  unsigned d = loop.getNumLoops() - 1;
  Block *body = loop.getBody();
  Value j = loop.getInductionVars()[d];
  scf::ForOp reduction;
  for (Operation &op : body->without_terminator()) {
    if (op.getNumRegions() == 0)
      continue;
    auto forOp = dyn_cast<scf::ForOp>(op);
    if (!forOp || reduction)
      return std::nullopt;
    reduction = forOp;
  }
  if (!reduction)
    return std::nullopt;
  std::optional<SmallVector<PairTerm>> pairTerms =
      matchTerms(reduction, /*evenTrip=*/true);
  if (!pairTerms)
    return std::nullopt;
  Region &region = loop.getRegion();
  Value k = reduction.getInductionVar();
  // `rows`: a pair along j, every index but the last independent of j
  // (isPairAccess also asks an even stride for indices that move with k,
  // so the pair of row k + 1 is aligned too); `pairs`: a pair along k,
  // nothing of it moving with j.
  auto isRows = [&](memref::LoadOp load) {
    return isPairAccess(load.getMemRef(), load.getIndices(), j, body) &&
           llvm::none_of(load.getIndices().drop_back(), [&](Value index) {
             return dependsOnIv(index, j, region);
           });
  };
  auto isPairs = [&](memref::LoadOp load) {
    return isPairLoad(load, reduction) &&
           !dependsOnIv(load.getMemRef(), j, region) &&
           llvm::none_of(load.getIndices(), [&](Value index) {
             return dependsOnIv(index, j, region);
           });
  };
  SmallVector<ColumnTerm> terms;
  for (const PairTerm &term : *pairTerms) {
    ColumnTerm column;
    if (isRows(term.lhs) && isPairs(term.rhs))
      column = {term.lhs, term.rhs};
    else if (isRows(term.rhs) && isPairs(term.lhs))
      column = {term.rhs, term.lhs};
    else
      return std::nullopt;
    // The rows must move with k (else the plain pair reduction applies).
    if (llvm::none_of(column.rows.getIndices(), [&](Value index) {
          return dependsOnIv(index, k, reduction.getRegion());
        }))
      return std::nullopt;
    terms.push_back(column);
  }
  return std::make_pair(reduction, std::move(terms));
}

/// Rewrites `loop` (matched by matchColumnReduction) to take two outputs
/// `j`, `j + 1` at a time, with a reduction loop of step 2 over `k`: the
/// words `A[k, j:j+2]` and `A[k+1, j:j+2]` are regrouped into the pairs
/// along k of column j (lanes 0 of both: `cv.pack`) and of column j + 1
/// (lanes 1: `cv.pack.h`), each accumulated with `b[k:k+2]` by one
/// `cluster.dotpex`. Two words, two packs and two dot products for four
/// multiply-accumulates, where the scalar loop loads each weight alone.
void pairColumns(scf::ParallelOp loop, scf::ForOp reduction,
                 ArrayRef<ColumnTerm> terms) {
  OpBuilder b(loop);
  Location loc = loop.getLoc();
  IRMapping maps[2];
  Value one;
  createPairedLoop(b, loop, maps, &one);
  Block *body = loop.getBody();
  Block::iterator loopAt = reduction->getIterator();
  // The ops before the reduction, once per output (iterations of a
  // parallel loop are independent).
  for (unsigned c = 0; c < 2; ++c)
    for (Operation &op : llvm::make_range(body->begin(), loopAt))
      b.clone(op, maps[c]);

  unsigned n = reduction.getNumRegionIterArgs();
  SmallVector<Value> inits;
  for (unsigned c = 0; c < 2; ++c)
    for (Value init : reduction.getInitArgs())
      inits.push_back(maps[c].lookupOrDefault(init));
  auto pairedLoop = scf::ForOp::create(
      b, reduction.getLoc(), reduction.getLowerBound(),
      reduction.getUpperBound(), arith::ConstantIndexOp::create(b, loc, 2),
      inits);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(pairedLoop.getBody());
    Value k = pairedLoop.getInductionVar();
    // Rows k and k + 1 of output j (the pair loads cover j + 1 too).
    IRMapping rows[2] = {maps[0], maps[0]};
    rows[0].map(reduction.getInductionVar(), k);
    rows[1].map(reduction.getInductionVar(),
                arith::AddIOp::create(b, loc, k, one));
    for (IRMapping &map : rows)
      for (Operation &op : reduction.getBody()->without_terminator())
        if (isIndexArithmetic(&op))
          b.clone(op, map);
    auto pairLoad = [&](memref::LoadOp load, IRMapping &map) -> Value {
      SmallVector<Value> indices;
      for (Value i : load.getIndices())
        indices.push_back(map.lookupOrDefault(i));
      return vector::LoadOp::create(
          b, load.getLoc(), VectorType::get({2}, load.getType()),
          map.lookupOrDefault(load.getMemRef()), indices,
          /*nontemporal=*/false, llvm::MaybeAlign(kPairBytes));
    };
    SmallVector<Value> sums(2 * n);
    for (auto [i, term] : llvm::enumerate(terms)) {
      memref::LoadOp rowLoad = term.rows, pairLoadOp = term.pairs;
      Location termLoc = rowLoad.getLoc();
      Value word0 = pairLoad(rowLoad, rows[0]);
      Value word1 = pairLoad(rowLoad, rows[1]);
      Value vector = pairLoad(pairLoadOp, rows[0]);
      for (int64_t c = 0; c < 2; ++c) {
        Value column = vector::ShuffleOp::create(
            b, termLoc, word0, word1, ArrayRef<int64_t>{c, 2 + c});
        sums[c * n + i] = cluster::DotpexOp::create(
            b, termLoc, b.getF32Type(), column, vector,
            pairedLoop.getRegionIterArgs()[c * n + i]);
      }
    }
    scf::YieldOp::create(b, reduction.getLoc(), sums);
  }
  for (unsigned c = 0; c < 2; ++c)
    for (unsigned i = 0; i < n; ++i)
      maps[c].map(reduction.getResult(i), pairedLoop.getResult(c * n + i));
  // The ops after it (the rounding and the store), once per output.
  for (unsigned c = 0; c < 2; ++c)
    for (Operation &op :
         llvm::make_range(std::next(loopAt), std::prev(body->end())))
      b.clone(op, maps[c]);
  loop.erase();
}

//===--- Element-wise loops with 16-bit results
//----------------------------===//

/// Whether `v` is computed in `body` by 16-bit arithmetic that pairs lane
/// by lane: an f16/bf16 `math.fma`, addition, subtraction, multiplication
/// or negation (an update in its parameter's type,
/// pulptrain-narrow-updates).
bool isLaneWise(Value v, Block *body) {
  Operation *def = v.getDefiningOp();
  return def && def->getBlock() == body && isPairElement(v.getType()) &&
         isa<math::FmaOp, arith::AddFOp, arith::SubFOp, arith::MulFOp,
             arith::NegFOp>(def);
}

/// The stores of `loop`'s body if each writes `truncf(x : f32)`, or a value
/// of 16-bit arithmetic (isLaneWise), to a pair position along the
/// innermost dimension and the loop can take pairs of
/// it (step 1, even bounds, a body of straight-line ops); else nullopt.
std::optional<SmallVector<memref::StoreOp>>
matchPackedStores(scf::ParallelOp loop) {
  if (!canPairInnermost(loop))
    return std::nullopt;
  unsigned d = loop.getNumLoops() - 1;
  Block *body = loop.getBody();
  Value iv = loop.getInductionVars()[d];
  SmallVector<memref::StoreOp> stores;
  for (Operation &op : body->without_terminator()) {
    if (op.getNumRegions() != 0)
      return std::nullopt;
    auto store = dyn_cast<memref::StoreOp>(op);
    if (!store) {
      // Reads and pure computation only: the two copies may interleave.
      auto effects = dyn_cast<MemoryEffectOpInterface>(op);
      if (!isa<memref::LoadOp>(op) && (!effects || !effects.hasNoEffect()))
        return std::nullopt;
      continue;
    }
    auto trunc = store.getValue().getDefiningOp<arith::TruncFOp>();
    bool rounded = trunc && !trunc.getRoundingmodeAttr() &&
                   trunc.getIn().getType().isF32();
    if ((!rounded && !isLaneWise(store.getValue(), body)) ||
        !isPairAccess(store.getMemRef(), store.getIndices(), iv, body))
      return std::nullopt;
    stores.push_back(store);
  }
  if (stores.empty())
    return std::nullopt;
  return stores;
}

/// The `element` (f16, bf16) value `lane` is the f32 extension of, or null.
Value getExtendedHalf(Value lane, Type element) {
  auto ext = lane.getDefiningOp<arith::ExtFOp>();
  if (!ext || ext.getIn().getType() != element)
    return Value();
  return ext.getIn();
}

/// The pair of `type` with `scalar` in both lanes: a constant, or the
/// 16 bits twice in one word by integer arithmetic (no inline assembly, so
/// LLVM hoists it out of loops where `scalar` does not change).
Value splatPair(OpBuilder &b, Location loc, VectorType type, Value scalar) {
  FloatAttr constant;
  if (matchPattern(scalar, m_Constant(&constant)))
    return arith::ConstantOp::create(
        b, loc, type, DenseElementsAttr::get(type, constant.getValue()));
  Type i16 = b.getI16Type(), i32 = b.getI32Type();
  Value bits = arith::ExtUIOp::create(
      b, loc, i32, arith::BitcastOp::create(b, loc, i16, scalar));
  Value word = arith::OrIOp::create(
      b, loc, bits,
      arith::ShLIOp::create(b, loc, bits,
                            arith::ConstantIntOp::create(b, loc, i32, 16)));
  return vector::BitCastOp::create(
      b, loc, type,
      vector::BroadcastOp::create(b, loc, VectorType::get({1}, i32), word));
}

/// The pair of the f16 values `a` and `b`: the word they were extracted
/// from when they are its lanes 0 and 1, one value in both lanes
/// (splatPair), else the two packed (exactly: `vfcpka.h.s` of their f32
/// extensions).
Value pairOfHalves(OpBuilder &b, Location loc, VectorType type, Value a,
                   Value c) {
  auto lo = a.getDefiningOp<vector::ExtractOp>();
  auto hi = c.getDefiningOp<vector::ExtractOp>();
  if (lo && hi && lo.getSource() == hi.getSource() &&
      lo.getStaticPosition() == ArrayRef<int64_t>{0} &&
      hi.getStaticPosition() == ArrayRef<int64_t>{1})
    return lo.getSource();
  if (a == c)
    return splatPair(b, loc, type, a);
  Type f32 = b.getF32Type();
  return cluster::PackOp::create(b, loc, type,
                                 arith::ExtFOp::create(b, loc, f32, a),
                                 arith::ExtFOp::create(b, loc, f32, c));
}

/// When both f32 `lanes` are products of two f16 values, the pair of
/// their f16 roundings as one lane-wise f16 product (`vfmul.h`), or null.
/// The product of two f16 values is exact in f32 (11-bit significands,
/// exponents far inside f32's range), so rounding it to f16 once is what
/// `vfmul.h` computes: bit-identical. Not for bf16 unless `bf16`: its
/// exponents are f32's, a product can fall below f32's normal range and
/// round twice in the f32 code; `vfmul.ah` rounds it once (the gradient
/// inside an update computed in bf16, which is not bit-identical anyway).
Value multiplyHalfPairs(OpBuilder &b, Location loc, VectorType type,
                        Value lanes[2], bool bf16 = false) {
  if (!type.getElementType().isF16() &&
      !(bf16 && type.getElementType().isBF16()))
    return Value();
  Value factors[2][2];
  for (unsigned l = 0; l < 2; ++l) {
    auto mul = lanes[l].getDefiningOp<arith::MulFOp>();
    if (!mul || mul.getFastmath() != arith::FastMathFlags::none)
      return Value();
    factors[l][0] = getExtendedHalf(mul.getLhs(), type.getElementType());
    factors[l][1] = getExtendedHalf(mul.getRhs(), type.getElementType());
    if (!factors[l][0] || !factors[l][1])
      return Value();
  }
  Value lhs = pairOfHalves(b, loc, type, factors[0][0], factors[1][0]);
  Value rhs = pairOfHalves(b, loc, type, factors[0][1], factors[1][1]);
  return arith::MulFOp::create(b, loc, lhs, rhs);
}

/// The pair of the two lanes' copies of the 16-bit value `v` of `body`
/// (its copies `maps[0]` and `maps[1]`), built at `b`; `pairs` caches the
/// pairs built so far:
/// * 16-bit arithmetic (isLaneWise): the same op on the pairs of its
///   operands, lane-wise (`vfmac`, `vfadd`, `vfsub`, `vfmul`; a negation
///   flips the two sign bits), one rounding per lane as the scalar op;
/// * a rounding `truncf(x : f32)`: the product's pair (multiplyHalfPairs;
///   in bf16 too when it is an operand of 16-bit arithmetic,
///   `inArithmetic`), or the two lanes of `x` packed with one rounding
///   each;
/// * anything else: pairOfHalves of its two copies (the loaded word, a
///   splat of a constant or of a value both lanes share, or a pack).
Value getPair(OpBuilder &b, Value v, Block *body, IRMapping maps[2],
              DenseMap<Value, Value> &pairs, bool inArithmetic = false) {
  if (Value pair = pairs.lookup(v))
    return pair;
  Location loc = v.getLoc();
  auto type = VectorType::get({2}, v.getType());
  Value pair;
  Operation *def = v.getDefiningOp();
  auto lo = maps[0].lookupOrDefault(v).getDefiningOp<vector::ExtractOp>();
  auto hi = maps[1].lookupOrDefault(v).getDefiningOp<vector::ExtractOp>();
  if (lo && hi && lo.getSource() == hi.getSource() &&
      lo.getStaticPosition() == ArrayRef<int64_t>{0} &&
      hi.getStaticPosition() == ArrayRef<int64_t>{1}) {
    // Already a pair: a loaded word, a product of pairs.
    pair = lo.getSource();
  } else if (isLaneWise(v, body)) {
    auto operand = [&](unsigned i) {
      return getPair(b, def->getOperand(i), body, maps, pairs,
                     /*inArithmetic=*/true);
    };
    if (isa<math::FmaOp>(def)) {
      pair = math::FmaOp::create(b, loc, operand(0), operand(1), operand(2));
    } else if (isa<arith::NegFOp>(def)) {
      auto word = VectorType::get({1}, b.getI32Type());
      Value bits = vector::BitCastOp::create(b, loc, word, operand(0));
      Value sign = arith::ConstantOp::create(
          b, loc, word,
          DenseElementsAttr::get(word, APInt(32, 0x80008000u)));
      pair = vector::BitCastOp::create(
          b, loc, type, arith::XOrIOp::create(b, loc, bits, sign));
    } else {
      OperationState state(loc, def->getName());
      state.addOperands({operand(0), operand(1)});
      state.addTypes(type);
      pair = b.create(state)->getResult(0);
    }
  } else if (auto trunc = dyn_cast_or_null<arith::TruncFOp>(def);
             trunc && def->getBlock() == body &&
             trunc.getIn().getType().isF32() &&
             !trunc.getRoundingmodeAttr()) {
    Value lanes[2] = {maps[0].lookup(trunc.getIn()),
                      maps[1].lookup(trunc.getIn())};
    pair = multiplyHalfPairs(b, loc, type, lanes, /*bf16=*/inArithmetic);
    if (!pair)
      pair = cluster::PackOp::create(b, loc, type, lanes[0], lanes[1]);
  } else {
    FloatAttr constant;
    pair = matchPattern(v, m_Constant(&constant))
               ? splatPair(b, loc, type, v)
               : pairOfHalves(b, loc, type, maps[0].lookupOrDefault(v),
                              maps[1].lookupOrDefault(v));
  }
  pairs[v] = pair;
  return pair;
}

/// Rewrites `loop` to take two iterations of its innermost dimension at a
/// time: the body twice (at `j` and `j + 1`), each pair of stores as one
/// `vector.store` of the two f32 values packed with one rounding each
/// (`cluster.pack`: vfcpka.h.s / .ah.s).
void packStores(scf::ParallelOp loop, ArrayRef<memref::StoreOp> stores) {
  OpBuilder b(loop);
  unsigned d = loop.getNumLoops() - 1;
  IRMapping maps[2];
  scf::ParallelOp paired = createPairedLoop(b, loop, maps);
  // The 16-bit loads of the body: a pair along the innermost dimension is
  // one word, its lanes extracted (one `lw` instead of two `lh`); a load
  // that does not depend on the index is read once for both lanes. The
  // stores come after every load, so no load moves across a store.
  Block *body = loop.getBody();
  Value iv = loop.getInductionVars()[d];
  for (Operation &op : body->without_terminator()) {
    if (isa<memref::StoreOp>(op))
      continue;
    auto load = dyn_cast<memref::LoadOp>(op);
    if (load && isPairAccess(load.getMemRef(), load.getIndices(), iv, body)) {
      SmallVector<Value> indices;
      for (Value i : load.getIndices())
        indices.push_back(maps[0].lookupOrDefault(i));
      auto type = VectorType::get({2}, load.getType());
      Value pair = vector::LoadOp::create(
          b, load.getLoc(), type, maps[0].lookupOrDefault(load.getMemRef()),
          indices, /*nontemporal=*/false, llvm::MaybeAlign(kPairBytes));
      for (unsigned l = 0; l < 2; ++l)
        maps[l].map(load.getResult(),
                    vector::ExtractOp::create(b, load.getLoc(), pair,
                                              ArrayRef<int64_t>{l}));
      continue;
    }
    // An f16 rounding of a product of two f16 values that is not stored
    // (the weight gradient inside a fused update, w - lr * round(dy * x)):
    // both lanes as one lane-wise product, exact as for stored products
    // (multiplyHalfPairs), its lanes extracted for the two roundings' uses.
    if (auto trunc = dyn_cast<arith::TruncFOp>(op);
        trunc && !trunc.getRoundingmodeAttr() &&
        trunc.getIn().getType().isF32() &&
        llvm::none_of(trunc->getUsers(),
                      [](Operation *user) { return isa<memref::StoreOp>(user); })) {
      Value lanes[2] = {maps[0].lookup(trunc.getIn()),
                        maps[1].lookup(trunc.getIn())};
      if (Value pair = multiplyHalfPairs(
              b, trunc.getLoc(), VectorType::get({2}, trunc.getType()),
              lanes)) {
        for (unsigned l = 0; l < 2; ++l)
          maps[l].map(trunc.getResult(),
                      vector::ExtractOp::create(b, trunc.getLoc(), pair,
                                                ArrayRef<int64_t>{l}));
        continue;
      }
    }
    Operation *first = b.clone(op, maps[0]);
    if (load && isIndependent(load.getMemRef(), iv, body) &&
        llvm::all_of(load.getIndices(), [&](Value index) {
          return isIndependent(index, iv, body);
        })) {
      maps[1].map(load.getResult(), first->getResult(0));
      continue;
    }
    b.clone(op, maps[1]);
  }
  DenseMap<Value, Value> pairs;
  for (memref::StoreOp store : stores) {
    Value pair = getPair(b, store.getValue(), body, maps, pairs);
    SmallVector<Value> indices;
    for (Value i : store.getIndices())
      indices.push_back(maps[0].lookupOrDefault(i));
    vector::StoreOp::create(b, store.getLoc(), pair, store.getMemRef(), indices,
                            /*nontemporal=*/false,
                            llvm::MaybeAlign(kPairBytes));
  }
  // The scalar roundings the stores consumed, and what computed only
  // their f32 operands (the products of f16 values now multiplied as
  // pairs): every op left without a use, last first.
  SmallVector<Operation *> ops;
  for (Operation &op : paired.getBody()->without_terminator())
    ops.push_back(&op);
  for (Operation *op : llvm::reverse(ops))
    if (isOpTriviallyDead(op))
      op->erase();
  loop.erase();
}

struct VectorizePairsPass
    : pulptrain::impl::VectorizePairsBase<VectorizePairsPass> {
  using VectorizePairsBase::VectorizePairsBase;

  void runOnOperation() override {
    SmallVector<std::pair<scf::ForOp, SmallVector<PairTerm>>> reductions;
    getOperation()->walk([&](scf::ForOp loop) {
      if (std::optional<SmallVector<PairTerm>> terms = matchReduction(loop))
        reductions.push_back({loop, std::move(*terms)});
    });
    for (auto &[loop, terms] : reductions)
      vectorizeReduction(loop, terms);
    numReductions += reductions.size();

    SmallVector<std::tuple<scf::ParallelOp, scf::ForOp, SmallVector<ColumnTerm>>>
        columns;
    getOperation()->walk([&](scf::ParallelOp loop) {
      if (auto match = matchColumnReduction(loop))
        columns.push_back({loop, match->first, std::move(match->second)});
    });
    for (auto &[loop, reduction, terms] : columns)
      pairColumns(loop, reduction, terms);
    numColumnPairs += columns.size();

    SmallVector<std::pair<scf::ParallelOp, SmallVector<memref::StoreOp>>>
        elementWise;
    getOperation()->walk([&](scf::ParallelOp loop) {
      if (auto stores = matchPackedStores(loop))
        elementWise.push_back({loop, std::move(*stores)});
    });
    for (auto &[loop, stores] : elementWise)
      packStores(loop, stores);
    numPackedLoops += elementWise.size();
  }
};

} // namespace
