#!/usr/bin/env bash
# Fleet CSV in the shapes ERP/MES exports have: header mapping, BOM and CRLF, --skip-bad with a
# reject file, export → re-import without change, and all-or-nothing without --skip-bad.
source "$(dirname "$0")/lib.bash"
DB=$(fresh_db)
printf '{"bomFormat":"CycloneDX","specVersion":"1.4","components":[]}' >"$WORK/empty.json"
ct product add router >/dev/null
ct release add router 5.0 --sbom "$WORK/empty.json"
ct release add router 5.1 --sbom "$WORK/empty.json"
printf 'code,name\nA1,Alpha\nB2,Beta\n' >"$WORK/c.csv"
ct customers import "$WORK/c.csv"

# An ERP export: its own column names and order, a UTF-8 BOM, CRLF line ends, quoted fields.
printf '\xef\xbb\xbfSerialNo;x,Model,Firmware,Account,Status,HW\r\n"R-1;a",router,5.0,A1,in_service,"rev ""A"""\r\nR-2,router,5.1,B2,shipped,rev-B\r\n\r\nR-3,router,5.1,,in_stock,rev-B\r\n' >"$WORK/erp.csv"
expect_rc "unmapped header" 3 ct units import "$WORK/erp.csv"
MAP='serial=SerialNo;x,product=Model,release=Firmware,customer=Account,state=Status,hardware_revision=HW'
check "mapped import" "3 3" "$(ct --json units import "$WORK/erp.csv" --map "$MAP" | jq -r '"\(.records) \(.inserted)"')"
check "quoted values kept" 'R-1;a rev "A"' "$(ct --json units export | jq -r '.[0] | "\(.serial) \(.hardware_revision)"')"

# Export, then import the export: nothing changes.
ct units export >"$WORK/export.csv"
check "export rows" "4" "$(wc -l <"$WORK/export.csv" | tr -d ' ')"
check "re-import of the export" "3 0 3" "$(ct --json units import "$WORK/export.csv" | jq -r '"\(.records) \(.inserted) \(.unchanged)"')"
check "export is stable" "$(cat "$WORK/export.csv")" "$(ct units export)"

# Bad rows: without --skip-bad nothing is imported; with it the good rows are, the bad ones
# go to the reject file with their errors.
cat >"$WORK/mixed.csv" <<'CSV'
serial,product,release,customer,state
R-10,router,5.1,A1,in_service
R-11,router,9.9,A1,in_service
R-12,router,5.0,ZZ,in_service
R-13,router,5.0,A1,exploded
R-14,router,5.0,B2
R-15,router,5.0,B2,in_service
CSV
expect_rc "all or nothing" 3 ct units import "$WORK/mixed.csv"
check "nothing imported" "3" "$(ct --json units export | jq -r length)"
check "skip-bad counts" "2 4" "$(ct --json units import "$WORK/mixed.csv" --skip-bad --rejects "$WORK/rejects.csv" | jq -r '"\(.inserted) \(.rejected)"')"
check "good rows imported" "R-10,R-15" "$(ct --json units export | jq -r '[.[] | select(.serial | test("R-1[0-9]")) | .serial] | join(",")')"
check "reject file rows" "5" "$(wc -l <"$WORK/rejects.csv" | tr -d ' ')"
check "reject header" "serial,product,release,customer,state,error" "$(head -1 "$WORK/rejects.csv")"
check "reject reasons" "missing release '9.9'|unknown customer 'ZZ'|invalid state 'exploded'|row has 4 fields" \
  "$(tail -n +2 "$WORK/rejects.csv" | sed -E "s/.*(missing release '9.9'|unknown customer 'ZZ'|invalid state 'exploded'|row has 4 fields).*/\1/" | paste -sd'|')"
check "reject lines named" "mixed.csv:3:1" "$(sed -n 2p "$WORK/rejects.csv" | grep -o 'mixed.csv:3:1')"
expect_rc "--rejects without --skip-bad" 2 ct units import "$WORK/mixed.csv" --rejects "$WORK/x.csv"
finish
