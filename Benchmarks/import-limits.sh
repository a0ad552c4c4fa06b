#!/bin/bash
# Issue #21's measurement of CSV imports under hostile files (BENCHMARKS.md, "CSV import under hostile files"):
# makes four 20 MiB files, sends each to a fresh release server, and prints each answer, its time and the server's
# memory; then two hostile uploads at once while the product list is read, and the confirm of the valid file.
#   swift build -c release --product stockroom && Benchmarks/import-limits.sh
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FILES=$(mktemp -d)
python3 - "$FILES" <<'PY'
import sys
d = sys.argv[1]
size = 20 * 1024 * 1024 - 1024
open(f"{d}/wide.csv", "w").write("a," * (size // 2))
open(f"{d}/longcell.csv", "w").write("name,price,notes\nTea,1," + "x" * (size - 32) + "\n")
open(f"{d}/rows.csv", "w").write("name,price\n" + "a\n" * ((size - 12) // 2))
with open(f"{d}/valid.csv", "w") as f:
    f.write("barcode,name,price,quantity,description\n")
    for i in range(50000):
        f.write(f"B{i:06d},Product {i},1.5,10,{'d' * 370}\n")
PY
DIR=$(mktemp -d)
PORT=18099
cd $DIR
STOCKROOM_PORT=$PORT STOCKROOM_DATABASE_URL="sqlite://$DIR/shop.sqlite" STOCKROOM_ADMIN_PASSWORD=measure-pass-1 STOCKROOM_LOG_LEVEL=warning \
  "$ROOT/.build/release/stockroom" serve > server.log 2>&1 &
PID=$!
for i in $(seq 1 50); do curl -s -o /dev/null http://127.0.0.1:$PORT/api/health && break; sleep 0.2; done
curl -s -c jar -H 'Content-Type: application/json' -d '{"username":"admin","password":"measure-pass-1"}' http://127.0.0.1:$PORT/api/login > /dev/null
CSRF=$(curl -s -b jar http://127.0.0.1:$PORT/api/me | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
mem() { grep -E "VmRSS|VmHWM" /proc/$PID/status | tr -s ' ' | tr '\n' ' '; }
echo "start: $(mem)"
for f in wide longcell rows valid; do
  START=$(date +%s.%N)
  CODE=$(curl -s -o out.json -w '%{http_code}' -b jar -H "X-CSRF-Token: $CSRF" -H 'Expect:' -H 'Content-Type: text/csv' --data-binary @$FILES/$f.csv http://127.0.0.1:$PORT/api/import/products)
  END=$(date +%s.%N)
  echo "$f: HTTP $CODE in $(python3 -c "print(round($END-$START,3))") s, answer $(wc -c < out.json) bytes: $(head -c 160 out.json) | $(mem)"
done
# two hostile uploads at once while the product list is asked for again and again
( for i in $(seq 1 40); do curl -s -o /dev/null -w '%{time_total}\n' -b jar http://127.0.0.1:$PORT/api/products?limit=50; done > lists.txt ) &
LISTER=$!
for f in wide rows; do curl -s -o /dev/null -b jar -H "X-CSRF-Token: $CSRF" -H 'Expect:' -H 'Content-Type: text/csv' --data-binary @$FILES/$f.csv http://127.0.0.1:$PORT/api/import/products & done
wait $LISTER
echo "product list during two parallel hostile uploads: $(sort -n lists.txt | tail -1) s slowest of 40, median $(sort -n lists.txt | sed -n 20p) s | $(mem)"
ID=$(python3 -c 'import json; print(json.load(open("out.json"))["id"])')
START=$(date +%s.%N)
CODE=$(curl -s -o conf.json -w '%{http_code}' -b jar -H "X-CSRF-Token: $CSRF" -X POST http://127.0.0.1:$PORT/api/import/products/$ID/confirm)
END=$(date +%s.%N)
echo "confirm valid: HTTP $CODE in $(python3 -c "print(round($END-$START,3))") s: $(head -c 160 conf.json) | $(mem)"
kill $PID; wait $PID 2>/dev/null; rm -rf "$DIR" "$FILES"
