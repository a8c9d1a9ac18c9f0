//===- PulpTrainOps.h - pulptrain operations ----------------------*- C++ -*-===//
//
// Declares the operations of the pulptrain dialect.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINOPS_H
#define PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.h"

#define GET_OP_CLASSES
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h.inc"

#endif // PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINOPS_H
