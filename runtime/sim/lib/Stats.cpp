//===- Stats.cpp - Counter summary and JSON report ------------------------===//

#include "pulptrain/sim/Stats.h"

#include <cerrno>
#include <cstring>

using namespace pulptrain::sim;

namespace {

uint64_t value(const Cluster &cl, const RunResult &res, unsigned core,
               unsigned counter) {
  if (counter == CntCycles)
    return res.cycles;
  return cl.core(core).counters.total[counter];
}

uint64_t total(const Cluster &cl, const RunResult &res, unsigned counter) {
  if (counter == CntCycles)
    return res.cycles;
  uint64_t sum = 0;
  for (unsigned i = 0; i < cl.numCores(); ++i)
    sum += value(cl, res, i, counter);
  return sum;
}

} // namespace

void pulptrain::sim::printSummary(FILE *out, Cluster &cl,
                                  const RunResult &res) {
  fprintf(out, "==== pulptrain-sim summary ====\n");
  fprintf(out,
          "cores %u, cycles %llu, instructions %llu, exit code %u, preset "
          "%s\n",
          cl.numCores(), (unsigned long long)res.cycles,
          (unsigned long long)total(cl, res, CntInstr), res.exitCode,
          cl.config().preset.c_str());
  fprintf(out, "%-18s %14s", "counter", "total");
  for (unsigned i = 0; i < cl.numCores(); ++i)
    fprintf(out, " %11s%-2u", "core", i);
  fprintf(out, "\n");
  for (unsigned c = 0; c < NumCounters; ++c) {
    fprintf(out, "%-18s %14llu", counterName(c),
            (unsigned long long)total(cl, res, c));
    for (unsigned i = 0; i < cl.numCores(); ++i)
      fprintf(out, " %13llu", (unsigned long long)value(cl, res, i, c));
    fprintf(out, "\n");
  }
  fprintf(out, "%-18s %14llu\n", "dma_transfers",
          (unsigned long long)cl.dma().transfers());
  fprintf(out, "%-18s %14llu\n", "dma_bytes",
          (unsigned long long)cl.dma().bytesMoved());
  if (cl.memory().l3Size()) {
    fprintf(out, "%-18s %14llu\n", "l3_dma_transfers",
            (unsigned long long)cl.l3Dma().transfers());
    fprintf(out, "%-18s %14llu\n", "l3_dma_bytes",
            (unsigned long long)cl.l3Dma().bytesMoved());
    fprintf(out, "%-18s %14llu\n", "l3_dma_busy",
            (unsigned long long)cl.l3Dma().busyCycles());
  }
}

bool pulptrain::sim::writeStatsJson(const std::string &path, Cluster &cl,
                                    const RunResult &res, std::string &error) {
  FILE *f = fopen(path.c_str(), "w");
  if (!f) {
    error = "cannot write '" + path + "': " + strerror(errno);
    return false;
  }
  const SimConfig &c = cl.config();
  uint64_t instr = total(cl, res, CntInstr);
  fprintf(f, "{\n  \"config\": {\"cores\": %u, \"l1_size\": %u, "
             "\"l2_size\": %u, \"l1_banks\": %u, \"l2_latency\": %u, "
             "\"load_use_stall\": %u, \"branch_penalty\": %u, "
             "\"jump_penalty\": %u, \"mulh_cycles\": %u, \"div_cycles\": %u, "
             "\"fp_latency\": %u, \"fdiv_cycles\": %u, "
             "\"barrier_latency\": %u, \"dispatch_latency\": %u, "
             "\"dma_bytes_per_cycle\": %u, \"dma_setup_cycles\": %u, "
             "\"dma_ports\": %u, \"fpus\": %u, \"fpu_issue_interval\": %u, "
             "\"fdiv_units\": %u, \"icache\": %s, "
             "\"icache_l0\": [%u, %u], \"icache_l1\": [%u, %u, %u], "
             "\"icache_line_bytes\": %u, \"icache_l0_refill\": %u, "
             "\"icache_l1_refill\": %u, "
             "\"max_cycles\": %llu, \"l3_size\": %u, "
             "\"l3_bytes_per_cycle\": %u, \"l3_latency\": %u},\n",
          c.cores, c.l1Size, c.l2Size, cl.memory().banks(), c.l2Latency,
          c.loadUseStall, c.branchPenalty, c.jumpPenalty, c.mulhCycles,
          c.divCycles, c.fpLatency, c.fdivCycles, c.barrierLatency,
          c.dispatchLatency, c.dmaBytesPerCycle, c.dmaSetupCycles, c.dmaPorts,
          c.fpus, c.fpuIssueInterval, c.fdivUnits,
          c.icache ? "true" : "false", c.icacheL0Sets, c.icacheL0Ways,
          c.icacheL1Banks, c.icacheL1Sets, c.icacheL1Ways, c.icacheLineBytes,
          c.icacheL0Refill, c.icacheL1Refill, (unsigned long long)c.maxCycles,
          c.l3Size, c.l3BytesPerCycle, c.l3Latency);
  fprintf(f, "  \"preset\": \"%s\",\n", c.preset.c_str());
  fprintf(f, "  \"exit_code\": %u,\n  \"cycles\": %llu,\n", res.exitCode,
          (unsigned long long)res.cycles);
  fprintf(f, "  \"host_seconds\": %.6f,\n  \"mips\": %.3f,\n", res.hostSeconds,
          res.hostSeconds > 0 ? double(instr) / res.hostSeconds / 1e6 : 0.0);
  fprintf(f, "  \"dma\": {\"transfers\": %llu, \"bytes\": %llu, "
             "\"busy_cycles\": %llu},\n",
          (unsigned long long)cl.dma().transfers(),
          (unsigned long long)cl.dma().bytesMoved(),
          (unsigned long long)cl.dma().busyCycles());
  fprintf(f, "  \"l3_dma\": {\"transfers\": %llu, \"bytes\": %llu, "
             "\"busy_cycles\": %llu},\n",
          (unsigned long long)cl.l3Dma().transfers(),
          (unsigned long long)cl.l3Dma().bytesMoved(),
          (unsigned long long)cl.l3Dma().busyCycles());
  fprintf(f, "  \"total\": {");
  for (unsigned k = 0; k < NumCounters; ++k)
    fprintf(f, "%s\"%s\": %llu", k ? ", " : "", counterName(k),
            (unsigned long long)total(cl, res, k));
  fprintf(f, "},\n  \"per_core\": [\n");
  for (unsigned i = 0; i < cl.numCores(); ++i) {
    fprintf(f, "    {\"core\": %u", i);
    for (unsigned k = 0; k < NumCounters; ++k)
      fprintf(f, ", \"%s\": %llu", counterName(k),
              (unsigned long long)value(cl, res, i, k));
    fprintf(f, "}%s\n", i + 1 < cl.numCores() ? "," : "");
  }
  fprintf(f, "  ]\n}\n");
  bool ok = fclose(f) == 0;
  if (!ok)
    error = "cannot write '" + path + "'";
  return ok;
}
