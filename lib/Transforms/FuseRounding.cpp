//===- FuseRounding.cpp - f16/bf16 roundings fused into their producers ---===//
//
// The lowering of a pulptrain op on f16 or bf16 tensors computes in f32 and
// rounds once (LoweringUtils.h): an f32 linalg.generic, then an element-wise
// generic of `arith.truncf` into the element type. The f32 result is a
// temporary as large as the result in twice the bytes, written by one op
// and read back by the next. This pass fuses the rounding into that
// producer, so each element is rounded in the register it is computed in
// and the f32 tensor disappears:
//
// * an element-wise producer (an outer product, an activation, an
//   activation's gradient, a scalar op) by upstream's
//   linalg::fuseElementwiseOps;
// * a reduction (matmul, convolution, their gradients, sums) by rounding
//   in its epilogue: the fused op has the f16/bf16 output, extends the
//   output value to f32 in its body and rounds the f32 result before the
//   yield. Upstream has no such fusion: linalg's semantics would round the
//   output in every reduction iteration, so the op and the two casts carry
//   `pulptrain.f32_accumulator` (ModelAttributes.h), the contract that the
//   value is carried in f32 across the reduction and rounded once, which
//   pulptrain-promote-accumulators implements and pulptrain-tile-l1
//   respects. Only a reduction whose init is exact in the element type (a
//   fill of zero, a copy of f16/bf16 values such as a bias) is fused: its
//   f16/bf16 init holds the same values. One into an f32 value made by
//   another reduction (a chunk, the other parity of a weight gradient)
//   keeps its f32 result.
//
// A rounding of a reshape or of an insert_slice moves before it (the
// convolutions reshape their grouped results; a weight gradient over
// column pairs inserts two parts into one gradient), so that it reaches
// the ops that compute the values; an element-wise op that reads a
// reduction's f32 result only to round it (an SGD update that
// pulptrain-fuse-weight-update fused a weight gradient's rounding into)
// gets the rounded values, the rounding going back to the reduction.
//
// The upstream pattern set would also fuse every other element-wise pair of
// the step (and change the f32 code): here only a rounding is fused, into
// its producer alone.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "Utils.h"
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

/// The element type `rounding` rounds to.
Type getRoundedType(linalg::GenericOp rounding) {
  return getElementTypeOrSelf(rounding->getResult(0).getType());
}

/// A new rounding of the f32 tensor `value` into `elemType`, right after
/// `value` is defined (so that no profiling bracket lies between them).
Value createRounding(RewriterBase &rewriter, Value value, Type elemType) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointAfterValue(value);
  auto type = cast<RankedTensorType>(value.getType());
  Location loc = value.getLoc();
  Value init =
      tensor::EmptyOp::create(rewriter, loc, type.getShape(), elemType);
  AffineMap identity = rewriter.getMultiDimIdentityMap(type.getRank());
  auto op = linalg::GenericOp::create(
      rewriter, loc, TypeRange{init.getType()}, ValueRange{value},
      ValueRange{init}, ArrayRef<AffineMap>{identity, identity},
      SmallVector<utils::IteratorType>(type.getRank(),
                                       utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value t = arith::TruncFOp::create(b, l, elemType, args[0]);
        linalg::YieldOp::create(b, l, t);
      });
  return op.getResult(0);
}

/// The `OpT` whose result `op` rounds, if `op` is a rounding (with identity
/// maps when `identity`: its input can be rounded piece by piece, a reshape
/// or a slice of the same elements); else null.
template <typename OpT>
OpT getRoundedOp(linalg::GenericOp op, bool identity = true) {
  if (!isRounding(op) ||
      (identity && !op.getIndexingMapsArray()[0].isIdentity()))
    return {};
  return op.getDpsInputs()[0].getDefiningOp<OpT>();
}

/// round(reshape(x)) -> reshape(round(x)), when the rounding is the
/// reshape's only user and `x` is computed by an op the rounding can reach
/// (a generic, an insertion, another reshape).
template <typename ReshapeOp>
struct RoundBeforeReshape : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern<linalg::GenericOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp rounding,
                                PatternRewriter &rewriter) const override {
    auto reshape = getRoundedOp<ReshapeOp>(rounding);
    if (!reshape || !reshape->hasOneUse() ||
        !isa_and_nonnull<linalg::GenericOp, tensor::InsertSliceOp,
                         tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
            reshape.getSrc().getDefiningOp()))
      return rewriter.notifyMatchFailure(rounding, "no reshape to cross");
    Value rounded =
        createRounding(rewriter, reshape.getSrc(), getRoundedType(rounding));
    rewriter.setInsertionPoint(reshape);
    rewriter.replaceOpWithNewOp<ReshapeOp>(
        rounding, rounding->getResult(0).getType(), rounded,
        reshape.getReassociationIndices());
    rewriter.eraseOp(reshape);
    return success();
  }
};

/// round(insert_slice(part, dest)) -> insert_slice(round(part),
/// round(dest)) for a part computed by a generic (or a reshape of one) into
/// a chain of insertions into an empty tensor, which the rounding alone
/// uses.
struct RoundBeforeInsert : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp rounding,
                                PatternRewriter &rewriter) const override {
    auto insert = getRoundedOp<tensor::InsertSliceOp>(rounding);
    if (!insert || !insert->hasOneUse() ||
        !isa_and_nonnull<linalg::GenericOp, tensor::CollapseShapeOp,
                         tensor::ExpandShapeOp>(
            insert.getSource().getDefiningOp()) ||
        !isa_and_nonnull<tensor::EmptyOp, tensor::InsertSliceOp>(
            insert.getDest().getDefiningOp()))
      return rewriter.notifyMatchFailure(rounding, "no insertion to cross");
    Type elemType = getRoundedType(rounding);
    Value part = createRounding(rewriter, insert.getSource(), elemType);
    Value dest;
    if (auto empty = insert.getDest().getDefiningOp<tensor::EmptyOp>()) {
      // An empty tensor rounded is an empty tensor.
      rewriter.setInsertionPoint(insert);
      dest = tensor::EmptyOp::create(rewriter, empty.getLoc(),
                                     empty.getType().getShape(), elemType);
    } else {
      dest = createRounding(rewriter, insert.getDest(), elemType);
    }
    rewriter.setInsertionPoint(insert);
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
        rounding, part, dest, insert.getMixedOffsets(), insert.getMixedSizes(),
        insert.getMixedStrides());
    rewriter.eraseOp(insert);
    return success();
  }
};

/// The scalar of a fill, when it is a constant that `elemType` holds
/// exactly (the fused reduction then starts from the same value).
std::optional<APFloat> getExactFillValue(linalg::FillOp fill, Type elemType) {
  FloatAttr value;
  if (!matchPattern(fill.getInputs()[0], m_Constant(&value)))
    return std::nullopt;
  APFloat converted = value.getValue();
  bool losesInfo = false;
  converted.convert(cast<FloatType>(elemType).getFloatSemantics(),
                    APFloat::rmNearestTiesToEven, &losesInfo);
  if (losesInfo)
    return std::nullopt;
  return converted;
}

/// The value an all-parallel `op` writes without reading its init, when it
/// is `arith.extf` of a value of `elemType` (a bias broadcast from f16):
/// that value, in `op`'s body.
Value getExtendedYield(linalg::GenericOp op, Type elemType) {
  if (op->getNumResults() != 1 || op.getNumReductionLoops() != 0 ||
      op.payloadUsesValueFromOperand(op.getDpsInitOperand(0)))
    return {};
  auto yield = cast<linalg::YieldOp>(op.getRegion().front().getTerminator());
  auto ext = yield.getValues()[0].getDefiningOp<arith::ExtFOp>();
  if (!ext || ext.getIn().getType() != elemType)
    return {};
  return ext.getIn();
}

/// Whether a reduction's f32 `init` has an exact `elemType` copy.
bool hasExactInit(Value init, Type elemType) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return getExactFillValue(fill, elemType).has_value();
  if (auto op = init.getDefiningOp<linalg::GenericOp>())
    return static_cast<bool>(getExtendedYield(op, elemType));
  return false;
}

/// Clones the ops of `from` (without its terminator) with `map`, which maps
/// its arguments.
void cloneBody(OpBuilder &b, Block &from, IRMapping &map) {
  for (Operation &op : from.without_terminator())
    b.clone(op, map);
}

/// The `elemType` copy of `init` (hasExactInit) written into `dest`.
Value createExactInit(RewriterBase &rewriter, Value init, Value dest,
                      Type elemType) {
  Location loc = init.getLoc();
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    Value scalar = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getFloatAttr(elemType, *getExactFillValue(fill, elemType)));
    return linalg::FillOp::create(rewriter, loc, ValueRange{scalar},
                                  ValueRange{dest})
        .getResult(0);
  }
  auto op = init.getDefiningOp<linalg::GenericOp>();
  Value value = getExtendedYield(op, elemType);
  auto copy = linalg::GenericOp::create(
      rewriter, loc, TypeRange{dest.getType()}, op.getDpsInputs(),
      ValueRange{dest}, op.getIndexingMapsArray(), op.getIteratorTypesArray(),
      [&](OpBuilder &b, Location, ValueRange args) {
        Block &body = op.getRegion().front();
        IRMapping map;
        map.map(body.getArguments().drop_back(), args.drop_back());
        cloneBody(b, body, map);
        linalg::YieldOp::create(b, loc, map.lookup(value));
      });
  return copy.getResult(0);
}

/// Whether the rounding of `producer`'s result to `elemType` can go into
/// its epilogue: a reduction with one result that reads its init, whose
/// loops are its parallel ones then its reduction ones (the loops
/// conversion then puts the output's load and store in the innermost
/// reduction loop, where pulptrain-promote-accumulators carries the f32
/// value through the reduction loops), from an init exact in `elemType`.
bool canRoundInEpilogue(linalg::GenericOp producer, Type elemType) {
  if (producer->getNumResults() != 1 || producer.getNumReductionLoops() == 0 ||
      !producer.payloadUsesValueFromOperand(producer.getDpsInitOperand(0)))
    return false;
  auto iterators = producer.getIteratorTypesArray();
  if (!std::is_partitioned(iterators.begin(), iterators.end(),
                           [](utils::IteratorType t) {
                             return t == utils::IteratorType::parallel;
                           }))
    return false;
  return hasExactInit(producer.getDpsInits()[0], elemType);
}

/// Fuses a rounding into the reduction that computes its input, when the
/// rounding is its only user: the rounding in the reduction's epilogue
/// (see the file comment).
struct FuseRoundingIntoReduction : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp rounding,
                                PatternRewriter &rewriter) const override {
    auto producer =
        getRoundedOp<linalg::GenericOp>(rounding, /*identity=*/false);
    if (!producer || !canRoundInEpilogue(producer, getRoundedType(rounding)) ||
        !producer->getResult(0).hasOneUse())
      return rewriter.notifyMatchFailure(rounding, "no reduction to fuse");
    Type elemType = getRoundedType(rounding);
    Value init = producer.getDpsInits()[0];
    auto iterators = producer.getIteratorTypesArray();
    if (crossesProfileBracket(producer, rounding))
      return rewriter.notifyMatchFailure(rounding, "in another region");

    rewriter.setInsertionPoint(rounding);
    Location loc = producer.getLoc();
    Value dest =
        createExactInit(rewriter, init, rounding.getDpsInits()[0], elemType);
    auto unit = rewriter.getUnitAttr();
    auto fused = linalg::GenericOp::create(
        rewriter, loc, rounding->getResultTypes(), producer.getDpsInputs(),
        ValueRange{dest}, producer.getIndexingMapsArray(), iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Block &body = producer.getRegion().front();
          IRMapping map;
          map.map(body.getArguments().drop_back(), args.drop_back());
          auto ext = arith::ExtFOp::create(b, l, b.getF32Type(), args.back());
          ext->setAttr(attrs::kF32Accumulator, unit);
          map.map(body.getArguments().back(), ext.getResult());
          cloneBody(b, body, map);
          auto yield = cast<linalg::YieldOp>(body.getTerminator());
          auto trunc = arith::TruncFOp::create(
              b, l, elemType, map.lookup(yield.getValues()[0]));
          trunc->setAttr(attrs::kF32Accumulator, unit);
          linalg::YieldOp::create(b, l, trunc.getResult());
        });
    for (NamedAttribute attr : producer->getDiscardableAttrs())
      fused->setDiscardableAttr(attr.getName(), attr.getValue());
    fused->setAttr(attrs::kF32Accumulator, unit);
    rewriter.replaceOp(rounding, fused);
    rewriter.eraseOp(producer);
    return success();
  }
};

/// Whether `value`, an f32 tensor used once, is computed by reductions
/// whose rounding to `elemType` can go into their epilogues, through
/// single-use reshapes and insertions into an empty tensor (the two parity
/// parts of a weight gradient over column pairs): where the roundings
/// moved before them by this pass's patterns end up.
bool isRoundableInEpilogues(Value value, Type elemType) {
  if (!value.hasOneUse())
    return false;
  Operation *def = value.getDefiningOp();
  if (isa_and_nonnull<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(def))
    return isRoundableInEpilogues(def->getOperand(0), elemType);
  if (auto insert = dyn_cast_or_null<tensor::InsertSliceOp>(def))
    return isRoundableInEpilogues(insert.getSource(), elemType) &&
           (insert.getDest().getDefiningOp<tensor::EmptyOp>() ||
            isRoundableInEpilogues(insert.getDest(), elemType));
  auto producer = dyn_cast_or_null<linalg::GenericOp>(def);
  return producer && canRoundInEpilogue(producer, elemType);
}

/// The type every use of `arg` rounds it to, when its only uses are
/// `arith.truncf` (to f16 or bf16, default rounding) of it.
Type getRoundedUseType(BlockArgument arg) {
  Type type;
  for (Operation *user : arg.getUsers()) {
    auto trunc = dyn_cast<arith::TruncFOp>(user);
    if (!trunc || trunc.getRoundingmodeAttr() ||
        !(trunc.getType().isF16() || trunc.getType().isBF16()) ||
        (type && type != trunc.getType()))
      return {};
    type = trunc.getType();
  }
  return type;
}

/// An element-wise op that reads the f32 result of a reduction only to
/// round it (the SGD update into which pulptrain-fuse-weight-update fused a
/// weight gradient's rounding) takes the rounded values instead: the
/// rounding goes back next to the reduction, whose epilogue it becomes.
/// The values are the same; the gradient is stored in f16/bf16.
struct RoundBeforeConsumer : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp consumer,
                                PatternRewriter &rewriter) const override {
    if (consumer.getNumReductionLoops() != 0 || isRounding(consumer))
      return rewriter.notifyMatchFailure(consumer, "not element-wise");
    Block &body = consumer.getRegion().front();
    for (OpOperand *operand : consumer.getDpsInputOperands()) {
      Value value = operand->get();
      if (!getElementTypeOrSelf(value.getType()).isF32())
        continue;
      BlockArgument arg = body.getArgument(operand->getOperandNumber());
      Type elemType = getRoundedUseType(arg);
      if (!elemType || !isRoundableInEpilogues(value, elemType))
        continue;
      Value rounded = createRounding(rewriter, value, elemType);
      rewriter.setInsertionPoint(consumer);
      SmallVector<Value> inputs(consumer.getDpsInputs());
      inputs[operand->getOperandNumber()] = rounded;
      auto replacement = linalg::GenericOp::create(
          rewriter, consumer.getLoc(), consumer->getResultTypes(), inputs,
          consumer.getDpsInits(), consumer.getIndexingMapsArray(),
          consumer.getIteratorTypesArray(),
          [&](OpBuilder &b, Location l, ValueRange args) {
            IRMapping map;
            map.map(body.getArguments(), args);
            // The roundings of the argument are the argument now.
            for (Operation *user : arg.getUsers())
              map.map(user->getResult(0), args[arg.getArgNumber()]);
            for (Operation &op : body.without_terminator())
              if (!llvm::is_contained(arg.getUsers(), &op))
                b.clone(op, map);
            SmallVector<Value> yields;
            for (Value v : body.getTerminator()->getOperands())
              yields.push_back(map.lookupOrDefault(v));
            linalg::YieldOp::create(b, l, yields);
          });
      for (NamedAttribute attr : consumer->getDiscardableAttrs())
        replacement->setDiscardableAttr(attr.getName(), attr.getValue());
      rewriter.replaceOp(consumer, replacement);
      return success();
    }
    return rewriter.notifyMatchFailure(consumer, "no rounded reduction read");
  }
};

struct FuseRoundingPass
    : pulptrain::impl::FuseRoundingBase<FuseRoundingPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseRoundingPatterns(patterns);
    // The statistics: roundings gone (a rounding moved before an
    // insertion is one per part), reductions rounded in their epilogues.
    auto count = [&](int64_t &roundings, int64_t &epilogues) {
      roundings = epilogues = 0;
      getOperation()->walk([&](linalg::GenericOp op) {
        roundings += isRounding(op);
        epilogues += op->hasAttr(attrs::kF32Accumulator);
      });
    };
    int64_t roundingsBefore, epiloguesBefore, roundingsAfter, epiloguesAfter;
    count(roundingsBefore, epiloguesBefore);
    // Only the fusions: other ops are left for canonicalize.
    if (failed(applyOnlyPatterns(getOperation(), std::move(patterns)))) {
      signalPassFailure();
      return;
    }
    count(roundingsAfter, epiloguesAfter);
    numFused += roundingsBefore - roundingsAfter;
    numEpilogues += epiloguesAfter - epiloguesBefore;
  }
};

} // namespace

void mlir::pulptrain::populateFuseRoundingPatterns(
    RewritePatternSet &patterns) {
  patterns.add<FuseRoundingIntoProducer, FuseRoundingIntoReduction,
               RoundBeforeReshape<tensor::CollapseShapeOp>,
               RoundBeforeReshape<tensor::ExpandShapeOp>, RoundBeforeInsert,
               RoundBeforeConsumer>(patterns.getContext());
}
