#!/usr/bin/env bash
# `cratrace version match SCHEME A OP B`: true/false on stdout, apk's fuzzy operators, exit 2 for
# an unknown operator, 3 for an invalid version or an operator the scheme does not have. No store.
source "$(dirname "$0")/lib.bash"
vm() { "$CRATRACE" version match "$@" 2>"$WORK/err"; }

check "apk ~ on a token boundary" true "$(vm apk 3.6.9 '~' 3.6)"
check "apk ~ is not a text prefix" false "$(vm apk 3.60 '~' 3.6)"
check "apk ~ pre-release of the prefix" true "$(vm apk 3.6_pre1 '~' 3.6)"
check "apk ~ with a revision" true "$(vm apk 1.2.3-r4 '~' 1.2.3)"
check "apk <~" true "$(vm apk 3.6.9 '<~' 3.6)"
check "apk <~ above" false "$(vm apk 3.7 '<~' 3.6)"
check "apk >~" true "$(vm apk 3.6_rc1 '>~' 3.6)"
check "apk >= is not >~" false "$(vm apk 3.6_rc1 '>=' 3.6)"
check "apk !~" true "$(vm apk 3.8.0.1 '!~' 3.8.1)"
check "deb <" true "$(vm deb 1.0~rc1 '<' 1.0)"
check "deb !=" false "$(vm deb 1.0 '!=' 1.0)"

expect_rc "fuzzy operator under deb" 3 "$CRATRACE" version match deb 1.2.3 '~' 1.2
check "fuzzy operator under deb: message" 1 "$(grep -c "operator '~' not supported by scheme 'deb'" "$WORK/err")"
expect_rc "unknown operator" 2 "$CRATRACE" version match apk 1 '==' 1
check "unknown operator: message" 1 "$(grep -c "unknown version operator '=='" "$WORK/err")"
expect_rc "invalid apk version" 3 "$CRATRACE" version match apk 3.6.9_post1 '~' 3.6
check "invalid apk version: names it" 1 "$(grep -c "'3.6.9_post1': invalid apk version" "$WORK/err")"
expect_rc "unknown scheme" 3 "$CRATRACE" version match nosuch 1 '<' 2
expect_rc "missing argument" 2 "$CRATRACE" version match apk 1 '<'
expect_rc "--help" 0 "$CRATRACE" version match --help
check "--help names the fuzzy operators" 1 "$(grep -c '~ <~ >~' "$WORK/out")"

finish
