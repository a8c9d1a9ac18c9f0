//===- Report.cpp - pulptrain-run: tables, JSON and SVG of a run ----------===//
//
// Parses what the harness printed and reports the losses (next to the
// reference), the per-layer counters and the memory use.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <tuple>

using namespace mlir;
using namespace mlir::pulptrain::run;

namespace {

double bitsToDouble(uint32_t bits, StringRef dtype) {
  const llvm::fltSemantics &semantics = dtype == "f16" ? APFloat::IEEEhalf()
                                        : dtype == "bf16"
                                            ? APFloat::BFloat()
                                            : APFloat::IEEEsingle();
  APFloat f(semantics, APInt(APFloat::getSizeInBits(semantics), bits));
  bool lost;
  f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
  return f.convertToDouble();
}

bool parseUnsigned(StringRef text, uint64_t &out, unsigned radix = 10) {
  return !text.getAsInteger(radix, out);
}

/// Parses the N decimal fields after the tag of `fields` into `values`;
/// false unless there are exactly N.
template <size_t N>
bool parseFields(ArrayRef<StringRef> fields, uint64_t (&values)[N]) {
  if (fields.size() != N + 1)
    return false;
  for (size_t i = 0; i < N; ++i)
    if (!parseUnsigned(fields[i + 1], values[i]))
      return false;
  return true;
}

/// Parses hexadecimal bit patterns of `dtype` into `values`.
bool parseValues(ArrayRef<StringRef> fields, StringRef dtype,
                 std::vector<double> &values) {
  for (StringRef field : fields) {
    uint64_t bits;
    if (!parseUnsigned(field, bits, 16))
      return false;
    values.push_back(bitsToDouble(bits, dtype));
  }
  return true;
}

/// Reports the harness's failed allocation of `size` bytes in `memory`.
bool failOutOfMemory(StringRef memory, uint64_t size, uint64_t free) {
  return fail("the training step does not fit in " + memory +
              ": it asked "
              "for " +
              llvm::Twine(size) + " bytes with " + llvm::Twine(free) +
              " bytes left (configure more with --" + memory.lower() +
              "-size)");
}

} // namespace

bool mlir::pulptrain::run::parseRunOutput(StringRef text,
                                          const CompiledStep &step,
                                          const Options &options,
                                          RunOutput &out) {
  size_t numRegions = step.regions.size() + 1;
  out.counters.assign(options.steps, std::vector<Counters>(numRegions));
  std::vector<bool> haveLoss(options.steps, false);
  out.losses.assign(options.steps, 0.0);
  out.lossBits.assign(options.steps, 0);
  bool started = false, done = false;
  SmallVector<StringRef> lines;
  text.split(lines, '\n', -1, false);
  for (StringRef line : lines) {
    SmallVector<StringRef> f;
    line.split(f, ' ', -1, false);
    if (f.empty()) { // A blank line of the program's own output.
      llvm::errs() << line << "\n";
      continue;
    }
    auto malformed = [&] {
      return fail("unexpected output of the simulated program: '" + line + "'");
    };
    if (f[0] == "pulptrain-run") {
      uint64_t regions, steps;
      if (f.size() != 5 || !parseUnsigned(f[2], regions) ||
          !parseUnsigned(f[4], steps))
        return malformed();
      if (regions + 1 != numRegions || steps != options.steps)
        return fail("the simulated program was built for another model");
      started = true;
    } else if (f[0] == "pulptrain-loss") {
      uint64_t s, bits;
      if (f.size() != 3 || !parseUnsigned(f[1], s) || s >= options.steps ||
          !parseUnsigned(f[2], bits, 16))
        return malformed();
      out.lossBits[s] = bits;
      out.losses[s] = bitsToDouble(bits, step.dtype);
      haveLoss[s] = true;
    } else if (f[0] == "pulptrain-prof") {
      uint64_t v[9];
      if (!parseFields(f, v) || v[0] >= options.steps || v[1] >= numRegions)
        return malformed();
      Counters &c = out.counters[v[0]][v[1]];
      c = {v[2], v[3], v[4], v[5], v[6], v[7], v[8]};
    } else if (f[0] == "pulptrain-prof-extra") {
      uint64_t v[4];
      if (!parseFields(f, v) || v[0] >= options.steps || v[1] >= numRegions)
        return malformed();
      Counters &c = out.counters[v[0]][v[1]];
      c.icacheMiss = v[2];
      c.fpuCont = v[3];
    } else if (f[0] == "pulptrain-param") {
      if (f.size() != 3)
        return malformed();
      out.paramHashes.emplace_back(f[1].str(), f[2].str());
    } else if (f[0] == "pulptrain-param-bits") {
      std::vector<double> values;
      if (f.size() < 2 ||
          !parseValues(llvm::drop_begin(f, 2), step.dtype, values))
        return malformed();
      out.paramValues.emplace_back(f[1].str(), std::move(values));
    } else if (f[0] == "pulptrain-mem") {
      uint64_t v[7];
      if (!parseFields(f, v))
        return malformed();
      out.haveMemory = true;
      std::tie(out.l2Static, out.l2HeapPeak, out.l1Static, out.l1HeapPeak,
               out.l1Size, out.l2Size, out.cores) =
          std::tie(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    } else if (f[0] == "pulptrain-oom") {
      uint64_t size, free;
      if (f.size() != 4 || !parseUnsigned(f[2], size) ||
          !parseUnsigned(f[3], free))
        return malformed();
      return failOutOfMemory(f[1], size, free);
    } else if (f[0] == "pulptrain-done") {
      done = true;
    } else {
      // Anything else (runtime messages) is shown as is.
      llvm::errs() << line << "\n";
    }
  }
  if (!started || !done)
    return fail("the simulated program stopped before the end of its "
                "output");
  for (unsigned s = 0; s < options.steps; ++s)
    if (!haveLoss[s])
      return fail("the simulated program printed no loss for step " +
                  llvm::Twine(s));
  return true;
}

//===----------------------------------------------------------------------===//
// Text report
//===----------------------------------------------------------------------===//

std::string mlir::pulptrain::run::formatReal(double value) {
  std::string out;
  llvm::raw_string_ostream(out) << llvm::format("%g", value);
  return out;
}

std::string mlir::pulptrain::run::describeDefaultTolerances() {
  std::string out;
  for (const LossTolerance &t : kLossTolerances)
    out += (out.empty() ? "" : ", ") + formatReal(t.tolerance) + " " + t.dtype;
  return out;
}

namespace {

double tolerance(const CompiledStep &step, const Golden *golden,
                 const Options &options) {
  if (options.tolerance)
    return *options.tolerance;
  if (golden && golden->lossTolerance)
    return *golden->lossTolerance;
  for (const LossTolerance &t : kLossTolerances)
    if (step.dtype == t.dtype)
      return t.tolerance;
  return kLossTolerances[0].tolerance;
}

/// The error of a loss relative to the larger of the reference loss and
/// `scale`, the magnitude its rounding error scales with (a cross-entropy
/// near zero is the difference of terms of the size of the largest logit).
double relativeError(double got, double want, double scale = 0.0) {
  return std::fabs(got - want) /
         std::max({std::fabs(want), scale, 1e-30});
}

/// Step `s`'s loss scale of the golden data, 0 when it has none.
double lossScale(const Golden &golden, unsigned s) {
  return s < golden.lossScales.size() ? golden.lossScales[s] : 0.0;
}

/// Totals of one region over `steps`.
Counters sum(const RunOutput &run, unsigned region, unsigned first,
             unsigned last) {
  Counters total;
  for (unsigned s = first; s <= last; ++s) {
    const Counters &c = run.counters[s][region];
    total.calls += c.calls;
    total.cycles += c.cycles;
    total.instr += c.instr;
    total.ldStall += c.ldStall;
    total.tcdmCont += c.tcdmCont;
    total.l2Access += c.l2Access;
    total.macs += c.macs;
    total.icacheMiss += c.icacheMiss;
    total.fpuCont += c.fpuCont;
  }
  return total;
}

void printRow(llvm::raw_ostream &os, StringRef layer, StringRef phase,
              std::optional<int64_t> macs, const Counters &c, bool extras) {
  os << llvm::format("%-14s %-9s", layer.str().c_str(), phase.str().c_str());
  if (macs)
    os << llvm::format(" %10lld", (long long)*macs);
  else
    os << llvm::format(" %10s", "");
  os << llvm::format(" %10llu", (unsigned long long)c.cycles);
  if (macs && *macs && c.cycles)
    os << llvm::format(" %9.3f", double(*macs) / double(c.cycles));
  else
    os << llvm::format(" %9s", "");
  os << llvm::format(" %10llu %9llu %9llu %8llu", (unsigned long long)c.instr,
                     (unsigned long long)c.ldStall,
                     (unsigned long long)c.tcdmCont,
                     (unsigned long long)c.l2Access);
  if (extras)
    os << llvm::format(" %8llu %8llu", (unsigned long long)c.icacheMiss,
                       (unsigned long long)c.fpuCont);
  os << "\n";
}

/// The per-layer table of steps first..last (summed).
void printLayerTable(llvm::raw_ostream &os, const CompiledStep &step,
                     const RunOutput &run, unsigned first, unsigned last,
                     StringRef heading, bool extras) {
  unsigned steps = last - first + 1;
  os << heading << "\n";
  os << llvm::format("%-14s %-9s %10s %10s %9s %10s %9s %9s %8s", "layer",
                     "phase", "MACs", "cycles", "MAC/cyc", "instr", "ld-stall",
                     "tcdm-cont", "L2-acc");
  if (extras)
    os << llvm::format(" %8s %8s", "I$-miss", "fpu-cont");
  os << "\n";
  int64_t totalMacs = 0;
  Counters inRegions;
  for (const ProfileRegion &region : step.regions) {
    Counters c = sum(run, region.id, first, last);
    int64_t macs = region.macs * steps;
    totalMacs += macs;
    printRow(os, region.layer, region.phase, macs, c, extras);
    inRegions.icacheMiss += c.icacheMiss;
    inRegions.fpuCont += c.fpuCont;
    inRegions.cycles += c.cycles;
    inRegions.instr += c.instr;
    inRegions.ldStall += c.ldStall;
    inRegions.tcdmCont += c.tcdmCont;
    inRegions.l2Access += c.l2Access;
  }
  Counters whole = sum(run, step.regions.size(), first, last);
  if (!step.regions.empty()) {
    // Reshapes, unannotated ops and the profiling calls themselves.
    Counters rest;
    auto diff = [](uint64_t a, uint64_t b) { return a > b ? a - b : 0; };
    rest.cycles = diff(whole.cycles, inRegions.cycles);
    rest.instr = diff(whole.instr, inRegions.instr);
    rest.ldStall = diff(whole.ldStall, inRegions.ldStall);
    rest.tcdmCont = diff(whole.tcdmCont, inRegions.tcdmCont);
    rest.l2Access = diff(whole.l2Access, inRegions.l2Access);
    rest.icacheMiss = diff(whole.icacheMiss, inRegions.icacheMiss);
    rest.fpuCont = diff(whole.fpuCont, inRegions.fpuCont);
    printRow(os, "(outside)", "", std::nullopt, rest, extras);
  }
  printRow(os, "total", "", totalMacs, whole, extras);
  // Regions whose ops a fusion moved into another region.
  for (const ProfileRegion &region : step.regions) {
    if (!region.fusedInto)
      continue;
    auto into = llvm::find_if(step.regions, [&](const ProfileRegion &r) {
      return r.id == *region.fusedInto;
    });
    if (into != step.regions.end())
      os << region.layer << " " << region.phase << ": computed inside "
         << into->layer << " " << into->phase
         << " (fused); its MACs are counted there\n";
  }
}

std::string kib(uint64_t bytes) { return std::to_string(bytes) + " B"; }

} // namespace

bool mlir::pulptrain::run::printReport(
    llvm::raw_ostream &os, const CompiledStep &step, const RunOutput &run,
    const Golden *golden, const Options &options, StringRef title) {
  os << title << "\n\n";
  bool haveRef = golden && golden->losses.size() >= options.steps;
  double tol = tolerance(step, golden, options);
  bool profiled = !options.qemu;
  os << llvm::format("%4s  %15s", "step", "loss");
  if (haveRef)
    os << llvm::format("  %15s  %8s", "PyTorch", "rel.err");
  if (profiled)
    os << llvm::format("  %10s", "cycles");
  os << "\n";
  double worst = 0.0;
  unsigned worstStep = 0;
  for (unsigned s = 0; s < options.steps; ++s) {
    os << llvm::format("%4u  %15.8e", s, run.losses[s]);
    if (haveRef) {
      double err = relativeError(run.losses[s], golden->losses[s],
                                 lossScale(*golden, s));
      double key = std::isnan(err) ? INFINITY : err;
      if (s == 0 || key > worst) {
        worst = key;
        worstStep = s;
      }
      os << llvm::format("  %15.8e  %8.1e", golden->losses[s], err);
    }
    if (profiled)
      os << llvm::format(
          "  %10llu",
          (unsigned long long)run.counters[s][step.regions.size()].cycles);
    os << "\n";
  }
  bool ok = true;
  if (haveRef) {
    if (worst <= tol) {
      os << llvm::format("losses match PyTorch: max rel. error %.1e "
                         "(tolerance %.0e)\n",
                         worst, tol);
    } else {
      os << llvm::format("losses DIFFER from PyTorch: rel. error %.1e at "
                         "step %u (tolerance %.0e)\n",
                         worst, worstStep, tol);
      ok = false;
    }
  } else {
    os << "no reference losses (give a PyTorch model or --golden FILE)\n";
  }

  if (profiled) {
    StringRef who = options.profileAllCores ? "all cores' counters summed"
                                            : "counters of core 0";
    unsigned last = options.steps - 1;
    // Instruction-cache misses and FPU contention: core 0's, per region.
    bool extras = hasRegionExtras(options);
    if (options.tableAllSteps) {
      for (unsigned s = 0; s <= last; ++s)
        printLayerTable(os, step, run, s, s,
                        ("\nStep " + llvm::Twine(s) + " (" + who + "):").str(),
                        extras);
    } else {
      printLayerTable(os, step, run, 0, 0, ("\nStep 0 (" + who + "):").str(),
                      extras);
      if (last > 0)
        printLayerTable(
            os, step, run, 0, last,
            ("\nAll " + llvm::Twine(options.steps) + " steps (" + who + "):")
                .str(),
            extras);
    }
  }
  if (run.haveMemory) {
    uint64_t stacks = run.cores * 2048;
    os << "\nPeak memory: L2 " << kib(run.l2Static + run.l2HeapPeak) << " of "
       << kib(run.l2Size) << ": program image " << kib(run.l2Static)
       << " (code, data, the harness's buffers, arena " << kib(step.arenaL2)
       << "), heap " << kib(run.l2HeapPeak) << "\n"
       << "             L1 " << kib(run.l1Static + run.l1HeapPeak + stacks)
       << " of " << kib(run.l1Size) << ": stacks " << kib(stacks) << ", data "
       << kib(run.l1Static) << " (arena " << kib(step.arenaL1) << ", DMA tiles "
       << kib(step.l1Tiles) << "), heap " << kib(run.l1HeapPeak) << "\n";
  }
  if (!step.state.empty()) {
    // The placement of pulptrain-place-state.
    int64_t inL1 = 0, inL2 = 0, inL3 = 0;
    for (const CompiledStep::StateBuffer &buffer : step.state)
      (buffer.inL1 ? inL1 : buffer.inL3 ? inL3 : inL2) += buffer.bytes;
    os << "State: " << kib(inL1) << " resident in L1 (budget "
       << kib(step.l1StateBudget) << "), " << kib(inL2) << " in L2";
    if (inL3)
      os << " (budget " << kib(step.l2StateBudget) << "), " << kib(inL3)
         << " in L3 of " << kib(options.l3Bytes) << " (staged through "
         << kib(step.l3Staging) << " of L2: " << run.simL3Transfers
         << " L3 transfers, " << run.simL3Bytes << " B, " << run.simL3Cycles
         << " L3 DMA cycles)";
    os << "; ";
    if (step.externalState)
      os << "initialised in place (the harness defines the buffers with the "
            "initial values)\n";
    else
      os << "copied in once by " << step.funcName << "_init, out by "
         << step.funcName << "_read\n";
    for (const CompiledStep::StateBuffer &buffer : step.state)
      os << "  " << llvm::left_justify(buffer.name, 24) << " "
         << llvm::right_justify(std::to_string(buffer.bytes), 8) << " B  "
         << (buffer.inL1 ? "L1" : buffer.inL3 ? "L3" : "L2") << "  used by "
         << buffer.uses
         << " op" << (buffer.uses == 1 ? "" : "s") << ", "
         << (buffer.inPlace ? "updated in place"
                            : "updated through a temporary")
         << "\n";
  }
  if (!step.temporaries.empty()) {
    // The placement of pulptrain-plan-memory: each temporary in the L1 or
    // the L2 arena; the table when the arena is split.
    int64_t count = 0, saved = 0;
    for (const CompiledStep::Temporary &temporary : step.temporaries)
      if (temporary.inL1) {
        ++count;
        saved += temporary.savedCycles;
      }
    int64_t total = step.temporaries.size();
    int64_t inL3 = 0;
    for (const CompiledStep::Temporary &temporary : step.temporaries)
      inL3 += temporary.inL3;
    auto memoryOf = [](const CompiledStep::Temporary &temporary) {
      return temporary.inL1 ? "L1" : temporary.inL3 ? "L3" : "L2";
    };
    os << "Temporaries: ";
    if (inL3)
      os << count << " of " << total << " in the L1 arena, "
         << kib(step.arenaL1) << " (budget " << kib(step.arenaL1Budget)
         << "), " << total - count - inL3 << " in the L2 arena, "
         << kib(step.arenaL2) << " (budget " << kib(step.l2ArenaBudget)
         << ", with the L2 copies of those in L3), " << inL3
         << " in the L3 arena, " << kib(step.arenaL3) << " (each staged "
         << "through a copy in L2 around each op that uses it; the L3 "
            "channel moved "
         << run.simL3Bytes << " B in " << run.simL3Transfers
         << " transfers, " << run.simL3Cycles
         << " cycles, the state's included)\n";
    else if (count == total || count == 0)
      os << "all " << total << " in the " << (count ? "L1" : "L2")
         << " arena, " << kib(count ? step.arenaL1 : step.arenaL2)
         << " (L1 budget " << kib(step.arenaL1Budget) << ")\n";
    else
      os << count << " of " << total << " in the L1 arena, "
         << kib(step.arenaL1) << " (budget " << kib(step.arenaL1Budget)
         << "), the others in the L2 arena, " << kib(step.arenaL2)
         << "; L1 saves them " << saved
         << " DMA cycles a step by the cost model\n";
    if ((count > 0 && count < total) || inL3)
      for (const CompiledStep::Temporary &temporary : step.temporaries)
        os << "  " << llvm::left_justify(temporary.name, 24) << " "
           << llvm::right_justify(std::to_string(temporary.bytes), 8)
           << " B  " << memoryOf(temporary) << "  ops #"
           << temporary.first << "-#" << temporary.last << ", saves "
           << temporary.savedCycles << " cycles in L1\n";
  }
  return ok;
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

namespace {

llvm::json::Object countersJson(const Counters &c) {
  return llvm::json::Object{{"calls", int64_t(c.calls)},
                            {"cycles", int64_t(c.cycles)},
                            {"instructions", int64_t(c.instr)},
                            {"load_stalls", int64_t(c.ldStall)},
                            {"tcdm_contentions", int64_t(c.tcdmCont)},
                            {"l2_accesses", int64_t(c.l2Access)},
                            {"mac_instructions", int64_t(c.macs)}};
}

/// With the per-region extras of hasRegionExtras().
llvm::json::Object countersJson(const Counters &c, bool extras) {
  llvm::json::Object o = countersJson(c);
  if (extras) {
    o["icache_misses"] = int64_t(c.icacheMiss);
    o["fpu_contentions"] = int64_t(c.fpuCont);
  }
  return o;
}

} // namespace

llvm::json::Value mlir::pulptrain::run::reportJson(const CompiledStep &step,
                                                   const RunOutput &run,
                                                   const Golden *golden,
                                                   const Options &options) {
  llvm::json::Array regions;
  for (const ProfileRegion &region : step.regions)
    regions.push_back(llvm::json::Object{{"id", int64_t(region.id)},
                                         {"layer", region.layer},
                                         {"phase", region.phase},
                                         {"macs", region.macs}});
  bool haveRef = golden && golden->losses.size() >= options.steps;
  llvm::json::Array steps;
  for (unsigned s = 0; s < options.steps; ++s) {
    llvm::json::Object entry{
        {"step", int64_t(s)},
        {"loss", run.losses[s]},
        {"loss_bits", llvm::formatv("{0:x}", run.lossBits[s]).str()}};
    if (haveRef)
      entry["reference_loss"] = golden->losses[s];
    if (!options.qemu) {
      llvm::json::Array perRegion;
      for (const ProfileRegion &region : step.regions) {
        llvm::json::Object c = countersJson(run.counters[s][region.id],
                                             hasRegionExtras(options));
        c["id"] = int64_t(region.id);
        perRegion.push_back(std::move(c));
      }
      entry["regions"] = std::move(perRegion);
      entry["total"] = countersJson(run.counters[s][step.regions.size()],
                                    hasRegionExtras(options));
    }
    steps.push_back(std::move(entry));
  }
  llvm::json::Object params;
  for (const auto &[name, hash] : run.paramHashes)
    params[name] = hash;
  llvm::json::Object doc{
      {"config",
       llvm::json::Object{
           {"cores", int64_t(options.qemu ? 1 : options.cores)},
           {"steps", int64_t(options.steps)},
           {"dtype", step.dtype},
           {"saved_activations", step.savedActivations},
           {"target",
            options.target == TargetKind::Riscv32 ? "riscv32" : "riscv32-std"},
           {"runner", options.qemu ? "qemu-riscv32" : "pulptrain-sim"},
           {"preset", options.qemu ? "" : options.preset},
           {"memory", options.memory},
           {"profile", options.profileAllCores ? "all-cores" : "core0"},
           {"model",
            golden && !golden->model.empty() ? golden->model : options.input}}},
      {"regions", std::move(regions)},
      {"steps", std::move(steps)},
      {"simulator_totals",
       run.haveSimTotals
           ? llvm::json::Value(llvm::json::Object{
                 {"cycles", int64_t(run.simCycles)},
                 {"icache_misses", int64_t(run.simIcacheMisses)},
                 {"fpu_contentions", int64_t(run.simFpuContentions)},
                 {"tcdm_contentions", int64_t(run.simTcdmContentions)},
                 {"l3_transfers", int64_t(run.simL3Transfers)},
                 {"l3_bytes", int64_t(run.simL3Bytes)},
                 {"l3_dma_cycles", int64_t(run.simL3Cycles)}})
           : llvm::json::Value(nullptr)},
      {"final_param_fnv1a", std::move(params)}};
  if (!run.paramValues.empty()) {
    llvm::json::Object values;
    for (const auto &[name, param] : run.paramValues)
      values[name] = llvm::json::Array(param);
    doc["final_params"] = std::move(values);
  }
  if (run.haveMemory)
    doc["memory"] =
        llvm::json::Object{{"l2_size", int64_t(run.l2Size)},
                           {"l2_program_image", int64_t(run.l2Static)},
                           {"l2_heap_peak", int64_t(run.l2HeapPeak)},
                           {"l1_size", int64_t(run.l1Size)},
                           {"l1_data", int64_t(run.l1Static)},
                           {"l1_heap_peak", int64_t(run.l1HeapPeak)},
                           {"l1_arena", step.arenaL1},
                           {"l2_arena", step.arenaL2},
                           {"l3_arena", step.arenaL3},
                           {"l2_arena_budget", step.l2ArenaBudget},
                           {"arena_live_bound", step.arenaLiveBound},
                           {"l1_tiles", step.l1Tiles},
                           {"l1_stacks", int64_t(run.cores * 2048)},
                           {"l3_size", options.l3Bytes},
                           {"l3_state", [&] {
                              int64_t bytes = 0;
                              for (const auto &buffer : step.state)
                                bytes += buffer.inL3 ? buffer.bytes : 0;
                              return bytes;
                            }()},
                           {"l2_state_budget", step.l2StateBudget},
                           {"l3_staging", step.l3Staging}};
  if (!step.state.empty()) {
    llvm::json::Array buffers;
    for (const CompiledStep::StateBuffer &buffer : step.state)
      buffers.push_back(llvm::json::Object{{"name", buffer.name},
                                           {"bytes", buffer.bytes},
                                           {"memory", buffer.inL1   ? "L1"
                                                      : buffer.inL3 ? "L3"
                                                                    : "L2"},
                                           {"uses", buffer.uses},
                                           {"in_place", buffer.inPlace}});
    doc["state"] = llvm::json::Object{{"l1_budget", step.l1StateBudget},
                                      {"buffers", std::move(buffers)}};
  }
  if (!step.temporaries.empty()) {
    llvm::json::Array buffers;
    for (const CompiledStep::Temporary &temporary : step.temporaries)
      buffers.push_back(
          llvm::json::Object{{"name", temporary.name},
                             {"bytes", temporary.bytes},
                             {"memory", temporary.inL1   ? "L1"
                                        : temporary.inL3 ? "L3"
                                                         : "L2"},
                             {"offset", temporary.offset},
                             {"first", temporary.first},
                             {"last", temporary.last},
                             {"saved_cycles", temporary.savedCycles}});
    doc["temporaries"] = llvm::json::Object{{"l1_budget", step.arenaL1Budget},
                                            {"buffers", std::move(buffers)}};
  }
  return doc;
}

//===----------------------------------------------------------------------===//
// SVG
//===----------------------------------------------------------------------===//

namespace {

std::string escapeXml(StringRef text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '&':
      out += "&amp;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out.push_back(c);
    }
  }
  return out;
}

/// A round axis maximum >= `value` whose fifths are round too.
double niceCeiling(double value) {
  if (value <= 0)
    return 1;
  double p = std::pow(10.0, std::floor(std::log10(value)));
  for (double m : {1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0})
    if (m * p >= value)
      return m * p;
  return 10 * p;
}

} // namespace

std::string mlir::pulptrain::run::reportSvg(const CompiledStep &step,
                                            const RunOutput &run,
                                            StringRef title) {
  static const char *const palette[] = {
      "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
      "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#d62728"};
  constexpr unsigned kPalette = sizeof(palette) / sizeof(palette[0]);
  unsigned steps = run.counters.size();
  unsigned numRegions = step.regions.size();
  const double left = 80, top = 56, plotW = 560, plotH = 300, legendW = 220;
  double width = left + plotW + legendW, height = top + plotH + 60;
  uint64_t maxCycles = 1;
  for (const std::vector<Counters> &perStep : run.counters)
    maxCycles = std::max(maxCycles, perStep[numRegions].cycles);
  double axisMax = niceCeiling(double(maxCycles));

  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
                     "height=\"%.0f\" font-family=\"sans-serif\" "
                     "font-size=\"11\">\n",
                     width, height);
  os << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  os << llvm::format("<text x=\"%.0f\" y=\"20\" font-size=\"13\">", left)
     << escapeXml(title) << "</text>\n";
  os << llvm::format("<text x=\"%.0f\" y=\"38\">", left)
     << "Cycles per layer and step (bar segments bottom to top in the order "
        "of the step; hover for the numbers)</text>\n";
  // Axes and grid.
  for (unsigned i = 0; i <= 5; ++i) {
    double value = axisMax * i / 5, y = top + plotH - plotH * i / 5;
    os << llvm::format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                       "y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                       left, y, left + plotW, y);
    os << llvm::format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
                       "%.0f</text>\n",
                       left - 6, y + 4, value);
  }
  os << llvm::format("<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 "
                     "%.1f)\" text-anchor=\"middle\">cycles</text>\n",
                     top + plotH / 2, top + plotH / 2);
  // One stacked bar per step: the regions, then the rest of the step.
  double slot = plotW / std::max(1u, steps), barW = slot * 0.7;
  for (unsigned s = 0; s < steps; ++s) {
    double x = left + slot * s + (slot - barW) / 2, y = top + plotH;
    uint64_t inRegions = 0;
    auto bar = [&](uint64_t cycles, const char *color, StringRef label) {
      double h = plotH * double(cycles) / axisMax;
      y -= h;
      os << llvm::format("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                         "height=\"%.2f\" fill=\"%s\"><title>",
                         x, y, barW, h, color)
         << "step " << s << ", " << escapeXml(label) << ": " << cycles
         << " cycles</title></rect>\n";
    };
    for (const ProfileRegion &region : step.regions) {
      uint64_t cycles = run.counters[s][region.id].cycles;
      inRegions += cycles;
      bar(cycles, palette[region.id % kPalette],
          region.layer + " " + region.phase);
    }
    uint64_t whole = run.counters[s][numRegions].cycles;
    bar(whole > inRegions ? whole - inRegions : 0, "#cccccc", "outside");
    os << llvm::format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
                       "%u</text>\n",
                       x + barW / 2, top + plotH + 16, s);
  }
  os << llvm::format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
                     "step</text>\n",
                     left + plotW / 2, top + plotH + 36);
  // Legend, top to bottom in stacking order reversed (as the bars read).
  double ly = top;
  auto legend = [&](const char *color, StringRef label) {
    os << llvm::format("<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" "
                       "height=\"12\" fill=\"%s\"/>\n",
                       left + plotW + 20, ly, color);
    os << llvm::format("<text x=\"%.1f\" y=\"%.1f\">", left + plotW + 38,
                       ly + 10)
       << escapeXml(label) << "</text>\n";
    ly += 18;
  };
  legend("#cccccc", "outside regions");
  for (const ProfileRegion &region : llvm::reverse(step.regions))
    legend(palette[region.id % kPalette], region.layer + " " + region.phase);
  os << "</svg>\n";
  return text;
}
