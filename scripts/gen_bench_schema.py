#!/usr/bin/env python3
"""Writes a synthetic .strata schema of N entities (about 10 fields and 2 relations each)
for benchmarks. Deterministic: the same N gives the same file."""
import sys

def main() -> None:
    n = int(sys.argv[1])
    out = sys.argv[2]
    types = ["text(100)", "int", "bigint", "bool = false", "timestamptz?", "numeric(12, 2)",
             "uuid?", "jsonb?", "email", "date?"]
    lines = ["conventions { primary_key uuid }", ""]
    for i in range(n):
        lines.append(f"/// Entity number {i}.")
        lines.append(f"entity E{i} {{")
        for f in range(10):
            lines.append(f"  f{f} {types[(i + f) % len(types)]}")
        if i > 0:
            lines.append(f"  parent -> E{(i * 7) % i} on delete cascade")
        if i > 1:
            lines.append(f"  other -> E{(i * 13) % (i - 1)}? on delete set null")
        lines.append(f"  access by_f1 10/s \"\"\"SELECT id, f0 FROM e{i}s WHERE f1 = $1 ORDER BY created_at DESC LIMIT 10\"\"\"")
        lines.append("}")
        lines.append("")
    with open(out, "w") as fh:
        fh.write("\n".join(lines))

if __name__ == "__main__":
    main()
