//===- RoundSavedActivations.cpp - saved activations in f16 or bf16 -------===//
//
// Rounds every f32 value that the forward pass of a training step produces
// and its backward pass reads to f16 or bf16 right after it is produced;
// each backward op reads an f32 extension of the rounded copy.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "pulptrain/Dialect/PulpTrain/IR/GradientBuilder.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"
#include "pulptrain/Transforms/Passes.h"

#include "Utils.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_ROUNDSAVEDACTIVATIONS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

bool hasPhase(Operation *op, Phase phase) {
  auto attr = op->getAttrOfType<StringAttr>(attrs::kPhase);
  return attr && attr.getValue() == getPhaseName(phase);
}

/// Whether `use` is a read of the backward pass that the saved activation
/// may serve rounded: a weight or input gradient's operand, except the
/// sample number of a dropout gradient (an exact step counter) and the
/// input of a max-pooling gradient, which finds the maximum of each window
/// again: rounding makes ties the forward pass did not see, and the
/// gradient would go to another element.
bool isRoundableBackwardUse(OpOperand &use) {
  Operation *owner = use.getOwner();
  if (!hasPhase(owner, Phase::WgtGrad) && !hasPhase(owner, Phase::InGrad))
    return false;
  if (auto drop = dyn_cast<DropoutGradOp>(owner))
    return use.get() != drop.getSample();
  if (auto pool = dyn_cast<MaxPool2dGradOp>(owner))
    return use.get() != pool.getInput();
  return true;
}

/// The backward ops that read `value`, each once, in program order.
SmallVector<Operation *> getBackwardReaders(Value value) {
  llvm::SmallSetVector<Operation *, 4> readers;
  for (OpOperand &use : value.getUses())
    if (isRoundableBackwardUse(use))
      readers.insert(use.getOwner());
  SmallVector<Operation *> sorted(readers.begin(), readers.end());
  llvm::sort(sorted,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return sorted;
}

/// Whether `value` is an argument of the step seen through views (a sample
/// of a mini-batch, a flattened input): an input, not an activation, and
/// kept as the caller gave it.
bool isArgumentView(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (!isa<tensor::ExtractSliceOp, tensor::CollapseShapeOp,
             tensor::ExpandShapeOp>(def))
      return false;
    value = def->getOperand(0);
  }
  return true;
}

/// Copies the layer and phase of `from` to `to`.
void copyLayerAndPhase(Operation *from, Operation *to) {
  for (StringRef name : {attrs::kLayer, attrs::kPhase})
    if (Attribute attr = from->getAttr(name))
      to->setAttr(name, attr);
}

struct RoundSavedActivationsPass
    : pulptrain::impl::RoundSavedActivationsBase<RoundSavedActivationsPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  /// The rounded copy of the forward value `value`, made on first request:
  /// a reshape of a forward value reshapes its source's rounded copy (a
  /// view, so that a flattened activation is not stored twice), anything
  /// else is rounded right after the op that produces it.
  Value getRounded(Value value);
  /// Makes each backward reader of `value` read an f32 extension of its
  /// rounded copy.
  void extend(Value value, ArrayRef<Operation *> readers);

  FloatType narrow;
  DenseMap<Value, Value> rounded;
};

Value RoundSavedActivationsPass::getRounded(Value value) {
  if (Value known = rounded.lookup(value))
    return known;
  Operation *producer = value.getDefiningOp();
  auto type = cast<RankedTensorType>(value.getType());
  OpBuilder builder(producer->getContext());
  Value narrowed;
  if (isReshape(producer) && !isArgumentView(producer->getOperand(0))) {
    Value source = getRounded(producer->getOperand(0));
    builder.setInsertionPointAfter(producer);
    Operation *view = builder.clone(*producer);
    view->setOperand(0, source);
    view->getResult(0).setType(type.clone(narrow));
    narrowed = view->getResult(0);
  } else {
    builder.setInsertionPointAfter(producer);
    auto cast =
        CastOp::create(builder, value.getLoc(), type.clone(narrow), value);
    copyLayerAndPhase(producer, cast);
    narrowed = cast;
    ++numRounded;
    bytesSaved += type.getNumElements() *
                  (type.getElementTypeBitWidth() - narrow.getWidth()) / 8;
  }
  rounded[value] = narrowed;
  return narrowed;
}

void RoundSavedActivationsPass::extend(Value value,
                                       ArrayRef<Operation *> readers) {
  Value narrowed = getRounded(value);
  OpBuilder builder(value.getContext());
  for (Operation *reader : readers) {
    builder.setInsertionPoint(reader);
    auto extended =
        CastOp::create(builder, value.getLoc(), value.getType(), narrowed);
    copyLayerAndPhase(reader, extended);
    value.replaceUsesWithIf(extended, [&](OpOperand &use) {
      return use.getOwner() == reader && isRoundableBackwardUse(use);
    });
    ++numExtended;
  }
}

void RoundSavedActivationsPass::runOnOperation() {
  ModuleOp module = getOperation();
  auto func = module.lookupSymbol<func::FuncOp>(funcName);
  if (!func || func.isExternal()) {
    module.emitError() << "no training step @" << funcName
                       << " with a body whose saved activations to round";
    return signalPassFailure();
  }
  MLIRContext *ctx = &getContext();
  rounded.clear();
  narrow = type == SavedActivationType::F16 ? FloatType(Float16Type::get(ctx))
                                            : FloatType(BFloat16Type::get(ctx));
  // The step is one block of tensor ops; collect first, then rewrite.
  SmallVector<std::pair<Value, SmallVector<Operation *>>> saved;
  for (Operation &op : func.getBody().getOps()) {
    if (!hasPhase(&op, Phase::Forward))
      continue;
    for (Value result : op.getResults()) {
      auto type = dyn_cast<RankedTensorType>(result.getType());
      if (!type || !type.getElementType().isF32() || !type.hasStaticShape() ||
          isArgumentView(result))
        continue;
      SmallVector<Operation *> readers = getBackwardReaders(result);
      if (!readers.empty())
        saved.push_back({result, std::move(readers)});
    }
  }
  for (auto &[value, readers] : saved)
    extend(value, readers);
}

} // namespace
