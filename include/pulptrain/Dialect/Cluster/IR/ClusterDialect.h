//===- ClusterDialect.h - The cluster dialect ---------------------*- C++ -*-===//
//
// Declares the cluster dialect, its types and attributes.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_DIALECT_CLUSTER_IR_CLUSTERDIALECT_H
#define PULPTRAIN_DIALECT_CLUSTER_IR_CLUSTERDIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"

#include "pulptrain/Dialect/Cluster/IR/ClusterDialect.h.inc"
#include "pulptrain/Dialect/Cluster/IR/ClusterEnums.h.inc"

#define GET_TYPEDEF_CLASSES
#include "pulptrain/Dialect/Cluster/IR/ClusterTypes.h.inc"

#endif // PULPTRAIN_DIALECT_CLUSTER_IR_CLUSTERDIALECT_H
