//===- PulpTrainDialect.cpp - The pulptrain dialect -----------------------===//
//
// Registers the dialect's operations and attributes.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::pulptrain;

#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.cpp.inc"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainAttrs.cpp.inc"

void PulpTrainDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainAttrs.cpp.inc"
      >();
}
