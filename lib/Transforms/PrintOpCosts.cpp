//===- PrintOpCosts.cpp - Report the cost interface of every op -----------===//
//
// One remark per op with CostOpInterface: MACs, bytes read per operand and
// bytes written per result. A window on the costs the profiler and kernel
// selection use, for users and for FileCheck tests of the interface.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.h"
#include "pulptrain/Transforms/Passes.h"
#include "llvm/ADT/STLExtras.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_PRINTOPCOSTS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {
struct PrintOpCostsPass
    : pulptrain::impl::PrintOpCostsBase<PrintOpCostsPass> {
  void runOnOperation() override {
    getOperation()->walk([](CostOpInterface op) {
      SmallVector<int64_t> reads, writes;
      for (unsigned i = 0, e = op->getNumOperands(); i < e; ++i)
        reads.push_back(op.getOperandBytesRead(i));
      for (unsigned i = 0, e = op->getNumResults(); i < e; ++i)
        writes.push_back(op.getResultBytesWritten(i));
      InFlightDiagnostic remark = op->emitRemark();
      remark << "cost of '" << op->getName() << "': " << op.getMacCount()
             << " MACs, reads [";
      llvm::interleaveComma(reads, remark);
      remark << "] bytes (" << op.getBytesRead() << "), writes [";
      llvm::interleaveComma(writes, remark);
      remark << "] bytes (" << op.getBytesWritten() << ")";
    });
  }
};
} // namespace
