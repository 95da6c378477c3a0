#!/usr/bin/env bash
# compare.sh: the same N tasks at the same concurrency through `xargs -P`, GNU parallel and
# `fleetrun local`, in one run, runner order rotated per repetition; prints medians and the ratios
# fleetrun/xargs and fleetrun/parallel of throughput (tasks/s), then fleetrun's submit-to-start
# p50/p99 and worker RSS/threads from a closed-loop `fleetrun loadtest steps` run at the same
# concurrency. See loadtest/README.md.
#
#   loadtest/bench/compare.sh [-n N] [-c C] [-r R] [-w true,sleep,cpu] [-o results.csv] [-L] [-u URL]
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: compare.sh [-n N] [-c C] [-r R] [-w WORKLOADS] [-o FILE] [-L] [-u URL]
  -n N          tasks per run (default 2000)
  -c C          concurrency: xargs -P C, parallel -j C, fleetrun --max-children C (default 22)
  -r R          repetitions; runner order rotates each repetition (default 3)
  -w WORKLOADS  comma list of: true, sleep (sleep 0.05), cpu (a shell loop) (default all three)
  -o FILE       also write the results as CSV (and the latency table as FILE minus .csv plus -latency.csv)
  -L            skip the closed-loop latency run (fleetrun loadtest steps) after the timed runs
  -u URL        also run every batch through a running (multi-process) fleet via its coordinator at URL
                (fleetrun submit --watch; its workers' caps are theirs: start them with --max-children C)
Every runner runs each task as `sh -c CMD`. xargs and parallel are timed around the command
(date +%s.%N). fleetrun is reported twice: `fleetrun` = first task start to last task end from
its --joblog; `fleetrun-wall` = the whole `fleetrun local` command (JVM, Kafka broker start,
submit, run, report, shutdown). Then, per workload, `fleetrun loadtest steps --steps C --tasks N`
keeps exactly C of the same tasks in flight and reports submit-to-start p50/p99 (the path's
latency without a backlog) and the worker process's peak RSS and threads (from its telemetry).
EOF
}

n=2000 c=22 reps=3 workloads=true,sleep,cpu csv="" latency=1 cluster=""
while getopts 'n:c:r:w:o:Lu:h' opt; do
  case "$opt" in
    n) n=$OPTARG ;; c) c=$OPTARG ;; r) reps=$OPTARG ;; w) workloads=$OPTARG ;; o) csv=$OPTARG ;; L) latency=0 ;;
    u) cluster=$OPTARG ;;
    h) usage; exit 0 ;; *) usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || { usage >&2; exit 2; }
for v in "$n" "$c" "$reps"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: -n, -c and -r take positive integers" >&2; exit 2; }
done

workload_cmd() {
  case "$1" in
    true) echo 'true' ;;
    sleep) echo 'sleep 0.05' ;;
    cpu) echo 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done' ;;
    *) return 1 ;;
  esac
}
IFS=, read -r -a wl <<<"$workloads"
for w in "${wl[@]}"; do
  workload_cmd "$w" >/dev/null || { echo "compare.sh: unknown workload '$w' (true, sleep, cpu)" >&2; exit 2; }
done

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
fleetrun="$root/fleetrun"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/fleetrun-compare.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
log() { echo "compare.sh: $*" >&2; }

# GNU parallel: install it when missing and we are root, else leave it out.
have_parallel=1
if ! command -v parallel >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "GNU parallel missing: apt-get install -y -q parallel"
    if ! { apt-get update -q && apt-get install -y -q parallel; } >"$tmp/apt.log" 2>&1; then
      tail -5 "$tmp/apt.log" >&2
      log "could not install GNU parallel: SKIPPING the parallel runner"; have_parallel=0
    fi
  else
    log "GNU parallel not installed and not root: SKIPPING the parallel runner"; have_parallel=0
  fi
fi
runners=(xargs fleetrun)
[ "$have_parallel" = 1 ] && runners=(xargs parallel fleetrun)
if [ -n "$cluster" ]; then
  "$fleetrun" status --coordinator "$cluster" >/dev/null 2>&1 \
    || { log "-u $cluster: no coordinator answers there"; exit 2; }
  runners+=(cluster)
fi

# Build the jar (if needed) before anything is timed.
"$fleetrun" --version >/dev/null || { log "$fleetrun does not run"; exit 3; }
fr_opts=(--max-children "$c" --no-progress)
[ "$c" -lt 23 ] || fr_opts+=(--threshold $((c + 1)))   # fleetrun refuses a cap at its threshold

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
results="$tmp/results.tsv"   # workload runner rep seconds
: >"$results"

run_xargs() {
  local t0 t1
  t0=$(now)
  seq "$n" | xargs -P "$c" -I{} sh -c "$cmd" >/dev/null 2>"$tmp/xargs.err" \
    || { log "xargs failed:"; tail -5 "$tmp/xargs.err" >&2; exit 1; }
  t1=$(now)
  printf '%s\txargs\t%s\t%s\n' "$w" "$rep" "$(elapsed "$t0" "$t1")" >>"$results"
}

run_parallel() {
  local t0 t1
  t0=$(now)
  seq "$n" | parallel --will-cite -q -j "$c" -N0 sh -c "$cmd" >/dev/null 2>"$tmp/parallel.err" \
    || { log "parallel failed:"; tail -5 "$tmp/parallel.err" >&2; exit 1; }
  t1=$(now)
  printf '%s\tparallel\t%s\t%s\n' "$w" "$rep" "$(elapsed "$t0" "$t1")" >>"$results"
}

run_fleetrun() {
  local t0 t1 jl="$tmp/joblog.tsv" span
  rm -f "$jl"
  t0=$(now)
  "$fleetrun" local "$batch" "${fr_opts[@]}" --joblog "$jl" >"$tmp/fleetrun.log" 2>&1 \
    || { log "fleetrun local failed (exit $?):"; tail -20 "$tmp/fleetrun.log" >&2; exit 1; }
  t1=$(now)
  # Joblog: Seq Host Starttime JobRuntime ... Exitval Signal Command; span = last end - first start.
  span=$(awk -F'\t' -v n="$n" 'NR > 1 { rows++; if ($7 == 0 && $8 == 0) ok++
      s = $3 + 0; e = s + $4; if (min == "" || s < min) min = s; if (e > max) max = e }
    END { if (rows != n || ok != n) { printf "bad joblog: %d rows, %d ok, want %d\n", rows, ok, n > "/dev/stderr"; exit 1 }
      printf "%.3f", max - min }' "$jl") || exit 1
  printf '%s\tfleetrun\t%s\t%s\n' "$w" "$rep" "$span" >>"$results"
  printf '%s\tfleetrun-wall\t%s\t%s\n' "$w" "$rep" "$(elapsed "$t0" "$t1")" >>"$results"
}

# A running fleet: the same batch through its coordinator; first start to last end from the joblog.
run_cluster() {
  local jl="$tmp/joblog-cluster.tsv" span
  rm -f "$jl"
  "$fleetrun" submit "$batch" --coordinator "$cluster" --watch --no-progress --joblog "$jl" >"$tmp/cluster.log" 2>&1 \
    || { log "fleetrun submit to $cluster failed (exit $?):"; tail -20 "$tmp/cluster.log" >&2; exit 1; }
  span=$(awk -F'\t' 'NR > 1 { s = $3 + 0; e = s + $4; if (min == "" || s < min) min = s; if (e > max) max = e }
    END { printf "%.3f", max - min }' "$jl")
  printf '%s\tfleetrun-cluster\t%s\t%s\n' "$w" "$rep" "$span" >>"$results"
}

log "$n tasks, concurrency $c, $reps repetition(s), workloads: ${wl[*]}, runners: ${runners[*]}"
for w in "${wl[@]}"; do
  cmd="$(workload_cmd "$w")"
  batch="$tmp/batch-$w.txt"
  for ((i = 0; i < n; i++)); do printf '%s\n' "$cmd"; done >"$batch"
  for ((rep = 1; rep <= reps; rep++)); do
    k=${#runners[@]} order=()
    for ((j = 0; j < k; j++)); do order+=("${runners[(j + rep - 1) % k]}"); done
    for runner in "${order[@]}"; do
      sleep 1   # let the previous runner's processes (a JVM, a broker) finish exiting
      "run_$runner"
      [ "$runner" != cluster ] || runner=fleetrun-cluster
      grep "^$w	$runner	$rep	" "$results" | awk -F'\t' -v n="$n" -v r="$reps" \
        '{ printf "compare.sh: [%s rep %d/%d] %-13s %8.3f s  %8.1f tasks/s\n", $1, $3, r, $2, $4, n / $4 }' >&2
      [ "$runner" != fleetrun ] || grep "^$w	fleetrun-wall	$rep	" "$results" | awk -F'\t' -v n="$n" -v r="$reps" \
        '{ printf "compare.sh: [%s rep %d/%d] %-13s %8.3f s  %8.1f tasks/s\n", $1, $3, r, $2, $4, n / $4 }' >&2
    done
  done
done

# Medians per workload and runner, then ratios of throughput against xargs and parallel.
summary="$tmp/summary.tsv"   # workload runner median_s tasks/s vs_xargs vs_parallel runs
for w in "${wl[@]}"; do
  for runner in xargs parallel fleetrun fleetrun-wall fleetrun-cluster; do
    awk -F'\t' -v w="$w" -v r="$runner" '$1 == w && $2 == r { print $4 }' "$results" | sort -g \
      | awk -v w="$w" -v r="$runner" '{ v[NR] = $1; all = all (NR > 1 ? ";" : "") $1 }
          END { if (NR == 0) exit; m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
                printf "%s\t%s\t%.3f\t%s\n", w, r, m, all }'
  done
done | awk -F'\t' -v n="$n" '{ w[NR] = $1; r[NR] = $2; m[NR] = $3; runs[NR] = $4; tps[NR] = n / $3
    if ($2 == "xargs" || $2 == "parallel") base[$1, $2] = n / $3 }
  function ratio(i, b) { return ((w[i], b) in base) ? sprintf("%.2f", tps[i] / base[w[i], b]) : "-" }
  END { for (i = 1; i <= NR; i++)
    printf "%s\t%s\t%.3f\t%.1f\t%s\t%s\t%s\n", w[i], r[i], m[i], tps[i], ratio(i, "xargs"), ratio(i, "parallel"), runs[i] }' >"$summary"

echo
echo "$n tasks, concurrency $c, median of $reps repetition(s), $(nproc) cores; tasks/s = $n / median_s"
printf '%-9s %-14s %9s %9s %9s %12s\n' workload runner median_s tasks/s vs_xargs vs_parallel
while IFS=$'\t' read -r w r m t vx vp _; do
  printf '%-9s %-14s %9s %9s %9s %12s\n' "$w" "$r" "$m" "$t" "$vx" "$vp"
done <"$summary"
echo
echo "vs_xargs / vs_parallel: this row's tasks/s divided by xargs' / parallel's (>1 = faster)."
echo "fleetrun:      first task start to last task end, from fleetrun's --joblog."
echo "fleetrun-wall: the whole 'fleetrun local' command, including JVM and Kafka broker start-up."
[ -z "$cluster" ] || echo "fleetrun-cluster: first task start to last task end through the running fleet at $cluster (warm JVMs)."
echo "fleetrun (local) starts cold JVMs every run: the JIT compiles during the measured batch."
echo "xargs, parallel: wall time of the whole command."
[ "$have_parallel" = 1 ] || echo "GNU parallel was not available: its column and row are left out."

# Closed loop at the same concurrency: fleetrun's own latency and worker figures (once per workload).
lt_rows="$tmp/loadtest.tsv"   # workload tasks/s s2s_p50 s2s_p99 rss_mb threads
: >"$lt_rows"
if [ "$latency" = 1 ]; then
  lt_opts=(--steps "$c" --tasks "$n")
  [ "$c" -lt 23 ] || lt_opts+=(--allow-over-threshold)
  for w in "${wl[@]}"; do
    out="$tmp/loadtest-$w"
    log "[$w] closed loop: fleetrun loadtest steps --steps $c --tasks $n"
    sleep 1
    "$fleetrun" loadtest steps --workload "$(workload_cmd "$w")" "${lt_opts[@]}" --out "$out" >"$tmp/loadtest.log" 2>&1 \
      || { log "fleetrun loadtest steps failed (exit $?):"; tail -20 "$tmp/loadtest.log" >&2; exit 1; }
    awk -F, -v w="$w" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
      { printf "%s\t%.1f\t%s\t%s\t%.0f\t%s\n", w, $h["tasks_per_s"], $h["submit_to_start_p50_ms"],
          $h["submit_to_start_p99_ms"], $h["worker_rss_max_bytes"] / 1048576, $h["worker_threads_max"] }' \
      "$out"/steps-*.csv >>"$lt_rows"
  done
  echo
  echo "fleetrun closed loop (fleetrun loadtest steps): exactly $c tasks in flight, $n tasks after a warm-up"
  printf '%-9s %9s %18s %18s %16s %15s\n' workload tasks/s submit_start_p50 submit_start_p99 worker_rss_MiB worker_threads
  while IFS=$'\t' read -r w t p50 p99 rss th; do
    printf '%-9s %9s %15s ms %15s ms %16s %15s\n' "$w" "$t" "$p50" "$p99" "$rss" "$th"
  done <"$lt_rows"
  echo "submit->start: the driver's POST to the worker's child running (HTTP, coordinator, Kafka, spawn), no backlog."
  echo "worker RSS/threads: peak of the worker's telemetry; its JVM also holds the load driver (not the coordinator)."
fi

if [ -n "$csv" ]; then
  { echo "workload,runner,tasks,concurrency,repetitions,median_s,tasks_per_s,vs_xargs,vs_parallel,runs_s"
    while IFS=$'\t' read -r w r m t vx vp runs; do
      echo "$w,$r,$n,$c,$reps,$m,$t,$vx,$vp,$runs"
    done <"$summary"; } >"$csv"
  echo "CSV written to $csv"
  if [ -s "$lt_rows" ]; then
    lcsv="${csv%.csv}-latency.csv"
    { echo "workload,concurrency,tasks,closed_loop_tasks_per_s,submit_to_start_p50_ms,submit_to_start_p99_ms,worker_rss_max_mib,worker_threads_max"
      while IFS=$'\t' read -r w t p50 p99 rss th; do echo "$w,$c,$n,$t,$p50,$p99,$rss,$th"; done <"$lt_rows"; } >"$lcsv"
    echo "CSV written to $lcsv"
  fi
fi
