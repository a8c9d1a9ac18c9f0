//===- BufferAliasAnalysis.h - aliases and lives of buffers -----*- C++ -*-===//
//
// The one answer, for every pass of the pipeline, to "which values may view
// the memory of this buffer", "may these two memrefs overlap" and "from
// which op to which op of this block is this buffer in use".
//
// Value flow between memrefs comes from upstream's BufferViewFlowAnalysis,
// which follows view-like ops, region branches (scf.for iter_args and
// results, scf.if and scf.while yields), branches, and treats any other op
// with memref operands and results as making every result a view of every
// operand (calls included). On top of it this analysis adds what pulptrain
// knows of its buffers (docs/TrainStep.md): distinct function arguments
// never overlap, different globals never overlap, and constant-offset
// `memref.view`s of one global (the planned arena, the L1 tiles) overlap
// only when their byte ranges do.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_ANALYSIS_BUFFERALIASANALYSIS_H
#define PULPTRAIN_ANALYSIS_BUFFERALIASANALYSIS_H

#include "mlir/Dialect/Bufferization/Transforms/BufferViewFlowAnalysis.h"
#include "mlir/IR/Block.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Value.h"

#include <optional>
#include <utility>

namespace mlir::pulptrain {

/// Where a memref's memory comes from: one root buffer and, when the memref
/// is a constant-offset view of a global, the byte range it may touch.
struct BufferOrigin {
  /// The buffer: a function argument, an allocation, a `memref.get_global`,
  /// or a value the analysis cannot see through (then it may alias
  /// anything that is not a distinct buffer).
  Value root;
  /// The global's name when `root` is a `memref.get_global`.
  FlatSymbolRefAttr global;
  /// [begin, end) bytes of the global that the memref may touch.
  std::optional<std::pair<int64_t, int64_t>> range;
};

/// The life of a buffer in one block: the first and last op of the block
/// that use it (directly, in a nested region, or through any alias).
struct BufferLifetime {
  Operation *first = nullptr, *last = nullptr;
  /// Some alias leaves the function (returned) or the block (used by an
  /// op outside it): the buffer must be taken as live everywhere.
  bool escapes = false;
  /// No alias is used at all.
  bool isUnused() const { return !first && !escapes; }
};

/// Aliases and lifetimes of the memrefs under one operation (a module or a
/// function). The analysis describes the IR as it was when it was built:
/// rebuild it after rewriting ops that define or forward memrefs.
class BufferAliasAnalysis {
public:
  using ValueSet = BufferViewFlowAnalysis::ValueSetT;

  explicit BufferAliasAnalysis(Operation *root);

  /// Every value that may view memory of `buffer` and is derived from it
  /// (views, loop-carried values, yielded results, results of ops the flow
  /// analysis does not know), `buffer` included.
  ValueSet getViews(Value buffer) const;

  /// The buffers `value` may be a view of, each with the byte range of a
  /// global it may touch when that is known.
  SmallVector<BufferOrigin> getOrigins(Value value) const;

  /// Whether two memrefs may share memory.
  bool mayAlias(Value a, Value b) const;

  /// The life of `buffer` and all its views in `block`.
  BufferLifetime getLifetime(Value buffer, Block &block) const;

  /// Whether `buffer` or any of its views is used by an op that is not
  /// before `end` in `end`'s block (`end` itself excepted).
  bool isUsedAfter(Value buffer, Operation *end) const;

  /// Whether `root` is a buffer of its own, which no other root overlaps:
  /// an argument of a function or an allocation.
  static bool isDistinctBuffer(Value root);

private:
  BufferViewFlowAnalysis flow;
};

} // namespace mlir::pulptrain

#endif // PULPTRAIN_ANALYSIS_BUFFERALIASANALYSIS_H
