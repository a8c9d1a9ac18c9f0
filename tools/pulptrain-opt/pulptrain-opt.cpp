//===- pulptrain-opt.cpp - The pulptrain optimizer driver -----------------===//
//
// mlir-opt with the pulptrain dialect and passes registered next to the
// upstream dialects, passes and conversions the pipelines use.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "pulptrain/Conversion/Passes.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterDialect.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "pulptrain/Pipelines/Pipelines.h"
#include "pulptrain/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::pulptrain::registerPulpTrainConversionPasses();
  mlir::pulptrain::registerPulpTrainTransformsPasses();
  mlir::pulptrain::registerPulpTrainPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::pulptrain::PulpTrainDialect,
                  mlir::pulptrain::cluster::ClusterDialect>();

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "pulptrain optimizer driver\n", registry));
}
