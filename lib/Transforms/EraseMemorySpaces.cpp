//===- EraseMemorySpaces.cpp - sections of L1 globals, no memory spaces ---===//
//
// Right before finalize-memref-to-llvm: records the section of every global
// in #pulptrain.memory<l1> or <l3> for pulptrain-place-globals, and erases
// #pulptrain.memory from every type of the module.
//
// Why a pass of ours rather than a type-attribute conversion: upstream's
// LLVM type converter turns a memory space into an LLVM address space, and
// the passes that convert memref types (finalize-memref-to-llvm,
// convert-func-to-llvm, convert-cf-to-llvm) each build their own converter,
// to which nothing outside them can add a conversion (an attribute
// implementing LLVM::LLVMAddrSpaceAttrInterface is not consulted either).
// L1 and L2 are one address space on the cluster, so a conversion would map
// both to address space 0 anyway: the generated code does not depend on the
// memory spaces, only the placement of globals does. That placement is a
// section, which `memref.global` cannot hold and whose discardable
// attributes finalize-memref-to-llvm drops; it is therefore recorded on the
// module, from the types, immediately before the conversion, and applied to
// the llvm.mlir.global ops immediately after it.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "pulptrain/Transforms/Passes.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_ERASEMEMORYSPACES
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// The section of the link script (runtime/riscv32/link.ld) that holds the
/// zero-initialized data of `memory`, or nullopt for the default sections.
std::optional<StringRef> getSection(Memory memory) {
  if (memory == Memory::L1)
    return attrs::kL1BssSection;
  if (memory == Memory::L3)
    return attrs::kL3BssSection;
  return std::nullopt;
}

struct EraseMemorySpacesPass
    : pulptrain::impl::EraseMemorySpacesBase<EraseMemorySpacesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();

    NamedAttrList sections;
    if (auto existing = module->getAttrOfType<DictionaryAttr>(attrs::kSections))
      sections.append(existing.getValue());
    for (auto global : module.getOps<memref::GlobalOp>()) {
      auto memory =
          dyn_cast_or_null<MemoryAttr>(global.getType().getMemorySpace());
      if (!memory)
        continue;
      if (std::optional<StringRef> section = getSection(memory.getValue()))
        sections.set(global.getSymNameAttr(), StringAttr::get(ctx, *section));
    }
    if (!sections.empty())
      module->setAttr(attrs::kSections, sections.getDictionary(ctx));

    AttrTypeReplacer replacer;
    replacer.addReplacement([](BaseMemRefType type) -> std::optional<Type> {
      if (!isa_and_nonnull<MemoryAttr>(type.getMemorySpace()))
        return std::nullopt;
      return getTypeWithoutMemorySpace(type);
    });
    replacer.recursivelyReplaceElementsIn(module, /*replaceAttrs=*/true,
                                          /*replaceLocs=*/false,
                                          /*replaceTypes=*/true);
  }
};

} // namespace
