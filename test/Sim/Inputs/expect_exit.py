#!/usr/bin/env python3
"""expect_exit.py CODE CMD...: runs CMD (stdout/stderr passed through) and
succeeds only if its exit status is CODE."""
import subprocess
import sys

code = int(sys.argv[1])
rc = subprocess.run(sys.argv[2:]).returncode
if rc != code:
  sys.stderr.write("expected exit status %d, got %d\n" % (code, rc))
  sys.exit(1)
