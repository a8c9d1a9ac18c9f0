//===- PulpTrainInterfaces.h - gradient rules and costs ---------*- C++ -*-===//
//
// Declares the op interfaces of the pulptrain dialect: the gradient rule
// (DifferentiableOpInterface) and the cost (CostOpInterface) of an op.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAININTERFACES_H
#define PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAININTERFACES_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OpDefinition.h"
#include "pulptrain/Dialect/PulpTrain/IR/GradientBuilder.h"

namespace mlir::pulptrain {

/// Elements of a statically shaped value, 0 otherwise.
int64_t getNumElements(Value value);

/// Bytes of a statically shaped tensor or memref of int or float elements,
/// 0 otherwise.
int64_t getTensorBytes(Value value);

/// Attaches DifferentiableOpInterface to the ops of other dialects that the
/// autodiff pass differentiates (tensor.collapse_shape and
/// tensor.expand_shape).
void registerDifferentiableOpInterfaceExternalModels(DialectRegistry &registry);

} // namespace mlir::pulptrain

#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.h.inc"

#endif // PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAININTERFACES_H
