# user.sh - horch user and horch token as an administrator meets them:
# users with roles and passwords, one-time passwords, subscriptions, API
# tokens shown once and kept only as hashes.  The HTTP side (sign-in,
# roles, CSRF) is in the serve tests.
. "$(dirname "$0")/lib.sh"

db=$T/users.db
u() { horch --db "$db" user "$@"; }
tk() { horch --db "$db" token "$@"; }

# Adding users: a password from standard input, or a generated one.
printf 'lovelace-1815\n' | u add ada --role analyst --password-stdin 2>"$T/err"
is $? 0 "user-1.1 add with --password-stdin"
is "$(cat "$T/err")" "added user 'ada' (analyst, id 1)" "user-1.2 says what it added on stderr"
out=$(u add wall --role viewer 2>"$T/err"); is $? 0 "user-1.3 add without a terminal or flag"
like "$out" '^[A-Za-z0-9]{20}$' "user-1.4 prints a 20-character one-time password alone on stdout"
like "$(cat "$T/err")" "one-time password of 'wall'" "user-1.5 and says on stderr what it is"
onetime=$out
is "$(u list --json | jq -r 'select(.name=="wall") | .must_change_password')" true \
  "user-1.6 a generated password must be changed"
is "$(u list --json | jq -r 'select(.name=="ada") | .must_change_password')" false \
  "user-1.7 a given one need not"
is "$(u list --json | jq -r '[.name, .role] | join(":")' | tr '\n' ' ')" "ada:analyst wall:viewer " \
  "user-1.8 list --json: names and roles in name order"
is "$(u list | head -n 1 | tr -s ' ')" "id name role state created" "user-1.9 list: a table with a header"

# The database keeps no password in clear, only Argon2id hashes.
is "$(sqlite3 "$db" "SELECT count(*) FROM users WHERE pw_hash LIKE '\$argon2id\$%'")" 2 \
  "user-2.1 both passwords are stored as Argon2id hashes"
is "$(sqlite3 "$db" "SELECT count(*) FROM users WHERE pw_hash LIKE '%lovelace%' OR pw_hash LIKE '%$onetime%'")" 0 \
  "user-2.2 and nowhere in clear"

# Refusals.
err=$(printf 'lovelace-1815\n' | u add ADA --role viewer --password-stdin 2>&1); is $? 1 "user-3.1 a taken name (any case) is an error"
is "$err" "horch: user: a user named 'ADA' exists already" "user-3.2 saying so"
err=$(u add bob --role root 2>&1); is $? 2 "user-3.3 an unknown role is a usage error"
like "$err" 'roles: viewer, agent, analyst, admin' "user-3.4 naming the roles"
err=$(u add bob 2>&1); is $? 2 "user-3.5 --role is required"
err=$(printf 'short\n' | u add bob --role viewer --password-stdin 2>&1); is $? 2 "user-3.6 a short password"
like "$err" 'shorter than 10 characters' "user-3.7 is refused with the reason"
err=$(u add 'bob smith' --role viewer 2>&1); is $? 2 "user-3.8 a name with a blank"
err=$(printf '' | u add bob --role viewer --password-stdin 2>&1); is $? 2 "user-3.9 nothing on stdin"
err=$(u frob 2>&1); is $? 2 "user-3.10 an unknown subcommand"
is "$(u list --json | wc -l | tr -d ' ')" 2 "user-3.11 none of them added a user"

# passwd: a new password; the old sessions end (none yet: the count stays 0).
printf 'new-password-42\n' | u passwd wall --password-stdin 2>/dev/null; is $? 0 "user-4.1 passwd"
is "$(u list --json | jq -r 'select(.name=="wall") | .must_change_password')" false \
  "user-4.2 a password set by the administrator need not be changed"
out=$(u passwd wall 2>/dev/null); is $? 0 "user-4.3 passwd without a terminal"
like "$out" '^[A-Za-z0-9]{20}$' "user-4.4 prints a new one-time password"
is "$(u list --json | jq -r 'select(.name=="wall") | .must_change_password')" true \
  "user-4.5 which must be changed"
err=$(u passwd nobody 2>&1); is $? 1 "user-4.6 passwd of an unknown user"
is "$err" "horch: user: no user named 'nobody'" "user-4.7 says so"

# Subscriptions.
horch --db "$db" topic add battery 'battery OR akku*' >/dev/null 2>&1
horch --db "$db" topic add korvo 'korvo' >/dev/null 2>&1
u subscribe ada battery 2>"$T/err"; is $? 0 "user-5.1 subscribe"
is "$(cat "$T/err")" "'ada' now follows topic 'battery'" "user-5.2 says so"
u subscribe Ada Korvo 2>/dev/null; is $? 0 "user-5.3 names of users and topics in any case"
u subscribe ada battery 2>/dev/null; is $? 0 "user-5.4 subscribing twice is no error"
is "$(sqlite3 "$db" "SELECT group_concat(t.name, ',') FROM subscriptions s JOIN topic t ON t.id = s.topic_id JOIN users u ON u.id = s.user_id WHERE u.name = 'ada' ORDER BY t.name")" \
  "battery,korvo" "user-5.5 two subscriptions stored"
err=$(u subscribe ada nosuch 2>&1); is $? 1 "user-5.6 an unknown topic"
like "$err" "no topic named 'nosuch'" "user-5.7 says so"
u unsubscribe ada korvo 2>/dev/null; is $? 0 "user-5.8 unsubscribe"
horch --db "$db" topic rm battery >/dev/null 2>&1
is "$(sqlite3 "$db" "SELECT count(*) FROM subscriptions")" 0 "user-5.9 a deleted topic takes its subscriptions"

# Tokens: shown once, kept as a hash.
tok=$(tk create --role viewer --name 'wall 3' 2>"$T/err"); is $? 0 "token-1.1 create"
like "$tok" '^hct_[A-Za-z0-9_-]{43}$' "token-1.2 stdout is the token alone"
like "$(cat "$T/err")" '^created token 1 \(viewer, wall 3\)' "token-1.3 stderr says what it made"
is "$(sqlite3 "$db" "SELECT count(*) FROM tokens WHERE hash = '$tok' OR label LIKE '%${tok#hct_}%'")" 0 \
  "token-1.4 the token is not in the database"
is "$(sqlite3 "$db" "SELECT length(hash) FROM tokens WHERE id = 1")" 64 "token-1.5 its 64-digit hash is"
tok2=$(tk create --role analyst 2>/dev/null)
[ "$tok" != "$tok2" ]; ok $? "token-1.6 two tokens differ"
is "$(tk list --json | jq -r '[.id, .label, .role, .revoked_at] | map(tostring) | join(":")' | tr '\n' ' ')" \
  "1:wall 3:viewer:null 2::analyst:null " "token-1.7 list --json"
unlike "$(tk list; tk list --json)" "${tok#hct_}" "token-1.8 list never shows a secret"
tk revoke 1 2>"$T/err"; is $? 0 "token-2.1 revoke"
is "$(tk list --json | jq -r 'select(.id==1) | (.revoked_at != null)')" true "token-2.2 listed as revoked"
err=$(tk revoke 99 2>&1); is $? 1 "token-2.3 an unknown id"
is "$err" "horch: token: no token with id 99" "token-2.4 says so"
err=$(tk revoke abc 2>&1); is $? 2 "token-2.5 not a number"
err=$(tk create 2>&1); is $? 2 "token-2.6 create needs --role"
err=$(tk create --role viewer --name "$(printf 'a%.0s' $(seq 65))" 2>&1); is $? 2 "token-2.7 a label over 64 bytes"

# rm.
u rm ada 2>/dev/null; is $? 0 "user-6.1 rm"
err=$(u rm ada 2>&1); is $? 1 "user-6.2 rm again is an error"
is "$(u list --json | jq -r .name)" wall "user-6.3 one user left"
done_testing
