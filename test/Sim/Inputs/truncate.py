#!/usr/bin/env python3
"""truncate.py IN OUT N: writes the first N bytes of IN to OUT."""
import sys
data = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(data[:int(sys.argv[3])])
