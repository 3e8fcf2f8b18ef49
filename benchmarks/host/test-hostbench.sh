#!/usr/bin/env bash
# Smoke test of the host benchmarks (a few seconds): builds hostbench through run-host.sh,
# runs it in --quick mode, and checks that each measure (ctxswitch, fork, cow) produced
# rows whose values are positive finite numbers, and that nothing was printed to stderr.
# Prints "hostbench: N passed, M failed"; exits non-zero if anything failed.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$HERE/run-host.sh" --quick --csv "$work/host.csv" >"$work/stdout" 2>"$work/stderr"
rc=$?
if [ $rc -ne 0 ] || [ -s "$work/stderr" ]; then
  echo "hostbench: run-host.sh --quick exited $rc; stderr:"
  sed 's/^/  /' "$work/stderr"
fi

passed=0 failed=0
for measure in ctxswitch fork cow; do
  # A value passes if it is a plain decimal number > 0 (rejects inf, nan, empty, negative).
  verdict=$( [ -f "$work/host.csv" ] && awk -F, -v m="$measure" '
    NR > 1 && $1 == m { n++; if ($5 !~ /^[0-9]+(\.[0-9]+)?$/ || $5 + 0 <= 0) { bad++; ex = $0 } }
    END { if (!n) print "no rows"; else if (bad) print bad " of " n " rows bad, e.g. " ex; else print "ok " n }
  ' "$work/host.csv" || echo "no CSV written")
  if [ $rc -eq 0 ] && [ ! -s "$work/stderr" ] && [ "${verdict%% *}" = ok ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "hostbench: FAIL $measure: $verdict"
  fi
done
echo "hostbench: $passed passed, $failed failed"
[ $failed -eq 0 ]
