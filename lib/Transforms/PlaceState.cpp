//===- PlaceState.cpp - the training state in buffers of its own ----------===//
//
// Gives the state of a bufferized training step @f (its parameters and
// optimizer buffers, the arguments with `pulptrain.param` or
// `pulptrain.momentum`) static buffers of its own, resident in L1 where a
// budget allows and the cost model says it pays, and splits @f into the
// state API of docs/TrainStep.md:
//
//   @f_init(state...)      copies the state in (from the caller's L2 buffers)
//   @f_run(other args...)  one training step on the state, updated in place
//   @f_read(new state...)  copies the updated state out
//   @f(all args...)        the pure step as before: init, run, read
//
// With an L3 (`l3-size`), the state that the L2 budget (`l2-size`) cannot
// hold lives in L3, which the cores cannot access: each op of @f_run that
// uses such a buffer gets it copied into an L2 staging buffer before it
// (and back after it when the op writes it) over the L3 channel.
//
// Upstream MLIR has no notion of state that outlives a call (bufferization
// ends at the function boundary, and ml_program globals do not carry a
// placement), and the placement is PULP's: what lives in the cluster's L1
// across steps is never moved by the DMA, hence this pass of our own.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "pulptrain/Analysis/BufferAliasAnalysis.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "pulptrain/Transforms/Passes.h"

#include "Utils.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"


namespace mlir::pulptrain {
#define GEN_PASS_DEF_PLACESTATE
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Alignment of every state buffer, as the arena's.
constexpr int64_t kAlignment = 16;

/// One buffer of the state: a parameter or an optimizer buffer, its
/// argument and, when the step updates it, the out-parameter of its new
/// value.
struct State {
  /// "fc.weight", or "fc.weight (momentum)".
  std::string name;
  unsigned input;
  std::optional<unsigned> output;
  MemRefType type;
  int64_t bytes = 0;
  /// Ops of the body that read or write it (each moves it through the DMA
  /// when it is in L2).
  int64_t uses = 0;
  /// The update may write the buffer the old value is read from: no read of
  /// the old value follows the first write of the new one (or the one op
  /// doing both is element-wise).
  bool inPlace = true;
  /// Its values can all take the memory space of L1.
  bool typable = false;
  bool inL1 = false;
  /// Its views in the body are view ops at the top level of the body or
  /// values inside the ops that use it: each op can get a staged copy.
  bool stageable = false;
  bool inL3 = false;
  /// The ops at the top level of the body that read or write it, in body
  /// order (not views), each with whether it writes the buffer the state is
  /// updated in (the state itself when the update is in place).
  std::vector<std::pair<Operation *, bool>> users;
  /// Every view of the argument and (in place) of the out-parameter.
  std::vector<Value> views;
  /// Values derived from the argument and the out-parameter that take the
  /// memory space of the buffer.
  SmallVector<Value, 2> inputViews, outputViews;
  memref::GlobalOp global;
  /// The buffer of the new value when it is not updated in place (in L2).
  memref::GlobalOp next;
};

/// The state name and key of argument `index`, or nullopt.
std::optional<std::string> getStateName(func::FuncOp func, unsigned index) {
  DictionaryAttr attrs = func.getArgAttrDict(index);
  if (!attrs)
    return std::nullopt;
  if (auto name = attrs.getAs<StringAttr>(attrs::kParam))
    return name.str();
  if (auto name = attrs.getAs<StringAttr>(attrs::kMomentum))
    return name.str() + " (momentum)";
  if (auto name = attrs.getAs<StringAttr>(attrs::kExpAvg))
    return name.str() + " (exp_avg)";
  if (auto name = attrs.getAs<StringAttr>(attrs::kExpAvgSq))
    return name.str() + " (exp_avg_sq)";
  if (auto name = attrs.getAs<StringAttr>(attrs::kStep))
    return name.str() + " (step)";
  if (auto name = attrs.getAs<StringAttr>(attrs::kBuffer))
    return name.str() + " (buffer)";
  return std::nullopt;
}

/// A symbol stem for `name`: other characters than letters and digits
/// become '_'.
std::string getSymbolStem(StringRef name) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) ? c : '_');
  return out;
}

/// The symbol of the static buffer of `state` in function `funcName`.
std::string getStateSymbol(StringRef funcName, const State &state) {
  return (attrs::kStateSymbol + getSymbolStem(funcName) + "_" +
          getSymbolStem(state.name))
      .str();
}

/// Whether `op` reads `input` and writes `output` element by element with
/// the same indexing, and touches them in no other way: then the new value
/// of an element may overwrite its old value.
bool isElementwiseUpdate(Operation *op, Value input, Value output,
                         const BufferAliasAnalysis &aliases) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureBufferSemantics() ||
      linalgOp.getNumLoops() != linalgOp.getNumParallelLoops())
    return false;
  OpOperand *init = nullptr;
  SmallVector<OpOperand *> reads;
  for (OpOperand &operand : op->getOpOperands()) {
    Value value = operand.get();
    if (!isa<BaseMemRefType>(value.getType()))
      continue;
    if (!aliases.mayAlias(value, input) && !aliases.mayAlias(value, output))
      continue;
    if (linalgOp.isDpsInit(&operand)) {
      if (value != output || init)
        return false;
      init = &operand;
    } else if (value == input) {
      reads.push_back(&operand);
    } else {
      return false;
    }
  }
  if (!init)
    return false;
  // Each element of the output written once, from its own old value.
  AffineMap map = linalgOp.getMatchingIndexingMap(init);
  if (!map.isPermutation())
    return false;
  return llvm::all_of(reads, [&](OpOperand *read) {
    return linalgOp.getMatchingIndexingMap(read) == map;
  });
}

/// The loss of @f_run, an out-parameter that several ops of the step write
/// (its initial value, its sum, its mean), is computed in a temporary,
/// which the arena places (in L1 when the arena is), and copied out once
/// at the end: each op would otherwise move it between L2 and L1 on its
/// own. (An out-parameter's initial content is not the step's to read, so
/// the temporary needs no copy in.)
void stageLoss(func::FuncOp run) {
  Block &entry = run.front();
  BufferAliasAnalysis aliases(run);
  SmallVector<BlockArgument> staged;
  for (BlockArgument arg : entry.getArguments()) {
    auto type = dyn_cast<MemRefType>(arg.getType());
    if (!run.getArgAttr(arg.getArgNumber(), attrs::kLoss) || !type ||
        !type.getLayout().isIdentity() || type.getMemorySpace() ||
        !type.hasStaticShape())
      continue;
    BufferLifetime life = aliases.getLifetime(arg, entry);
    if (life.escapes || life.isUnused())
      continue;
    int64_t writers = 0;
    for (Operation &op : entry)
      writers += writes(&op, arg, aliases);
    if (writers >= 2)
      staged.push_back(arg);
  }
  for (BlockArgument arg : staged) {
    OpBuilder b = OpBuilder::atBlockBegin(&entry);
    Value temporary =
        memref::AllocOp::create(b, run.getLoc(), cast<MemRefType>(arg.getType()));
    arg.replaceAllUsesWith(temporary);
    // A scalar is one store of the core that runs the step.
    OpBuilder atEnd(entry.getTerminator());
    if (cast<MemRefType>(arg.getType()).getRank() == 0)
      memref::StoreOp::create(
          atEnd, run.getLoc(),
          memref::LoadOp::create(atEnd, run.getLoc(), temporary), arg);
    else
      linalg::CopyOp::create(atEnd, run.getLoc(), temporary, arg);
  }
}

struct PlaceStatePass : pulptrain::impl::PlaceStateBase<PlaceStatePass> {
  using PlaceStateBase::PlaceStateBase;

  void runOnOperation() override;

private:
  /// The state of `func`, analysed; empty when `func` updates no state.
  FailureOr<SmallVector<State>> analyze(func::FuncOp func);
  /// Chooses the buffers resident in L1 within `budget` bytes; returns the
  /// bytes taken.
  int64_t chooseL1(MutableArrayRef<State> states, int64_t budget);
  /// Moves buffers to L3 until those left in L2 (and the staging buffer)
  /// fit `l2Size`; fails with a diagnostic when they cannot.
  LogicalResult chooseL3(func::FuncOp func, MutableArrayRef<State> states);
  void rewrite(func::FuncOp func, MutableArrayRef<State> states,
               SymbolTable &symbols);
  /// Stages the buffers in L3 around each op of @f_run that uses them.
  void stageL3(func::FuncOp run, StringRef funcName,
               MutableArrayRef<State> states, ArrayRef<Value> globals,
               SymbolTable &symbols);
};

FailureOr<SmallVector<State>> PlaceStatePass::analyze(func::FuncOp func) {
  SmallVector<State> states;
  llvm::StringMap<unsigned> byName;
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
    std::optional<std::string> name = getStateName(func, i);
    if (!name)
      continue;
    auto type = dyn_cast<MemRefType>(func.getArgument(i).getType());
    std::optional<int64_t> bytes =
        type && type.getLayout().isIdentity() ? getStaticByteSize(type)
                                              : std::nullopt;
    if (!bytes)
      return func.emitOpError("state argument #")
             << i << " ('" << *name
             << "') is not a static memref with the identity layout";
    auto [it, inserted] = byName.try_emplace(*name, states.size());
    if (inserted) {
      State state;
      state.name = *name;
      state.input = i;
      state.type = type;
      state.bytes = *bytes;
      states.push_back(std::move(state));
      continue;
    }
    State &state = states[it->second];
    if (state.output || state.type != type)
      return func.emitOpError("argument #")
             << i << " repeats the state '" << *name
             << "' (an updated value takes the type of its argument, once)";
    state.output = i;
  }
  if (llvm::none_of(states, [](const State &s) { return s.output; }))
    return SmallVector<State>();

  Block &block = func.getBody().front();
  BufferAliasAnalysis aliases(func);
  DenseMap<Operation *, int64_t> position;
  for (auto [index, op] : llvm::enumerate(block))
    position[&op] = index;
  for (State &state : states) {
    Value input = func.getArgument(state.input);
    Value output = state.output ? func.getArgument(*state.output) : Value();
    // The ops of the body that touch it.
    llvm::SmallPtrSet<Operation *, 16> users;
    for (Value root : {input, output}) {
      if (!root)
        continue;
      for (Value view : aliases.getViews(root))
        for (Operation *user : view.getUsers())
          if (Operation *top = block.findAncestorOpInBlock(*user))
            if (!isa<ViewLikeOpInterface>(top))
              users.insert(top);
    }
    state.uses = users.size();
    // In place: the old value is not read once the new one is written.
    if (output) {
      BufferLifetime reads = aliases.getLifetime(input, block);
      BufferLifetime writes = aliases.getLifetime(output, block);
      if (reads.escapes || writes.escapes)
        state.inPlace = false;
      else if (!reads.isUnused() && !writes.isUnused()) {
        int64_t lastRead = position.lookup(reads.last);
        int64_t firstWrite = position.lookup(writes.first);
        state.inPlace =
            lastRead < firstWrite ||
            (lastRead == firstWrite &&
             isElementwiseUpdate(reads.last, input, output, aliases));
      }
    }
    // Its values can live in L1 when each can change type with it.
    DenseSet<Value> placed = {input};
    if (output)
      placed.insert(output);
    FailureOr<SmallVector<Value>> inputViews =
        getTypedViews(aliases, input, placed);
    FailureOr<SmallVector<Value>> outputViews =
        output ? getTypedViews(aliases, output, placed)
               : FailureOr<SmallVector<Value>>(SmallVector<Value>());
    state.typable = succeeded(inputViews) && succeeded(outputViews);
    if (state.typable) {
      state.inputViews = std::move(*inputViews);
      state.outputViews = std::move(*outputViews);
    }
    // For staging through L3: the ops that use the buffer the state is
    // read from (and updated in, in place), in body order, with whether
    // they write it; and whether every view can be rebuilt on a staged copy.
    llvm::SmallPtrSet<Operation *, 16> stagedUsers;
    state.stageable = true;
    for (Value root : {input, state.inPlace ? output : Value()}) {
      if (!root)
        continue;
      for (Value view : aliases.getViews(root)) {
        if (!isa<BaseMemRefType>(view.getType()))
          continue;
        for (Operation *user : view.getUsers())
          if (Operation *top = block.findAncestorOpInBlock(*user))
            if (!isa<ViewLikeOpInterface>(top))
              stagedUsers.insert(top);
        if (view == root)
          continue;
        state.views.push_back(view);
        Operation *owner = isa<BlockArgument>(view)
                               ? view.getParentRegion()->getParentOp()
                               : view.getDefiningOp();
        // Inside an op that uses it: the op is given the staged copy.
        if (owner->getBlock() != &block)
          continue;
        if (!isa<ViewLikeOpInterface>(owner) ||
            isa<memref::MemorySpaceCastOp>(owner) ||
            owner->getNumRegions() != 0)
          state.stageable = false;
      }
    }
    for (Operation &op : block)
      if (stagedUsers.contains(&op))
        state.users.push_back(
            {&op, state.inPlace && output && mayWrite(&op, output, aliases)});
  }
  return states;
}

int64_t PlaceStatePass::chooseL1(MutableArrayRef<State> states,
                                 int64_t budget) {
  // The DMA cycles a buffer in L1 saves per step grow with its bytes times
  // the ops that would move it (plus its copy in and out across steps);
  // its cost is its bytes of L1. Densest saving first, then the smaller.
  SmallVector<State *> order;
  for (State &state : states)
    if (state.typable)
      order.push_back(&state);
  auto savingPerByte = [](const State *s) {
    return s->uses + (s->output ? 2 : 1);
  };
  llvm::stable_sort(order, [&](const State *a, const State *b) {
    if (savingPerByte(a) != savingPerByte(b))
      return savingPerByte(a) > savingPerByte(b);
    return a->bytes < b->bytes;
  });
  int64_t used = 0;
  for (State *state : order) {
    int64_t bytes = llvm::alignTo(state->bytes, kAlignment);
    if (used + bytes > budget)
      continue;
    state->inL1 = true;
    used += bytes;
  }
  return used;
}

/// Bytes of the L2 staging buffer: the largest sum of the L3 buffers one op
/// uses, each aligned.
static int64_t getStagingBytes(ArrayRef<State> states) {
  DenseMap<Operation *, int64_t> perOp;
  int64_t most = 0;
  for (const State &state : states) {
    if (!state.inL3)
      continue;
    for (const auto &user : state.users)
      most = std::max(most, perOp[user.first] += llvm::alignTo(
                                state.bytes, kAlignment));
  }
  return most;
}

LogicalResult PlaceStatePass::chooseL3(func::FuncOp func,
                                       MutableArrayRef<State> states) {
  if (l3Size <= 0 || l2Size <= 0)
    return success();
  auto l2Bytes = [&] {
    int64_t bytes = getStagingBytes(states);
    for (const State &state : states)
      if (!state.inL1 && !state.inL3)
        bytes += llvm::alignTo(state.bytes, kAlignment);
    return bytes;
  };
  // Each op that uses a buffer in L3 moves it over the slow channel: the
  // L3 traffic per byte of L2 freed is its count of ops. Fewest first,
  // then the larger (fewer moves for the same bytes).
  SmallVector<State *> order;
  for (State &state : states)
    if (!state.inL1 && state.stageable)
      order.push_back(&state);
  llvm::stable_sort(order, [](const State *a, const State *b) {
    if (a->uses != b->uses)
      return a->uses < b->uses;
    return a->bytes > b->bytes;
  });
  int64_t l3Bytes = 0;
  for (State *state : order) {
    if (l2Bytes() <= l2Size)
      break;
    state->inL3 = true;
    l3Bytes += llvm::alignTo(state->bytes, kAlignment);
  }
  // A buffer moved early may fit L2 again next to the staging of those
  // moved after it.
  for (State *state : llvm::reverse(order)) {
    if (!state->inL3)
      continue;
    state->inL3 = false;
    if (l2Bytes() > l2Size)
      state->inL3 = true;
    else
      l3Bytes -= llvm::alignTo(state->bytes, kAlignment);
  }
  if (l2Bytes() > l2Size) {
    // Moving a buffer may grow the staging buffer by as much as it frees:
    // keep in L2 what does not pay, and report what is left.
    for (State &state : states)
      state.inL3 = false;
    return func.emitOpError("training state does not fit the L2 budget of ")
           << static_cast<int64_t>(l2Size)
           << " bytes even with its buffers in L3: the buffers left in L2 "
              "and the L2 staging of those in L3 need "
           << [&] {
                for (State *state : order)
                  state->inL3 = true;
                return l2Bytes();
              }()
           << " bytes";
  }
  if (l3Bytes > l3Size)
    return func.emitOpError("training state does not fit L3: ")
           << l3Bytes << " bytes of it must leave the L2 budget of "
           << static_cast<int64_t>(l2Size) << " bytes, L3 has "
           << static_cast<int64_t>(l3Size) << " bytes";
  return success();
}

void PlaceStatePass::rewrite(func::FuncOp func, MutableArrayRef<State> states,
                             SymbolTable &symbols) {
  MLIRContext *ctx = &getContext();
  Location loc = func.getLoc();
  StringRef funcName = func.getSymName();
  OpBuilder builder(ctx);

  // The buffers of the state.
  builder.setInsertionPoint(func);
  for (State &state : states) {
    Type type = state.inL1   ? getTypeInMemory(state.type, Memory::L1)
                : state.inL3 ? getTypeInMemory(state.type, Memory::L3)
                             : BaseMemRefType(state.type);
    // Private and uninitialised, or (external-state) a declaration the
    // program linking the step defines with the initial values.
    state.global = memref::GlobalOp::create(
        builder, loc, getStateSymbol(funcName, state),
        externalState ? StringAttr() : builder.getStringAttr("private"),
        cast<MemRefType>(type),
        externalState ? Attribute() : builder.getUnitAttr(),
        /*constant=*/false, builder.getI64IntegerAttr(kAlignment));
    symbols.insert(state.global);
    if (!state.output || state.inPlace)
      continue;
    state.next = memref::GlobalOp::create(
        builder, loc, (state.global.getSymName() + "_next").str(),
        builder.getStringAttr("private"), state.type, builder.getUnitAttr(),
        /*constant=*/false, builder.getI64IntegerAttr(kAlignment));
    symbols.insert(state.next);
  }

  // Which arguments go where.
  unsigned numArgs = func.getNumArguments();
  llvm::BitVector isState(numArgs);
  SmallVector<unsigned> initArgs, readArgs;
  for (State &state : states) {
    isState.set(state.input);
    initArgs.push_back(state.input);
    if (state.output) {
      isState.set(*state.output);
      readArgs.push_back(*state.output);
    }
  }
  llvm::sort(initArgs);
  llvm::sort(readArgs);
  SmallVector<unsigned> runArgs;
  for (unsigned i = 0; i < numArgs; ++i)
    if (!isState.test(i))
      runArgs.push_back(i);

  auto makeFunc = [&](StringRef suffix, ArrayRef<unsigned> args) {
    SmallVector<Type> types;
    SmallVector<DictionaryAttr> argAttrs;
    for (unsigned i : args) {
      types.push_back(func.getArgument(i).getType());
      argAttrs.push_back(func.getArgAttrDict(i)
                             ? func.getArgAttrDict(i)
                             : DictionaryAttr::get(ctx));
    }
    auto fn = func::FuncOp::create(loc, (funcName + suffix).str(),
                                   FunctionType::get(ctx, types, {}));
    fn.setAllArgAttrs(argAttrs);
    symbols.insert(fn, std::next(Block::iterator(func)));
    return fn;
  };

  // A copy between a state buffer and a caller's buffer: by DMA for L1, by
  // the cores (a linalg.copy) within L2.
  auto copy = [&](OpBuilder &b, Value from, Value to, bool dma) {
    if (dma)
      cluster::DmaStartOp::create(b, loc, from, to);
    else
      linalg::CopyOp::create(b, loc, from, to);
  };
  auto getGlobal = [&](OpBuilder &b, State &state) -> Value {
    return memref::GetGlobalOp::create(b, loc, state.global.getType(),
                                       state.global.getSymName());
  };

  // @f_init and @f_read (none when the program defines the state).
  func::FuncOp initFn, readFn;
  SmallVector<std::pair<func::FuncOp, bool>> copyFns;
  if (!externalState) {
    initFn = makeFunc(attrs::kStateInitSuffix, initArgs);
    readFn = makeFunc(attrs::kStateReadSuffix, readArgs);
    copyFns = {{initFn, false}, {readFn, true}};
  }
  for (auto [fn, reading] : copyFns) {
    OpBuilder b = OpBuilder::atBlockBegin(fn.addEntryBlock());
    bool anyDma = false, anyL3 = false;
    for (State &state : states) {
      if (reading && !state.output)
        continue;
      ArrayRef<unsigned> order = reading ? readArgs : initArgs;
      unsigned index = reading ? *state.output : state.input;
      Value arg = fn.getArgument(llvm::find(order, index) - order.begin());
      Value global = getGlobal(b, state);
      if (state.inL3) {
        // Over the L3 channel.
        if (reading)
          cluster::L3StartOp::create(b, loc, global, arg);
        else
          cluster::L3StartOp::create(b, loc, arg, global);
        anyL3 = true;
        continue;
      }
      if (reading)
        copy(b, global, arg, state.inL1);
      else
        copy(b, arg, global, state.inL1);
      anyDma |= state.inL1;
    }
    if (anyDma)
      cluster::DmaWaitOp::create(b, loc, ValueRange());
    if (anyL3)
      cluster::L3WaitOp::create(b, loc, ValueRange());
    func::ReturnOp::create(b, loc);
  }

  // @f_run: the body on the state buffers.
  func::FuncOp runFn = makeFunc(attrs::kStateRunSuffix, runArgs);
  runFn.getBody().takeBody(func.getBody());
  Block &entry = runFn.front();
  OpBuilder b = OpBuilder::atBlockBegin(&entry);
  Operation *terminator = entry.getTerminator();
  SmallVector<Value> globals;
  for (State &state : states) {
    Value global = getGlobal(b, state);
    globals.push_back(global);
    if (state.inL1) {
      for (Value view : state.inputViews)
        view.setType(getTypeInMemory(cast<BaseMemRefType>(view.getType()),
                                     Memory::L1));
      if (state.inPlace)
        for (Value view : state.outputViews)
          view.setType(getTypeInMemory(cast<BaseMemRefType>(view.getType()),
                                       Memory::L1));
    }
    entry.getArgument(state.input).replaceAllUsesWith(global);
    if (!state.output)
      continue;
    Value output = entry.getArgument(*state.output);
    if (state.inPlace) {
      output.replaceAllUsesWith(global);
      continue;
    }
    // The new value in a buffer of its own in L2 (as the caller's
    // out-parameter was), copied over the old one once the step no longer
    // reads it.
    Value temporary = memref::GetGlobalOp::create(
        b, loc, state.next.getType(), state.next.getSymName());
    output.replaceAllUsesWith(temporary);
    OpBuilder atEnd(terminator);
    if (state.inL3) {
      Value token = cluster::L3StartOp::create(atEnd, loc, temporary, global);
      cluster::L3WaitOp::create(atEnd, loc, token);
    } else {
      linalg::CopyOp::create(atEnd, loc, temporary, global);
    }
  }
  entry.eraseArguments(isState);
  stageL3(runFn, funcName, states, globals, symbols);
  stageLoss(runFn);

  // The program that defines the state runs the step on it: no @f, whose
  // state arguments would have nowhere to go.
  if (externalState) {
    symbols.erase(func);
    return;
  }

  // @f: init, run, read.
  OpBuilder fb = OpBuilder::atBlockBegin(func.addEntryBlock());
  auto forward = [&](func::FuncOp callee, ArrayRef<unsigned> args) {
    SmallVector<Value> operands;
    for (unsigned i : args)
      operands.push_back(func.getArgument(i));
    func::CallOp::create(fb, loc, callee, operands);
  };
  forward(initFn, initArgs);
  forward(runFn, runArgs);
  forward(readFn, readArgs);
  func::ReturnOp::create(fb, loc);
}

void PlaceStatePass::stageL3(func::FuncOp run, StringRef funcName,
                             MutableArrayRef<State> states,
                             ArrayRef<Value> globals, SymbolTable &symbols) {
  int64_t stagingBytes = getStagingBytes(states);
  if (stagingBytes == 0)
    return;
  MLIRContext *ctx = &getContext();
  Location loc = run.getLoc();
  Block &entry = run.front();

  // One L2 buffer the staged copies of an op share (a state global, so that
  // pulptrain-plan-memory counts it with the state in L2).
  OpBuilder moduleBuilder(run);
  auto stagingType = MemRefType::get({stagingBytes}, IntegerType::get(ctx, 8));
  auto staging = memref::GlobalOp::create(
      moduleBuilder, loc,
      (attrs::kStateSymbol + getSymbolStem(funcName) + "__l3_staging").str(),
      moduleBuilder.getStringAttr("private"), stagingType,
      moduleBuilder.getUnitAttr(), /*constant=*/false,
      moduleBuilder.getI64IntegerAttr(kAlignment));
  symbols.insert(staging);
  OpBuilder b = OpBuilder::atBlockBegin(&entry);
  b.setInsertionPointAfterValue(globals.back());
  Value stagingBase = memref::GetGlobalOp::create(b, loc, stagingType,
                                                  staging.getSymName());

  // The staged buffers of each op, in body order.
  struct Staged {
    unsigned state;
    bool writes;
  };
  llvm::MapVector<Operation *, SmallVector<Staged>> perOp;
  for (auto [index, state] : llvm::enumerate(states))
    if (state.inL3)
      for (auto [op, writesIt] : state.users)
        perOp[op].push_back({static_cast<unsigned>(index), writesIt});
  // The views of the buffers in L3 at the top level of the body, which
  // become unused (each op gets them rebuilt on its copy).
  llvm::SmallPtrSet<Operation *, 32> viewOps;
  for (State &state : states)
    if (state.inL3)
      for (Value view : state.views)
        if (Operation *def = view.getDefiningOp();
            def && def->getBlock() == &entry)
          viewOps.insert(def);
  for (auto &entry : perOp) {
    Operation *op = entry.first;
    ArrayRef<Staged> staged = entry.second;
    OpBuilder before(op);
    SmallVector<Value> tokens;
    IRMapping mapping;
    SmallVector<std::pair<Value, Value>> copies;
    int64_t offset = 0;
    for (const Staged &item : staged) {
      State &state = states[item.state];
      Value global = globals[item.state];
      Value at = arith::ConstantIndexOp::create(before, loc, offset);
      Value copy = memref::ViewOp::create(before, loc, state.type,
                                          stagingBase, at, ValueRange());
      offset += llvm::alignTo(state.bytes, kAlignment);
      tokens.push_back(
          cluster::L3StartOp::create(before, loc, global, copy).getResult());
      mapping.map(global, copy);
      if (item.writes)
        copies.push_back({copy, global});
    }
    cluster::L3WaitOp::create(before, loc, tokens);
    // The views the op uses, rebuilt on the copies right before it.
    DenseSet<Value> views;
    for (const Staged &item : staged)
      views.insert(states[item.state].views.begin(),
                   states[item.state].views.end());
    redirectToCopies(op, mapping, views, before);
    // Written buffers go back after the op.
    if (copies.empty())
      continue;
    OpBuilder after(op->getBlock(), std::next(Block::iterator(op)));
    SmallVector<Value> backTokens;
    for (auto [copy, global] : copies)
      backTokens.push_back(
          cluster::L3StartOp::create(after, loc, copy, global).getResult());
    cluster::L3WaitOp::create(after, loc, backTokens);
  }
  // The views of the buffers in L3 themselves are unused now.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(entry)))
    if (viewOps.contains(&op) && op.use_empty())
      op.erase();
}

void PlaceStatePass::runOnOperation() {
  ModuleOp module = getOperation();
  Builder builder(&getContext());
  SymbolTable symbols(module);
  SmallVector<NamedAttribute> plan;
  int64_t budget = l1Size;
  for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
    if (func.isExternal() || func.getNumResults() != 0)
      continue;
    FailureOr<SmallVector<State>> states = analyze(func);
    if (failed(states))
      return signalPassFailure();
    if (states->empty())
      continue;
    budget -= chooseL1(*states, budget);
    if (failed(chooseL3(func, *states)))
      return signalPassFailure();
    std::string funcName = func.getSymName().str();
    rewrite(func, *states, symbols);
    SmallVector<Attribute> entries;
    for (State &state : *states)
      entries.push_back(builder.getDictionaryAttr({
          builder.getNamedAttr("name", builder.getStringAttr(state.name)),
          builder.getNamedAttr(
              "symbol", builder.getStringAttr(state.global.getSymName())),
          builder.getNamedAttr("argument",
                               builder.getI64IntegerAttr(state.input)),
          builder.getNamedAttr("bytes", builder.getI64IntegerAttr(state.bytes)),
          builder.getNamedAttr(
              "memory", builder.getStringAttr(state.inL1   ? "L1"
                                              : state.inL3 ? "L3"
                                                           : "L2")),
          builder.getNamedAttr("uses", builder.getI64IntegerAttr(state.uses)),
          builder.getNamedAttr(
              "in_place", builder.getBoolAttr(!state.output || state.inPlace)),
      }));
    plan.push_back(
        builder.getNamedAttr(funcName, builder.getArrayAttr(entries)));
    numFunctions++;
    for (State &state : *states)
      (state.inL1 ? numL1 : state.inL3 ? numL3 : numL2)++;
  }
  if (!plan.empty())
    module->setAttr(attrs::kStatePlan, builder.getDictionaryAttr(plan));
}

} // namespace
