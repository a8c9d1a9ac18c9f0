//===- GradientBuilder.h - services for the gradient rules ------*- C++ -*-===//
//
// What a gradient rule (DifferentiableOpInterface::buildGradient) may ask of
// the pass that derives the training step: which values need a gradient,
// creating the ops of the backward pass, and accumulating gradients.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_DIALECT_PULPTRAIN_IR_GRADIENTBUILDER_H
#define PULPTRAIN_DIALECT_PULPTRAIN_IR_GRADIENTBUILDER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/StringRef.h"

#include <utility>

namespace mlir::pulptrain {

/// The phase of an op of a training step: the value of its
/// `pulptrain.phase` attribute (docs/TrainStep.md).
enum class Phase { Forward, Loss, WgtGrad, InGrad, Update };

/// The attribute value of `phase`: "fwd", "loss", "wgt_grad", "in_grad" or
/// "update".
llvm::StringRef getPhaseName(Phase phase);

/// The services of the autodiff pass to the gradient rules of ops. The pass
/// implements it; a rule creates its ops only through `create` and hands
/// the operands' gradients to `accumulateGradient`, so the pass keeps the
/// order of the backward pass and the layer and phase attributes of every
/// op it creates.
class GradientBuilder {
public:
  virtual ~GradientBuilder();

  /// Whether the loss depends on `value` through a trainable parameter,
  /// i.e. whether its gradient is wanted.
  virtual bool needsGradient(Value value) const = 0;

  /// Adds `grad` to the gradient of `value`: the first gradient is taken as
  /// it is, further ones (from further uses of `value`) are summed with
  /// `pulptrain.add` ops of the in_grad phase.
  virtual void accumulateGradient(Value value, Value grad) = 0;

  /// The builder, at the end of the backward pass built so far.
  virtual OpBuilder &getBuilder() = 0;

  /// The location of the op being differentiated, given to its gradient
  /// ops.
  virtual Location getLoc() const = 0;

  /// Gives `op` the layer of the op being differentiated and `phase`.
  virtual void setLayerAndPhase(Operation *op, Phase phase) = 0;

  /// Creates an `OpTy` with one of its builders (`args` after the builder
  /// and the location) in the layer of the op being differentiated and in
  /// `phase`. The builder taking result types, operands and attributes
  /// (`TypeRange, ValueRange, ArrayRef<NamedAttribute>`) creates any op.
  template <typename OpTy, typename... Args>
  OpTy create(Phase phase, Args &&...args) {
    auto op = OpTy::create(getBuilder(), getLoc(), std::forward<Args>(args)...);
    setLayerAndPhase(op, phase);
    return op;
  }
};

} // namespace mlir::pulptrain

#endif // PULPTRAIN_DIALECT_PULPTRAIN_IR_GRADIENTBUILDER_H
