#!/usr/bin/env python3
"""manifest_table.py MANIFEST: prints a manifest of pulptrain-translate
--mlir-to-manifest as one line per function ("name arguments results") and
one indented line per parameter with every field, for FileCheck."""
import json
import sys

FIELDS = ("kind", "index", "name", "role", "tensor", "trainable",
          "element_type", "c_type", "shape", "elements", "bytes", "buffer",
          "macro")

with open(sys.argv[1]) as f:
  manifest = json.load(f)
print(manifest["format"])
for func in manifest["functions"]:
  print(func["name"], func["arguments"], func["results"])
  for param in func["params"]:
    print("  " + " ".join(str(param.get(k, "-")) for k in FIELDS))
