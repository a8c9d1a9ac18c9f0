//===- Manifest.cpp - The C interface of compiled functions as JSON -------===//
//
// Writes the C interface that getCInterface derives (the same one the C
// header declares) as JSON.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Target/Manifest.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "pulptrain/Target/CHeader.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

StringRef getRoleName(CParamRole role) {
  switch (role) {
  case CParamRole::Input:
    return "input";
  case CParamRole::Label:
    return "label";
  case CParamRole::Param:
    return "param";
  case CParamRole::Momentum:
    return "momentum";
  case CParamRole::ExpAvg:
    return "exp_avg";
  case CParamRole::ExpAvgSq:
    return "exp_avg_sq";
  case CParamRole::Step:
    return "step";
  case CParamRole::Buffer:
    return "buffer";
  case CParamRole::Loss:
    return "loss";
  case CParamRole::Other:
    break;
  }
  return "other";
}

llvm::json::Object describeParam(const CParam &param) {
  std::string elementType;
  llvm::raw_string_ostream os(elementType);
  os << param.elementType;
  llvm::json::Array shape;
  if (auto shaped = dyn_cast<ShapedType>(param.type))
    for (int64_t dim : shaped.getShape())
      shape.push_back(dim);
  llvm::json::Object entry{{"name", param.name},
                           {"kind", param.isResult ? "result" : "argument"},
                           {"index", int64_t(param.index)},
                           {"role", getRoleName(param.role)},
                           {"element_type", elementType},
                           {"c_type", param.cType},
                           {"shape", std::move(shape)},
                           {"elements", param.numElements},
                           {"bytes", param.numElements * param.elementBytes},
                           {"buffer", param.isBuffer},
                           {"macro", param.macro}};
  if (!param.tensorName.empty())
    entry["tensor"] = param.tensorName;
  if (param.role == CParamRole::Param)
    entry["trainable"] = param.trainable;
  return entry;
}

} // namespace

FailureOr<llvm::json::Value> mlir::pulptrain::getManifest(ModuleOp module) {
  llvm::json::Array functions;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal() || !func.isPublic())
      continue;
    FailureOr<SmallVector<CParam>> params = getCInterface(func);
    if (failed(params))
      return failure();
    llvm::json::Array entries;
    for (const CParam &param : *params)
      entries.push_back(describeParam(param));
    functions.push_back(
        llvm::json::Object{{"name", func.getSymName()},
                           {"arguments", int64_t(func.getNumArguments())},
                           {"results", int64_t(func.getNumResults())},
                           {"params", std::move(entries)}});
  }
  return llvm::json::Value(llvm::json::Object{
      {"format", kManifestFormat}, {"functions", std::move(functions)}});
}

LogicalResult mlir::pulptrain::translateModuleToManifest(ModuleOp module,
                                                         raw_ostream &os) {
  FailureOr<llvm::json::Value> manifest = getManifest(module);
  if (failed(manifest))
    return failure();
  os << llvm::formatv("{0:2}", *manifest) << "\n";
  return success();
}

void mlir::pulptrain::registerToManifestTranslation() {
  TranslateFromMLIRRegistration registration(
      "mlir-to-manifest",
      "Describe the C interface of the public functions of a tensor-level "
      "module as JSON",
      [](Operation *op, raw_ostream &output) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a builtin.module");
        return translateModuleToManifest(module, output);
      },
      insertCInterfaceDialects);
}
