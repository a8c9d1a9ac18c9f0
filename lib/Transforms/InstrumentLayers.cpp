//===- InstrumentLayers.cpp - Profiling brackets per layer and phase ------===//
//
// Brackets each (pulptrain.layer, pulptrain.phase) group of a training step
// with cluster.profile_enter/exit ops and records the region table, with
// the multiply-accumulates of each region from the ops' CostOpInterface.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.h"
#include "pulptrain/Transforms/Passes.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_INSTRUMENTLAYERS
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

constexpr StringLiteral kRegionsAttr = attrs::kProfileRegions;

/// The multiply-accumulates `op` performs by definition (not by a
/// particular lowering), from its CostOpInterface; ops without the
/// interface (reshapes, constants) have none.
int64_t getMacCount(Operation *op) {
  auto cost = dyn_cast<CostOpInterface>(op);
  return cost ? cost.getMacCount() : 0;
}

/// Ops that do no work at run time: a group of only these gets no brackets.
bool isFree(Operation *op) {
  return isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp, tensor::CastOp,
             arith::ConstantOp>(op);
}

/// One (layer, phase) pair of the table.
struct Region {
  StringAttr layer;
  StringAttr phase;
  int64_t macs = 0;
  bool bracketed = false;
};

/// A maximal run of top-level ops of one region.
struct Group {
  Operation *first;
  Operation *last;
  unsigned region;
  bool hasWork;
};

struct InstrumentLayersPass
    : pulptrain::impl::InstrumentLayersBase<InstrumentLayersPass> {
  using Base::Base;

  void runOnOperation() override;
};


void InstrumentLayersPass::runOnOperation() {
  ModuleOp module = getOperation();
  if (module->hasAttr(kRegionsAttr)) {
    module.emitError() << "the module is already instrumented ('"
                       << kRegionsAttr << "' is set)";
    return signalPassFailure();
  }
  auto func = module.lookupSymbol<func::FuncOp>(funcName);
  if (!func || func.isExternal()) {
    module.emitError() << "no function @" << funcName
                       << " with a body to instrument";
    return signalPassFailure();
  }

  SmallVector<Region> regions;
  llvm::DenseMap<std::pair<StringAttr, StringAttr>, unsigned> regionIds;
  SmallVector<Group> groups;
  for (Block &block : func.getBody()) {
    std::optional<Group> open;
    for (Operation &op : block) {
      Attribute layerAttr = op.getAttr(attrs::kLayer);
      Attribute phaseAttr = op.getAttr(attrs::kPhase);
      if (!layerAttr && !phaseAttr)
        continue;
      if (op.hasTrait<OpTrait::IsTerminator>())
        continue;
      auto layer = dyn_cast_or_null<StringAttr>(layerAttr);
      auto phase = dyn_cast_or_null<StringAttr>(phaseAttr);
      if (!layer || !phase) {
        op.emitError() << "needs both '" << attrs::kLayer << "' and '"
                       << attrs::kPhase << "' as strings to be profiled";
        return signalPassFailure();
      }
      auto [it, inserted] =
          regionIds.try_emplace({layer, phase}, regions.size());
      if (inserted)
        regions.push_back({layer, phase});
      unsigned id = it->second;
      regions[id].macs += getMacCount(&op);
      if (open && open->region == id) {
        open->last = &op;
        open->hasWork |= !isFree(&op);
        continue;
      }
      if (open)
        groups.push_back(*open);
      open = Group{&op, &op, id, !isFree(&op)};
    }
    if (open)
      groups.push_back(*open);
  }

  // Regions whose groups all lack work are dropped; the others are numbered
  // in order of appearance.
  for (const Group &group : groups)
    regions[group.region].bracketed |= group.hasWork;
  SmallVector<int64_t> newIds(regions.size(), -1);
  SmallVector<Attribute> table;
  MLIRContext *ctx = &getContext();
  Builder attrBuilder(ctx);
  for (auto [index, region] : llvm::enumerate(regions)) {
    if (!region.bracketed)
      continue;
    newIds[index] = table.size();
    NamedAttribute fields[] = {
        attrBuilder.getNamedAttr("id",
                                 attrBuilder.getI32IntegerAttr(newIds[index])),
        attrBuilder.getNamedAttr("layer", region.layer),
        attrBuilder.getNamedAttr("phase", region.phase),
        attrBuilder.getNamedAttr("macs",
                                 attrBuilder.getI64IntegerAttr(region.macs))};
    table.push_back(DictionaryAttr::get(ctx, fields));
  }

  if (!table.empty()) {
    OpBuilder builder(ctx);
    for (const Group &group : groups) {
      if (!group.hasWork)
        continue;
      int64_t id = newIds[group.region];
      Location loc = group.first->getLoc();
      builder.setInsertionPoint(group.first);
      cluster::ProfileEnterOp::create(builder, loc, id);
      builder.setInsertionPointAfter(group.last);
      cluster::ProfileExitOp::create(builder, loc, id);
      ++numBrackets;
    }
  }
  module->setAttr(kRegionsAttr, ArrayAttr::get(ctx, table));
  numRegions = table.size();
}

} // namespace
