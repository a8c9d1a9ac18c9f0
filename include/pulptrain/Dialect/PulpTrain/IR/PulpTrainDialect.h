//===- PulpTrainDialect.h - The pulptrain dialect -----------------*- C++ -*-===//
//
// Declares the pulptrain dialect and its attributes.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINDIALECT_H
#define PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINDIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"

#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h.inc"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainAttrs.h.inc"

#endif // PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINDIALECT_H
