//===- PlaceGlobals.cpp - sections of LLVM globals ------------------------===//
//
// Applies the sections recorded in `pulptrain.sections` (by
// pulptrain-erase-memory-spaces, from the memory spaces of the globals'
// types) to the LLVM globals of the same names, and removes the record.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_PLACEGLOBALS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {
struct PlaceGlobalsPass
    : pulptrain::impl::PlaceGlobalsBase<PlaceGlobalsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto sections =
        module->getAttrOfType<DictionaryAttr>(attrs::kSections);
    if (!sections)
      return;
    for (NamedAttribute entry : sections) {
      auto section = dyn_cast<StringAttr>(entry.getValue());
      auto global = module.lookupSymbol<LLVM::GlobalOp>(entry.getName());
      if (!section || !global) {
        module.emitError("pulptrain.sections names '")
            << entry.getName().getValue()
            << "', which is no LLVM global with a string section";
        return signalPassFailure();
      }
      global.setSectionAttr(section);
    }
    module->removeAttr(attrs::kSections);
  }
};
} // namespace
