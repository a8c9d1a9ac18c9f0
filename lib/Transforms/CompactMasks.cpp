//===- CompactMasks.cpp - byte masks instead of saved activations ---------===//
//
// Replaces the activations that the backward pass keeps only to read a
// mask of (relu: where positive; max pooling: where each window's maximum
// is) by byte masks computed in the forward pass, so that the activation
// dies at its last forward reader. Upstream has no counterpart: which
// values a training step keeps is a property of our gradient rules.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/SetVector.h"
#include "pulptrain/Dialect/PulpTrain/IR/GradientBuilder.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.h"
#include "pulptrain/Transforms/Passes.h"

#include "Utils.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_COMPACTMASKS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Gives a new op the layer of the gradient it serves, in `phase`.
void copyLayer(Operation *from, Operation *to, Phase phase) {
  if (Attribute layer = from->getAttr(attrs::kLayer))
    to->setAttr(attrs::kLayer, layer);
  if (from->hasAttr(attrs::kPhase))
    to->setAttr(attrs::kPhase,
                StringAttr::get(to->getContext(), getPhaseName(phase)));
}

void compact(Value v, ArrayRef<Operation *> readers) {
  OpBuilder builder(v.getContext());
  builder.setInsertionPointAfterValue(v);
  auto type = cast<RankedTensorType>(v.getType());
  Type i8 = builder.getI8Type();
  Value reluMask;
  for (Operation *reader : readers) {
    OpBuilder before(reader);
    if (auto grad = dyn_cast<ReluGradOp>(reader)) {
      if (!reluMask) {
        auto mask = ReluMaskOp::create(builder, grad.getLoc(),
                                       type.clone(i8), v);
        copyLayer(grad, mask, Phase::Forward);
        reluMask = mask;
      }
      auto replacement = ReluMaskGradOp::create(
          before, grad.getLoc(), grad.getType(), reluMask,
          grad.getGradOutput());
      replacement->setDiscardableAttrs(grad->getDiscardableAttrDictionary());
      grad.replaceAllUsesWith(replacement.getResult());
      grad.erase();
      continue;
    }
    auto grad = cast<MaxPool2dGradOp>(reader);
    auto outputType = cast<RankedTensorType>(grad.getGradOutput().getType());
    // The forward pooling computes the positions too; without one (the
    // gradient of a pooling that is not in this block), a new op does.
    MaxPool2dOp pool;
    for (Operation *user : v.getUsers())
      if (auto candidate = dyn_cast<MaxPool2dOp>(user);
          candidate && candidate->getBlock() == grad->getBlock() &&
          candidate.getKernel() == grad.getKernel() &&
          candidate.getStride() == grad.getStride() &&
          candidate.getPadding() == grad.getPadding() &&
          candidate.getLayout() == grad.getLayout() &&
          candidate.getCeilMode() == grad.getCeilMode())
        pool = candidate;
    OpBuilder atPool = builder;
    if (pool)
      atPool.setInsertionPoint(pool);
    auto positions = MaxPool2dArgmaxOp::create(
        atPool, grad.getLoc(), TypeRange{outputType, outputType.clone(i8)}, v,
        grad.getKernelAttr(), grad.getStrideAttr(), grad.getPaddingAttr(),
        grad.getLayoutAttr(), grad.getCeilModeAttr());
    if (pool) {
      positions->setDiscardableAttrs(pool->getDiscardableAttrDictionary());
      pool.replaceAllUsesWith(positions.getOutput());
      pool.erase();
    } else {
      copyLayer(grad, positions, Phase::Forward);
    }
    auto replacement = MaxPool2dScatterOp::create(
        before, grad.getLoc(), grad.getType(), positions.getPositions(),
        grad.getGradOutput(),
        grad.getKernelAttr(), grad.getStrideAttr(), grad.getPaddingAttr(),
        grad.getLayoutAttr(), grad.getCeilModeAttr());
    replacement->setDiscardableAttrs(grad->getDiscardableAttrDictionary());
    grad.replaceAllUsesWith(replacement.getResult());
    grad.erase();
  }
}

struct CompactMasksPass
    : pulptrain::impl::CompactMasksBase<CompactMasksPass> {
  void runOnOperation() override {
    SetVector<Value> values;
    getOperation()->walk([&](Operation *op) {
      if (readsMaskOnly(op))
        values.insert(op->getOperand(0));
    });
    for (Value v : values) {
      SmallVector<Operation *> readers = getMaskReaders(v);
      if (!readers.empty())
        compact(v, readers);
    }
  }
};

} // namespace
