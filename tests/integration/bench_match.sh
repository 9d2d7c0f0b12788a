# bench_match.sh - the matcher on the shared workload gives the same topics
# as verifying every topic and the same hits and spans as the reference
# evaluator: `bench_match --quick` (2,000 posts, the shared 1,000 and
# 10,000 topics) checked for its verdicts only, never for its timings
# (`make bench` prints those).
. "$(dirname "$0")/lib.sh"
bench=$(dirname "$HORCH_BIN")/bench/bench_match
[ -x "$bench" ] || skip_all "bench_match is not built"
[ -r "$HORCH_SOURCE_ROOT/../shared/bench/posts.jsonl" ] || skip_all "shared workload absent (../shared/bench)"
out=$(HORCH_BENCH_RUNS=1 "$bench" --quick 2>&1)
ok $? "bench_match-1 bench_match --quick exits 0 (no difference found)"
is "$(printf '%s\n' "$out" | grep -c '^check .* ok: the matcher.s topics equal MATCH_EVERY.s')" 2 \
  "bench_match-2 the 1k and 10k matchers equal MATCH_EVERY on the posts checked"
like "$out" 'check +ok: matcher equals query_ref_match\(\) on 300000 post x topic pairs' \
  "bench_match-3 the 1k matcher equals the reference on 300 posts x 1,000 topics, spans included"
like "$out" 'matches/post +28\.' "bench_match-4 the 10k set matches about 28 topics a post, as the workload's README says"
unlike "$out" 'DIFF' "bench_match-5 no difference printed"
done_testing
