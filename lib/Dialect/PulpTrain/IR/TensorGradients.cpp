//===- TensorGradients.cpp - gradient rules of tensor reshapes ------------===//
//
// DifferentiableOpInterface for the ops of the tensor dialect that forward
// models use (flatten and unflatten), attached as external models as
// upstream attaches its interfaces to ops of other dialects.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.h"

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Flatten: the gradient is expanded back to the source shape.
struct CollapseShapeGradient
    : DifferentiableOpInterface::ExternalModel<CollapseShapeGradient,
                                               tensor::CollapseShapeOp> {
  LogicalResult buildGradient(Operation *op, GradientBuilder &builder,
                              ArrayRef<Value> resultGrads) const {
    auto collapse = cast<tensor::CollapseShapeOp>(op);
    auto expand = builder.create<tensor::ExpandShapeOp>(
        Phase::InGrad, collapse.getSrcType(), resultGrads.front(),
        collapse.getReassociationIndices());
    builder.accumulateGradient(collapse.getSrc(), expand.getResult());
    return success();
  }
};

/// Unflatten: the gradient is collapsed back to the source shape.
struct ExpandShapeGradient
    : DifferentiableOpInterface::ExternalModel<ExpandShapeGradient,
                                               tensor::ExpandShapeOp> {
  LogicalResult buildGradient(Operation *op, GradientBuilder &builder,
                              ArrayRef<Value> resultGrads) const {
    auto expand = cast<tensor::ExpandShapeOp>(op);
    auto collapse = builder.create<tensor::CollapseShapeOp>(
        Phase::InGrad, expand.getSrcType(), resultGrads.front(),
        expand.getReassociationIndices());
    builder.accumulateGradient(expand.getSrc(), collapse.getResult());
    return success();
  }
};

} // namespace

void mlir::pulptrain::registerDifferentiableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, tensor::TensorDialect *) {
    tensor::CollapseShapeOp::attachInterface<CollapseShapeGradient>(*ctx);
    tensor::ExpandShapeOp::attachInterface<ExpandShapeGradient>(*ctx);
  });
}
