//===- CHeader.h - C interface of compiled functions ------------*- C++ -*-===//
//-*-===//
//
// The C view of a tensor-level function under the bare-pointer calling
// convention of the reference lowering (docs/TrainStep.md), and the header
// that declares it for firmware.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_TARGET_CHEADER_H
#define PULPTRAIN_TARGET_CHEADER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace mlir {
class DialectRegistry;
namespace func {
class FuncOp;
} // namespace func

namespace pulptrain {

/// What a parameter of the compiled function holds (from the pulptrain.*
/// argument and result attributes).
enum class CParamRole {
  Input,
  Label,
  Param,
  Momentum,
  /// Adam's first and second moment of a parameter, and its step counter.
  ExpAvg,
  ExpAvgSq,
  Step,
  Buffer,
  Loss,
  Other
};

/// Whether `role` is training state kept between steps: parameters and the
/// optimizer's state (momentum buffers, Adam's moments and step counter)
/// and buffers (running statistics).
inline bool isStateRole(CParamRole role) {
  return role == CParamRole::Param || role == CParamRole::Momentum ||
         role == CParamRole::ExpAvg || role == CParamRole::ExpAvgSq ||
         role == CParamRole::Step || role == CParamRole::Buffer;
}

/// Whether `role` is optimizer state (zero before the first step).
inline bool isOptimizerStateRole(CParamRole role) {
  return role == CParamRole::Momentum || role == CParamRole::ExpAvg ||
         role == CParamRole::ExpAvgSq || role == CParamRole::Step;
}

/// One parameter of the C prototype: an argument, or the out-pointer of a
/// result.
struct CParam {
  /// C identifier, unique within the function ("conv1_weight").
  std::string name;
  /// Upper-case stem of its macros ("TRAIN_STEP_CONV1_WEIGHT").
  std::string macro;
  /// C element type ("float", "_Float16", "uint16_t" for bf16 bits).
  std::string cType;
  CParamRole role = CParamRole::Other;
  /// The PyTorch name of an input, parameter or momentum buffer.
  std::string tensorName;
  /// Trainable (parameters only).
  bool trainable = true;
  /// An out-pointer for a result (else an argument).
  bool isResult = false;
  /// Passed as a pointer to a buffer (else a scalar by value).
  bool isBuffer = true;
  /// Argument or result number in the MLIR function.
  unsigned index = 0;
  /// The MLIR type (a static tensor or memref, or a scalar).
  Type type;
  /// Element type and count of a buffer (1 for a scalar).
  Type elementType;
  int64_t numElements = 1;
  /// Bytes of one element in memory.
  int64_t elementBytes = 0;
};

/// Returns the parameters of `func`'s C prototype in order: the arguments,
/// then one out-pointer per result. Fails with a diagnostic on the function
/// for types the calling convention cannot express (dynamic shapes,
/// non-identity layouts, unsupported element types, scalar results).
FailureOr<SmallVector<CParam>> getCInterface(func::FuncOp func);

/// The state API of a training step @f (docs/TrainStep.md, "The state
/// API", made by pulptrain-place-state): the C parameters of @f_init (the
/// parameters and momentum buffers), @f_run (every other parameter) and
/// @f_read (the updated parameters and momentum buffers), each in the
/// order of @f's prototype.
struct CStateInterface {
  SmallVector<CParam> init, run, read;
};

/// The state API of a function with the C interface `params`, or nullopt
/// when the function updates no state (it is not a training step).
std::optional<CStateInterface> getStateInterface(ArrayRef<CParam> params);

/// Writes a C header with one prototype per public function with a body in
/// `module`, the element count and byte size of every buffer as macros, and
/// a comment per parameter naming its role, shape and element type. The
/// include guard is derived from the module's name (PULPTRAIN_MODEL_H if it
/// has none).
LogicalResult translateModuleToCHeader(ModuleOp module, raw_ostream &os);

/// Registers `--mlir-to-c-header` with mlir-translate.
void registerToCHeaderTranslation();

/// Adds the dialects a module of the C-interface translations
/// (--mlir-to-c-header, --mlir-to-manifest) may hold: pulptrain and the
/// tensor, buffer and loop dialects of the lowering.
void insertCInterfaceDialects(DialectRegistry &registry);

} // namespace pulptrain
} // namespace mlir

#endif // PULPTRAIN_TARGET_CHEADER_H
