# spikes.sh - horch eval spikes on the Numenta Anomaly Benchmark's Twitter
# volume series (../shared/data/nab-realtweets): the command prints a NAB
# score per series and an overall line for the spike detector and for the
# windowed Gaussian baseline, and refuses bad input naming file and line.
# Skips without HORCH_SHARED.
. "$(dirname "$0")/lib.sh"
[ -n "${HORCH_SHARED:-}" ] || skip_all "HORCH_SHARED is not set"
nab=$HORCH_SHARED/nab-realtweets
[ -d "$nab/realTweets" ] || skip_all "$nab is absent"
labels=$nab/labels/combined_windows.json

out=$(horch eval spikes "$nab/realTweets" --labels "$labels")
ok $? "spikes-1.1 eval spikes runs"
for s in AMZN CRM CVS FB KO PFE; do
	like "$out" "Twitter_volume_$s.csv" "spikes-1.2 a line for $s"
done
like "$out" "overall" "spikes-1.3 an overall line"
like "$out" "horch spike detector: NAB score" "spikes-1.4 the detector's score and threshold"
like "$out" "windowed Gaussian .baseline.: NAB score" "spikes-1.5 the baseline's"

json=$(horch eval spikes "$nab/realTweets" --labels "$labels" --json)
ok $? "spikes-2.1 --json"
n=$(printf '%s' "$json" | jq '[.detectors[] | .series | length] | add')
is "$n" 12 "spikes-2.2 six series for each of the two detectors"
sc=$(printf '%s' "$json" | jq '.detectors[0].score')
ok "$(awk -v a="$sc" 'BEGIN { print (a > 0 && a <= 100) ? 0 : 1 }')" \
	"spikes-2.3 the detector's score $sc is in (0, 100]"

mkdir "$T/bad"
printf 'timestamp,value\n2015-03-01 00:00:00,5\n2015-03-01 00:05:00,five\n' \
	> "$T/bad/Twitter_volume_KO.csv"
out=$(horch eval spikes "$T/bad" --labels "$labels" 2>&1)
is $? 1 "spikes-3.1 a bad row is an error"
like "$out" "Twitter_volume_KO.csv:3: the value 'five'" "spikes-3.2 naming file and line"
out=$(horch eval spikes "$T/bad" 2>&1)
is $? 2 "spikes-3.3 --labels is required"
done_testing
