//===- Utils.cpp - helpers shared by the pulptrain transforms -------------===//

#include "Utils.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

std::optional<pulptrain::StaticLoopBounds>
mlir::pulptrain::getStaticLoopBounds(scf::ParallelOp loop) {
  StaticLoopBounds bounds;
  for (auto [lb, ub, step] : llvm::zip(
           loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    std::optional<int64_t> l = getConstantIntValue(lb),
                           u = getConstantIntValue(ub),
                           s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0)
      return std::nullopt;
    bounds.lowerBounds.push_back(*l);
    bounds.steps.push_back(*s);
    bounds.trips.push_back(std::max<int64_t>(0, llvm::divideCeil(*u - *l, *s)));
  }
  return bounds;
}
