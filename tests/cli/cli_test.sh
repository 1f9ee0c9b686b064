#!/usr/bin/env bash
# The command line as a user meets it: every command's help text (against the reference files in
# tests/cli/help/, written when an option changes: tests/cli/cli_test.sh BIN --update), the same
# text from `help COMMAND`, and clear errors with exit code 2 for bad options and numbers.
#   tests/cli/cli_test.sh BIN [--update]
set -uo pipefail
BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
failed=0 passed=0
check() { # check NAME CONDITION...
    local name=$1
    shift
    if "$@"; then passed=$((passed + 1)); else echo "FAIL: $name" >&2; failed=$((failed + 1)); fi
}
# expect_error NAME EXIT_CODE MESSAGE_PART ARGS...: stderr names the problem, nothing on stdout.
expect_error() {
    local name=$1 code=$2 part=$3
    shift 3
    local out err status
    out=$("$BIN" "$@" 2>/tmp/cli_test_err.$$)
    status=$?
    err=$(cat /tmp/cli_test_err.$$)
    rm -f /tmp/cli_test_err.$$
    if [ "$status" = "$code" ] && [[ "$err" == *"$part"* ]] && [ -z "$out" ]; then
        passed=$((passed + 1))
    else
        echo "FAIL: $name: exit $status (expected $code), stderr: $err" >&2
        failed=$((failed + 1))
    fi
}

commands=$("$BIN" help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }' | grep -v '^help$')
check "help lists the commands" test "$(echo "$commands" | wc -l)" -ge 9
for c in $commands; do
    text=$("$BIN" "$c" --help)
    check "$c --help exits 0" test $? = 0
    check "$c --help starts with its usage" test "${text%%$'\n'*}" != "${text%%usage: incidentmap $c*}"
    check "help $c is the same text" test "$("$BIN" help "$c")" = "$text"
    check "$c -h is the same text" test "$("$BIN" "$c" -h)" = "$text"
    if [ "${2:-}" = --update ]; then
        printf '%s\n' "$text" > "$HERE/help/$c.txt"
    fi
    check "$c --help is as in tests/cli/help/$c.txt" test "$text" = "$(cat "$HERE/help/$c.txt" 2>/dev/null)"
    expect_error "$c --no-such-option" 2 "unknown option --no-such-option" "$c" --no-such-option
done

expect_error "a port that is not a number" 2 "option --port expects a whole number from 0 to 65535, not 'abc'" serve --port abc
expect_error "a port out of range" 2 "option --port expects a whole number from 0 to 65535, not '70000'" serve --port 70000
expect_error "a port with trailing text" 2 "not '80x'" serve --port 80x
expect_error "threads of zero" 2 "option --threads expects a whole number from 1" serve --threads 0
expect_error "a negative limit" 2 "option --limit expects a whole number from 1 to 1000, not '-3'" geocode --limit -3 Kyiv
expect_error "a batch that overflows" 2 "option --batch expects a whole number" migrate --from a --to b --batch 99999999999999999999
expect_error "min-fatalities not a number" 2 "min_fatalities must be a whole number" export --min-fatalities many
expect_error "an option without its value" 2 "option --db needs a value" export --db
expect_error "a flag with a value" 2 "option --quiet takes no value" export --quiet=yes
expect_error "an option given twice" 2 "option --db is given twice" export --db a --db b
expect_error "ingest without an article" 2 "no article given" ingest
# export reads the REST API's filters from the same table, with their messages.
expect_error "export: radius without near" 2 "radius_km needs near=lon,lat" export --radius-km 20
expect_error "export: a bad bbox" 2 "bbox" export --bbox 1,2,3
expect_error "export: a bad filter" 2 "filter" export --filter "fatalities >"
expect_error "gazetteer without build" 2 "the only gazetteer command is 'build'" gazetteer
expect_error "an unknown command" 2 "unknown command 'frobnicate'" frobnicate
expect_error "help for an unknown command" 2 "unknown command 'frobnicate'" help frobnicate
check "no command: the usage on stderr, exit 2" bash -c '"$0" >/dev/null 2>&1; test $? = 2' "$BIN"
check "--version" bash -c '"$0" --version | grep -q "^incidentmap [0-9]"' "$BIN"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
