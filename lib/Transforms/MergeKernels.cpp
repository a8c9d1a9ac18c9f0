//===- MergeKernels.cpp - one function for structurally equal kernels -----===//
//
// Merges private functions whose signatures, attributes and bodies are equal
// up to SSA names and locations (the kernels of repeated blocks, and of the
// forward function and the training step's forward pass), so that later
// passes, LLVM and the object hold one copy.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/SymbolTable.h"
#include "pulptrain/Transforms/Passes.h"

#include "llvm/ADT/MapVector.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_MERGEKERNELS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

constexpr auto kFlags = OperationEquivalence::IgnoreLocations;

/// The attributes of `fn` but its name (types, argument attributes).
DictionaryAttr getAttributesButName(func::FuncOp fn) {
  NamedAttrList attrs(fn->getAttrDictionary());
  attrs.erase(SymbolTable::getSymbolAttrName());
  return attrs.getDictionary(fn.getContext());
}

/// A hash of `fn` that equal functions share: its attributes but the name,
/// and each op's name, attributes, types and operand count in order
/// (values are compared by isRegionEquivalentTo, not hashed).
llvm::hash_code hashFunction(func::FuncOp fn) {
  llvm::hash_code hash = hash_value(getAttributesButName(fn));
  fn.getBody().walk([&](Operation *op) {
    hash = llvm::hash_combine(
        hash, OperationEquivalence::computeHash(
                  op, OperationEquivalence::ignoreHashValue,
                  OperationEquivalence::ignoreHashValue, kFlags));
  });
  return hash;
}

bool areEquivalent(func::FuncOp lhs, func::FuncOp rhs) {
  return getAttributesButName(lhs) == getAttributesButName(rhs) &&
         OperationEquivalence::isRegionEquivalentTo(&lhs.getBody(),
                                                    &rhs.getBody(), kFlags);
}

struct MergeKernelsPass : pulptrain::impl::MergeKernelsBase<MergeKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // The first function of each class (in module order) stays.
    llvm::MapVector<llvm::hash_code, SmallVector<func::FuncOp, 1>> kept;
    SmallVector<std::pair<func::FuncOp, func::FuncOp>> merged;
    for (func::FuncOp fn : module.getOps<func::FuncOp>()) {
      if (!fn.isPrivate() || fn.isExternal())
        continue;
      SmallVector<func::FuncOp, 1> &candidates = kept[hashFunction(fn)];
      auto *same = llvm::find_if(candidates, [&](func::FuncOp other) {
        return areEquivalent(fn, other);
      });
      if (same == candidates.end())
        candidates.push_back(fn);
      else
        merged.emplace_back(fn, *same);
    }
    if (merged.empty())
      return;
    // Every reference to a duplicate names its original, in one walk.
    llvm::DenseMap<StringAttr, FlatSymbolRefAttr> replacements;
    for (auto [duplicate, original] : merged)
      replacements[duplicate.getSymNameAttr()] =
          FlatSymbolRefAttr::get(original.getSymNameAttr());
    AttrTypeReplacer replacer;
    replacer.addReplacement([&](SymbolRefAttr ref) -> std::optional<Attribute> {
      if (!ref.getNestedReferences().empty())
        return std::nullopt;
      auto it = replacements.find(ref.getRootReference());
      if (it == replacements.end())
        return std::nullopt;
      return it->second;
    });
    replacer.recursivelyReplaceElementsIn(module, /*replaceAttrs=*/true,
                                          /*replaceLocs=*/false,
                                          /*replaceTypes=*/false);
    for (auto [duplicate, original] : merged)
      duplicate.erase();
    numMerged += merged.size();
  }
};

} // namespace
