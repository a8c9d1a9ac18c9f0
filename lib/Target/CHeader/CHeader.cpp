//===- CHeader.cpp - C header of compiled pulptrain functions -------------===//
//
// Derives the C prototype of each public function from its tensor-level
// signature and the pulptrain.* attributes of docs/TrainStep.md, and prints
// it as a header for firmware, with the memory (L1 or L2) of each buffer
// from its type.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Target/CHeader.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// A C identifier for `name`: other characters become '_', a leading digit
/// gets a prefix, keywords a suffix.
std::string sanitize(StringRef name) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) || c == '_' ? c : '_');
  if (out.empty() || llvm::isDigit(out.front()))
    out.insert(0, "t_");
  static const llvm::StringSet<> keywords = {
      "auto",     "bool",    "break",  "case",     "char",     "const",
      "continue", "default", "do",     "double",   "else",     "enum",
      "extern",   "false",   "float",  "for",      "goto",     "if",
      "inline",   "int",     "long",   "register", "restrict", "return",
      "short",    "signed",  "sizeof", "static",   "struct",   "switch",
      "true",     "typedef", "union",  "unsigned", "void",     "volatile",
      "while"};
  if (keywords.contains(out))
    out.push_back('_');
  return out;
}

/// The C type and size in bytes of one element of type `type`.
std::optional<std::pair<StringRef, int64_t>> getCElementType(Type type) {
  if (type.isF32())
    return std::make_pair(StringRef("float"), int64_t(4));
  if (type.isF64())
    return std::make_pair(StringRef("double"), int64_t(8));
  if (type.isF16())
    return std::make_pair(StringRef("_Float16"), int64_t(2));
  if (type.isBF16())
    return std::make_pair(StringRef("uint16_t"), int64_t(2));
  if (auto intType = dyn_cast<IntegerType>(type)) {
    switch (intType.getWidth()) {
    case 8:
      return std::make_pair(StringRef("int8_t"), int64_t(1));
    case 16:
      return std::make_pair(StringRef("int16_t"), int64_t(2));
    case 32:
      return std::make_pair(StringRef("int32_t"), int64_t(4));
    case 64:
      return std::make_pair(StringRef("int64_t"), int64_t(8));
    default:
      break;
    }
  }
  return std::nullopt;
}

/// Reads the role of an argument or result from its attributes.
void setRole(CParam &param, DictionaryAttr attrs) {
  if (!attrs)
    return;
  if (auto name = attrs.getAs<StringAttr>(attrs::kInput)) {
    param.role = CParamRole::Input;
    param.tensorName = name.str();
  } else if (attrs.contains(attrs::kLabel)) {
    param.role = CParamRole::Label;
  } else if (auto name = attrs.getAs<StringAttr>(attrs::kParam)) {
    param.role = CParamRole::Param;
    param.tensorName = name.str();
    if (auto trainable = attrs.getAs<BoolAttr>(attrs::kTrainable))
      param.trainable = trainable.getValue();
  } else if (auto name = attrs.getAs<StringAttr>(attrs::kMomentum)) {
    param.role = CParamRole::Momentum;
    param.tensorName = name.str();
  } else if (auto name = attrs.getAs<StringAttr>(attrs::kExpAvg)) {
    param.role = CParamRole::ExpAvg;
    param.tensorName = name.str();
  } else if (auto name = attrs.getAs<StringAttr>(attrs::kExpAvgSq)) {
    param.role = CParamRole::ExpAvgSq;
    param.tensorName = name.str();
  } else if (auto name = attrs.getAs<StringAttr>(attrs::kStep)) {
    param.role = CParamRole::Step;
    param.tensorName = name.str();
  } else if (auto name = attrs.getAs<StringAttr>(attrs::kBuffer)) {
    param.role = CParamRole::Buffer;
    param.tensorName = name.str();
  } else if (attrs.contains(attrs::kLoss)) {
    param.role = CParamRole::Loss;
  }
}

/// The C name a parameter gets before uniquing.
std::string getBaseName(const CParam &param) {
  std::string prefix = param.isResult ? "new_" : "";
  switch (param.role) {
  case CParamRole::Input:
    return sanitize(param.tensorName);
  case CParamRole::Label:
    return "label";
  case CParamRole::Param:
    return prefix + sanitize(param.tensorName);
  case CParamRole::Momentum:
    return prefix + sanitize(param.tensorName) + "_momentum";
  case CParamRole::ExpAvg:
    return prefix + sanitize(param.tensorName) + "_exp_avg";
  case CParamRole::ExpAvgSq:
    return prefix + sanitize(param.tensorName) + "_exp_avg_sq";
  case CParamRole::Step:
    return prefix + sanitize(param.tensorName) + "_step";
  case CParamRole::Buffer:
    return prefix + sanitize(param.tensorName);
  case CParamRole::Loss:
    return "loss";
  case CParamRole::Other:
    break;
  }
  return (param.isResult ? "result" : "arg") + std::to_string(param.index);
}

/// Fills the type fields of `param` from `type`; fails with a diagnostic.
LogicalResult setType(CParam &param, Type type, func::FuncOp func) {
  param.type = type;
  auto what = [&] {
    return llvm::formatv("{0} #{1} of @{2}",
                         param.isResult ? "result" : "argument", param.index,
                         func.getSymName())
        .str();
  };
  Type elementType = type;
  if (auto shaped = dyn_cast<ShapedType>(type)) {
    if (!isa<RankedTensorType, MemRefType>(type))
      return func.emitError()
             << what() << " has type " << type << ", which has no C interface";
    if (!shaped.hasStaticShape())
      return func.emitError() << what() << " has the dynamic shape " << type
                              << "; the C interface needs static shapes";
    if (auto memref = dyn_cast<MemRefType>(type);
        memref && !memref.getLayout().isIdentity())
      return func.emitError() << what() << " has the strided layout " << type
                              << "; the C interface needs dense buffers";
    if (auto memref = dyn_cast<MemRefType>(type); memref && !getMemory(memref))
      return func.emitError()
             << what() << " has the memory space " << memref.getMemorySpace()
             << "; the C interface knows L1 and L2 (#pulptrain.memory)";
    elementType = shaped.getElementType();
    param.numElements = shaped.getNumElements();
  } else {
    param.isBuffer = false;
    if (param.isResult)
      return func.emitError() << what() << " is the scalar " << type
                              << "; the C interface returns buffers only";
  }
  std::optional<std::pair<StringRef, int64_t>> cType =
      getCElementType(elementType);
  if (!cType)
    return func.emitError() << what() << " has the element type " << elementType
                            << ", which has no C type";
  param.elementType = elementType;
  param.cType = cType->first.str();
  param.elementBytes = cType->second;
  return success();
}

/// "8x8x8 f32", or "scalar f32".
std::string describeType(const CParam &param) {
  std::string text;
  llvm::raw_string_ostream os(text);
  auto shaped = dyn_cast<ShapedType>(param.type);
  if (!shaped || shaped.getRank() == 0)
    os << "scalar";
  else
    llvm::interleave(shaped.getShape(), os, "x");
  os << " " << param.elementType;
  if (param.elementType.isBF16())
    os << " (bit patterns)";
  return text;
}

/// The memory of a buffer: its memref memory space; a tensor, or a memref
/// without a memory space, is in L2 (the caller's buffers).
StringRef describeMemory(const CParam &param) {
  auto memref = dyn_cast<MemRefType>(param.type);
  return memref && getMemory(memref) == Memory::L1 ? "L1" : "L2";
}

std::string describeRole(const CParam &param) {
  std::string quoted = "\"" + param.tensorName + "\"";
  switch (param.role) {
  case CParamRole::Input:
    return "input " + quoted;
  case CParamRole::Label:
    return "label";
  case CParamRole::Param:
    if (param.isResult)
      return "updated parameter " + quoted;
    return "parameter " + quoted + (param.trainable ? "" : ", frozen");
  case CParamRole::Momentum:
    return std::string(param.isResult ? "updated " : "") + "momentum of " +
           quoted;
  case CParamRole::ExpAvg:
    return std::string(param.isResult ? "updated " : "") +
           "Adam first moment of " + quoted;
  case CParamRole::ExpAvgSq:
    return std::string(param.isResult ? "updated " : "") +
           "Adam second moment of " + quoted;
  case CParamRole::Step:
    return std::string(param.isResult ? "updated " : "") +
           "optimizer step counter " + quoted;
  case CParamRole::Buffer:
    return std::string(param.isResult ? "updated " : "") + "buffer " + quoted;
  case CParamRole::Loss:
    return "loss";
  case CParamRole::Other:
    break;
  }
  return param.isResult ? "result" : "argument";
}

/// One prototype of `params`, each with a comment.
void printPrototype(StringRef name, ArrayRef<CParam> params,
                    raw_ostream &os) {
  os << "void " << name << "(";
  if (params.empty()) {
    os << "void);\n\n";
    return;
  }
  os << "\n";
  for (auto [i, param] : llvm::enumerate(params)) {
    std::string decl = "    " + param.cType + (param.isBuffer ? " *" : " ") +
                       param.name + (i + 1 == params.size() ? ");" : ",");
    os << decl;
    os.indent(std::max<int>(1, 40 - int(decl.size())));
    os << "/* " << (param.isResult ? "out" : "in") << ": "
       << describeRole(param) << " */\n";
  }
  os << "\n";
}

/// The state API of a training step.
void printStateInterface(StringRef name, const CStateInterface &state,
                         raw_ostream &os) {
  os << "/* The state API of " << name
     << ": the parameters and optimizer buffers live in\n"
        "   buffers of the compiled code (in L1 as far as the L1 budget "
        "allows), so\n"
        "   that a training loop does not move them between steps. Call "
     << name << attrs::kStateInitSuffix
     << "\n   once, then " << name << attrs::kStateRunSuffix
     << " once per sample, then " << name << attrs::kStateReadSuffix
     << " for the\n   trained parameters. " << name
     << " itself is the three calls in a row. */\n";
  os << "/// Copies the state in.\n";
  printPrototype((name + attrs::kStateInitSuffix).str(), state.init, os);
  os << "/// One training step on the state, updated in place.\n";
  printPrototype((name + attrs::kStateRunSuffix).str(), state.run, os);
  os << "/// Copies the updated state out.\n";
  printPrototype((name + attrs::kStateReadSuffix).str(), state.read, os);
}

void printFunction(func::FuncOp func, ArrayRef<CParam> params,
                   raw_ostream &os) {
  std::string banner = ("/*--- " + func.getSymName() + " ").str();
  banner.append(std::max<int>(3, 77 - int(banner.size())), '-');
  os << banner << "*/\n\n";
  for (const CParam &param : params) {
    if (!param.isBuffer)
      continue;
    os << "/* " << param.name << ": " << describeRole(param) << ", "
       << describeType(param) << ", in " << describeMemory(param) << " */\n";
    os << "#define " << param.macro << "_NUMEL " << param.numElements << "\n";
    os << "#define " << param.macro << "_BYTES "
       << param.numElements * param.elementBytes << "\n";
  }
  if (!params.empty())
    os << "\n";

  unsigned numArgs = func.getNumArguments();
  os << "/// " << func.getSymName() << ": " << numArgs << " argument"
     << (numArgs == 1 ? "" : "s");
  if (unsigned numResults = func.getNumResults())
    os << ", then " << numResults << " out-pointer"
       << (numResults == 1 ? "" : "s") << " for the result"
       << (numResults == 1 ? "" : "s");
  os << ".\n";
  printPrototype(func.getSymName(), params, os);
  if (std::optional<CStateInterface> state = getStateInterface(params))
    printStateInterface(func.getSymName(), *state, os);
}

} // namespace

std::optional<CStateInterface>
mlir::pulptrain::getStateInterface(ArrayRef<CParam> params) {
  CStateInterface state;
  for (const CParam &param : params) {
    bool isState = isStateRole(param.role);
    if (!isState)
      state.run.push_back(param);
    else if (param.isResult)
      state.read.push_back(param);
    else
      state.init.push_back(param);
  }
  if (state.read.empty())
    return std::nullopt;
  return state;
}

FailureOr<SmallVector<CParam>>
mlir::pulptrain::getCInterface(func::FuncOp func) {
  SmallVector<CParam> params;
  llvm::StringSet<> used;
  auto add = [&](CParam param, Type type,
                 DictionaryAttr attrs) -> LogicalResult {
    setRole(param, attrs);
    if (failed(setType(param, type, func)))
      return failure();
    std::string base = getBaseName(param);
    std::string name = base;
    for (unsigned n = 1; used.contains(name); ++n)
      name = base + "_" + std::to_string(n);
    used.insert(name);
    param.name = name;
    param.macro =
        llvm::StringRef(sanitize(func.getSymName()) + "_" + name).upper();
    params.push_back(std::move(param));
    return success();
  };
  FunctionType type = func.getFunctionType();
  for (auto [i, argType] : llvm::enumerate(type.getInputs())) {
    CParam param;
    param.index = i;
    if (failed(add(param, argType, func.getArgAttrDict(i))))
      return failure();
  }
  for (auto [i, resultType] : llvm::enumerate(type.getResults())) {
    CParam param;
    param.index = i;
    param.isResult = true;
    if (failed(add(param, resultType, func.getResultAttrDict(i))))
      return failure();
  }
  return params;
}

LogicalResult mlir::pulptrain::translateModuleToCHeader(ModuleOp module,
                                                        raw_ostream &os) {
  SmallVector<std::pair<func::FuncOp, SmallVector<CParam>>> functions;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal() || !func.isPublic())
      continue;
    FailureOr<SmallVector<CParam>> params = getCInterface(func);
    if (failed(params))
      return failure();
    functions.emplace_back(func, std::move(*params));
  }
  std::string guard = "PULPTRAIN_MODEL_H";
  if (std::optional<StringRef> name = module.getSymName())
    guard = StringRef(sanitize(*name)).upper() + "_H";

  os << "/*===- Generated by pulptrain-translate --mlir-to-c-header; do not "
        "edit. -===*\n"
        " *\n"
        " * The C interface of the compiled functions (docs/TrainStep.md): "
        "one pointer\n"
        " * per buffer argument, then one out-pointer per result, all "
        "buffers dense,\n"
        " * row-major and owned by the caller, in the memory each buffer's "
        "comment\n"
        " * names (L2 unless its type places it in L1).\n"
        " *===---------------------------------------------------------------"
        "-------===*/\n\n";
  os << "#ifndef " << guard << "\n#define " << guard << "\n\n";
  os << "#include <stdint.h>\n\n";
  os << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  for (auto &[func, params] : functions)
    printFunction(func, params, os);
  os << "#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n";
  os << "#endif /* " << guard << " */\n";
  return success();
}

void mlir::pulptrain::insertCInterfaceDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, bufferization::BufferizationDialect,
                  func::FuncDialect, linalg::LinalgDialect, math::MathDialect,
                  memref::MemRefDialect, PulpTrainDialect, scf::SCFDialect,
                  tensor::TensorDialect>();
}

void mlir::pulptrain::registerToCHeaderTranslation() {
  TranslateFromMLIRRegistration registration(
      "mlir-to-c-header",
      "Declare the public functions of a tensor-level module in a C header",
      [](Operation *op, raw_ostream &output) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a builtin.module");
        return translateModuleToCHeader(module, output);
      },
      insertCInterfaceDialects);
}
