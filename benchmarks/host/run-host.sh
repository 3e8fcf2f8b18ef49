#!/usr/bin/env bash
# Host-kernel measurements for the simulator comparison of issue 6 (see README.md here).
#
#   benchmarks/host/run-host.sh [--quick] [--repeats R] [--csv FILE] [--raw FILE]
#
# Builds hostbench.c into benchmarks/host/target/ when the binary is missing or older than
# the source, runs ctxswitch, fork (pages 0 = fixed cost, then 1k..256k) and cow
# (1k..256k), and prints a min/median/max table.
#   --quick       smoke mode: small page counts, 2 repeats, short hand-off loops (~1 s)
#   --repeats R   repeats per measure (default 5)
#   --csv FILE    also write every repeat as rows: measure,variant,pages,repeat,value,unit
#   --raw FILE    also keep hostbench's own key=value lines
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC="$HERE/hostbench.c"
OUT="$HERE/target"        # outside the source files; ignored by the root .gitignore (target/)
BIN="$OUT/hostbench"
CC=${CC:-gcc}

usage() { sed -n '4,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { printf 'run-host: %s\n' "$*" >&2; exit 2; }

quick=0 repeats="" csv="" raw=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --repeats) [ $# -ge 2 ] || die "--repeats needs a value"; repeats=$2; shift ;;
    --csv) [ $# -ge 2 ] || die "--csv needs a file"; csv=$2; shift ;;
    --raw) [ $# -ge 2 ] || die "--raw needs a file"; raw=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (try --help)" ;;
  esac
  shift
done

if [ "$quick" = 1 ]; then
  repeats=${repeats:-2}; iterations=10000
  fork_pages=(0 1024 4096); cow_pages=(1024 4096)
else
  repeats=${repeats:-5}; iterations=100000
  fork_pages=(0 1024 4096 16384 65536 262144); cow_pages=(1024 4096 16384 65536 262144)
fi
case "$repeats" in ''|*[!0-9]*|0) die "--repeats wants a positive integer" ;; esac

# Build only when needed, so repeated runs measure rather than compile.
if [ ! -x "$BIN" ] || [ "$SRC" -nt "$BIN" ]; then
  mkdir -p "$OUT"
  "$CC" -std=gnu11 -O2 -Wall -Wextra -o "$BIN" "$SRC" -pthread
fi

log=$(mktemp "$OUT/run.XXXXXX")
trap 'rm -f "$log"' EXIT

printf 'hostbench on %s, %s CPUs, Linux %s, repeats %s%s\n' \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)" "$(nproc)" \
  "$(uname -r)" "$repeats" "$([ "$quick" = 1 ] && echo ', quick mode' || true)"

"$BIN" ctxswitch --iterations "$iterations" --repeats "$repeats" >>"$log"
for p in "${fork_pages[@]}"; do "$BIN" fork --pages "$p" --repeats "$repeats" >>"$log"; done
for p in "${cow_pages[@]}"; do "$BIN" cow --pages "$p" --repeats "$repeats" >>"$log"; done

[ -z "$raw" ] || cp "$log" "$raw"

# Per-repeat lines -> CSV rows. Fields of a hostbench line are key=value after the measure.
if [ -n "$csv" ]; then
  awk '
    function kv(   i, a) { delete f; for (i = 2; i <= NF; i++) { split($i, a, "="); f[a[1]] = a[2] } }
    BEGIN { print "measure,variant,pages,repeat,value,unit" }
    $1 == "ctxswitch" { kv(); print "ctxswitch," f["variant"] ",," f["repeat"] "," f["switches_per_sec"] ",switches/s" }
    $1 == "fork" { kv()
      if (f["pages"] > 0) print "fork,per_page," f["pages"] "," f["repeat"] "," f["ns_per_page"] ",ns/page"
      print "fork,per_fork," f["pages"] "," f["repeat"] "," f["fork_ns"] ",ns" }
    $1 == "cow" { kv()
      print "cow,fault," f["pages"] "," f["repeat"] "," f["ns_per_fault"] ",ns/fault"
      print "cow,raw," f["pages"] "," f["repeat"] "," f["raw_ns_per_page"] ",ns/page"
      print "cow,nofault," f["pages"] "," f["repeat"] "," f["nofault_ns_per_page"] ",ns/page" }
  ' "$log" >"$csv"
fi

# Summary lines -> table. The fork fixed cost (pages=0) also gives the marginal per-page
# cost, (median fork_ns(P) - median fork_ns(0)) / P, printed as its own column.
awk '
  function kv(   i, a) { delete f; for (i = 2; i <= NF; i++) { split($i, a, "="); f[a[1]] = a[2] } }
  BEGIN { printf "%-10s %-13s %7s %-11s %12s %12s %12s\n", "measure", "variant", "pages", "unit", "min", "median", "max" }
  function row(m, v, p, u) { printf "%-10s %-13s %7s %-11s %12.1f %12.1f %12.1f\n", m, v, p, u, f["min"], f["median"], f["max"] }
  $1 != "summary" { next }
  { kv() }
  $2 == "ctxswitch" { row("ctxswitch", f["variant"], "-", "switches/s") }
  $2 == "fork" && f["measure"] == "fork_ns" && f["pages"] == 0 { base = f["median"]; row("fork", "per_fork", 0, "ns") }
  $2 == "fork" && f["measure"] == "fork_ns" && f["pages"] > 0 { np++; P[np] = f["pages"]; M[np] = f["median"] }
  $2 == "fork" && f["measure"] == "ns_per_page" { row("fork", "per_page", f["pages"], "ns/page") }
  $2 == "cow" { row("cow", "fault", f["pages"], "ns/fault") }
  END {
    if (np && base != "") {
      printf "\nfork marginal cost per page, (median fork_ns(P) - median fork_ns(0)) / P:\n"
      for (i = 1; i <= np; i++) printf "  pages=%-7d %8.1f ns/page\n", P[i], (M[i] - base) / P[i]
    }
  }
' "$log"
[ -z "$csv" ] || printf '\nCSV: %s\n' "$csv"
