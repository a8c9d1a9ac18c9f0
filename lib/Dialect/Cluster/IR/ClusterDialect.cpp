//===- ClusterDialect.cpp - The cluster dialect ---------------------------===//
//
// Registers the dialect's operations and types.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Dialect/Cluster/IR/ClusterDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::pulptrain::cluster;

#include "pulptrain/Dialect/Cluster/IR/ClusterDialect.cpp.inc"
#include "pulptrain/Dialect/Cluster/IR/ClusterEnums.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "pulptrain/Dialect/Cluster/IR/ClusterTypes.cpp.inc"

void ClusterDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "pulptrain/Dialect/Cluster/IR/ClusterTypes.cpp.inc"
      >();
}
