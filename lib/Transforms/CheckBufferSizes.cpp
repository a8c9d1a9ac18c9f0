//===- CheckBufferSizes.cpp - buffers the target can address --------------===//
//
// Rejects statically shaped tensors and memrefs whose byte size exceeds what
// the target can address, before lowering turns them into wrapped 32-bit
// index arithmetic.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "pulptrain/Transforms/Passes.h"
#include "llvm/Support/MathExtras.h"

#include <optional>

namespace mlir::pulptrain {
#define GEN_PASS_DEF_CHECKBUFFERSIZES
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// The byte size of a statically shaped tensor, memref or vector of int or
/// float elements; nullopt for other types and for sizes that overflow
/// int64_t (which are too large for any target). A vector that large would
/// be a value that LLVM's code generation spends hours legalizing.
std::optional<int64_t> byteSize(Type type, bool &overflow) {
  overflow = false;
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !isa<TensorType, MemRefType, VectorType>(shaped) ||
      !shaped.hasStaticShape() || !shaped.getElementType().isIntOrFloat())
    return std::nullopt;
  int64_t bytes = llvm::divideCeil(shaped.getElementTypeBitWidth(), 8);
  for (int64_t dim : shaped.getShape()) {
    if (llvm::MulOverflow(bytes, dim, bytes)) {
      overflow = true;
      return std::nullopt;
    }
  }
  return bytes;
}

struct CheckBufferSizesPass
    : pulptrain::impl::CheckBufferSizesBase<CheckBufferSizesPass> {
  using Base::Base;

  void runOnOperation() override {
    bool failed = false;
    auto check = [&](Type type, Location loc, StringRef what) {
      bool overflow;
      std::optional<int64_t> bytes = byteSize(type, overflow);
      if (!overflow && (!bytes || *bytes <= maxBytes))
        return;
      InFlightDiagnostic diag = emitError(loc)
                                << what << " has the type " << type
                                << ", which needs ";
      if (overflow)
        diag << "more than 2^63 bytes";
      else
        diag << *bytes << " bytes";
      diag << ", more than the target's " << static_cast<int64_t>(maxBytes)
           << " (the largest buffer its 32-bit index arithmetic and memory "
              "can hold)";
      failed = true;
    };
    getOperation()->walk([&](Operation *op) {
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            check(arg.getType(), arg.getLoc(),
                  "argument #" + std::to_string(arg.getArgNumber()) + " of '" +
                      op->getName().getStringRef().str() + "'");
      for (OpResult result : op->getResults())
        check(result.getType(), op->getLoc(),
              "result #" + std::to_string(result.getResultNumber()) + " of '" +
                  op->getName().getStringRef().str() + "'");
    });
    if (failed)
      signalPassFailure();
  }
};

} // namespace
