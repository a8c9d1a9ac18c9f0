//===- Manifest.h - The C interface of compiled functions as JSON -*- C++
//-*-===//
//
// The machine-readable twin of the C header (CHeader.h): every public
// function's C parameters with their roles, shapes and sizes, for tools that
// call compiled code (python/pulptrain/train_check.py) without reading MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_TARGET_MANIFEST_H
#define PULPTRAIN_TARGET_MANIFEST_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/JSON.h"

namespace mlir::pulptrain {

/// The format tag of the manifest ("format" member).
inline constexpr llvm::StringLiteral kManifestFormat = "pulptrain-manifest-1";

/// Returns the manifest of `module`: for every public function with a body,
/// in order, its name and the parameters of its C prototype (getCInterface):
///
///   {"format": "pulptrain-manifest-1",
///    "functions": [{"name": "train_step", "arguments": 5, "results": 3,
///                   "params": [{"name": "x", "kind": "argument",
///                               "index": 0, "role": "input", "tensor": "x",
///                               "element_type": "f32", "c_type": "float",
///                               "shape": [8, 8, 8], "elements": 512,
///                               "bytes": 2048, "buffer": true,
///                               "macro": "TRAIN_STEP_X"}, ...]}]}
///
/// "kind" is "argument" or "result" (an out-pointer); "role" one of "input",
/// "label", "param", "momentum", "loss" or "other" (a result with role
/// "param" or "momentum" is the updated value); "tensor" is the PyTorch name
/// of inputs, parameters and momentum buffers; parameters have "trainable".
/// Fails with the diagnostics of getCInterface.
FailureOr<llvm::json::Value> getManifest(ModuleOp module);

/// Writes the manifest of `module` as indented JSON.
LogicalResult translateModuleToManifest(ModuleOp module, raw_ostream &os);

/// Registers `--mlir-to-manifest` with mlir-translate.
void registerToManifestTranslation();

} // namespace mlir::pulptrain

#endif // PULPTRAIN_TARGET_MANIFEST_H
