#!/usr/bin/env bash
# Container test (`npm run test:container`): builds the image from this working
# tree, runs it the way production does (named volume for /app/data, non-root
# user) and checks the JSON API flow to a PDF, file permissions, a backup,
# persistence across a restart and a clean shutdown.
#
# Needs podman prepared by ../shared/tools/podman-setup.sh (as root, once):
# these machines have no Docker engine and cannot pull images, so that script
# builds the node:20-bookworm-slim base locally and configures podman.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

T0=$SECONDS
say() { echo "container test: $* ($((SECONDS - T0))s)"; }

NAME=""
fail() {
  echo "container test: FAIL: $*" >&2
  if [ -n "$NAME" ] && podman container exists "$NAME" 2>/dev/null; then
    echo "----- podman logs $NAME (last 60 lines) -----" >&2
    podman logs --tail 60 "$NAME" >&2 2>&1 || true
    echo "---------------------------------------------" >&2
  fi
  echo "container test: 0 passed, 1 failed" >&2
  exit 1
}
trap 'fail "unexpected error at line $LINENO: $BASH_COMMAND"' ERR

command -v podman >/dev/null 2>&1 \
  || fail "podman is not installed. Prepare it as root with: bash ../shared/tools/podman-setup.sh"
command -v curl >/dev/null 2>&1 || fail "curl is not installed (apt-get install curl)"
command -v node >/dev/null 2>&1 || fail "node is not installed"
podman image exists docker.io/library/node:20-bookworm-slim \
  || fail "base image node:20-bookworm-slim is missing (no registry is reachable here). Run as root: bash ../shared/tools/podman-setup.sh"

RUN_ID="$(date +%s)-$$"
IMAGE="localhost/assessment-container-test:$RUN_ID"
VOLUME="assessment-container-test-$RUN_ID"
WORK=$(mktemp -d)
BUILT=0

cleanup() {
  local status=$?
  trap - ERR
  podman rm -f -t 0 "$NAME" >/dev/null 2>&1 || true
  podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true
  # Removing by tag keeps the intermediate layers (--no-prune): they are the
  # build cache that makes the next run skip apt-get, npm ci and the compile.
  [ "$BUILT" = 0 ] || podman rmi --no-prune "$IMAGE" >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

# ---------------------------------------------------------------- build
say "building $IMAGE"
BUILT=1
if ! podman build --format docker --pull=never --network host -t "$IMAGE" . >"$WORK/build.log" 2>&1; then
  tail -40 "$WORK/build.log" >&2
  fail "podman build failed (last lines above)"
fi
say "image built"

# ---------------------------------------------------------------- run
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
BASE="http://127.0.0.1:$PORT"
NAME="assessment-container-test-$RUN_ID"
SECRET_KEY=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')
podman volume create "$VOLUME" >/dev/null
# HOST=127.0.0.1: with host networking the test server stays off the machine's other interfaces.
podman run -d --name "$NAME" --network host --pull=never \
  -v "$VOLUME:/app/data" \
  -e PORT="$PORT" -e HOST=127.0.0.1 -e PUBLIC_URL="$BASE" -e SECRET_KEY="$SECRET_KEY" \
  "$IMAGE" >/dev/null 2>"$WORK/run.err" || fail "podman run failed: $(cat "$WORK/run.err")"

wait_healthy() {
  local deadline=$((SECONDS + 60))
  until podman healthcheck run "$NAME" >/dev/null 2>&1; do
    [ "$(podman inspect --format '{{.State.Running}}' "$NAME")" = true ] \
      || fail "the container exited (code $(podman inspect --format '{{.State.ExitCode}}' "$NAME")) before it became healthy"
    [ "$SECONDS" -lt "$deadline" ] || fail "the container did not become healthy within 60 s"
    sleep 1
  done
}
wait_healthy
say "container healthy on port $PORT"

# ---------------------------------------------------------------- API flow to a PDF
# post PATH JSON → prints the status; the body is in $WORK/body.json.
post() {
  curl -sS --max-time 30 -o "$WORK/body.json" -w '%{http_code}' \
    -H 'content-type: application/json' -H 'accept: application/json' \
    --data "$2" "$BASE$1"
}
# field EXPR: evaluates EXPR on the last JSON body (bound to j).
field() {
  node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const v=eval(process.argv[2]); if (v === undefined || v === null || v === "") process.exit(1); console.log(v)' \
    "$WORK/body.json" "$1"
}
expect_status() {
  [ "$1" = "$2" ] || fail "$3 answered $1, expected $2: $(head -c 400 "$WORK/body.json")"
}

status=$(post /api/assessment/start '{"locale":"ko"}')
expect_status "$status" 201 "POST /api/assessment/start"
KEY=$(field 'j.session_key') || fail "start answer has no session_key"

ANSWERS=$(node -e '
  const q = require("./app/assessment/questionnaire.json");
  const answers = {};
  for (const part of q.parts) for (const item of part.items) answers[item] = 3;
  if (Object.keys(answers).length !== 12) throw new Error("expected 12 items");
  console.log(JSON.stringify({ session_key: process.argv[1], answers }));
' "$KEY")
status=$(post /api/assessment/answer "$ANSWERS")
expect_status "$status" 200 "POST /api/assessment/answer"

CONSENT_VERSION=$(node -e '
  const ids = [...require("fs").readFileSync("app/privacy/consent-versions.ts", "utf8").matchAll(/\bid: "(privacy_v[^"]+)"/g)];
  if (!ids.length) process.exit(1);
  console.log(ids[ids.length - 1][1]);
') || fail "could not read the current consent version from app/privacy/consent-versions.ts"
status=$(post /api/assessment/download "$(node -e 'console.log(JSON.stringify({
  session_key: process.argv[1], email: "container@example.test",
  consent: { required: true, version: process.argv[2] } }))' "$KEY" "$CONSENT_VERSION")")
expect_status "$status" 201 "POST /api/assessment/download"
DOWNLOAD_URL=$(field 'j.download_url') || fail "download answer has no download_url"
# Whatever origin the link carries, the test talks to its own container.
LOCAL_DOWNLOAD=$(node -e 'const u=new URL(process.argv[1]); console.log(process.argv[2]+u.pathname+u.search)' "$DOWNLOAD_URL" "$BASE")

pdf_status=$(curl -sS --max-time 60 -o "$WORK/report.pdf" -D "$WORK/pdf.headers" -w '%{http_code}' "$LOCAL_DOWNLOAD")
[ "$pdf_status" = 200 ] || fail "GET download link answered $pdf_status"
grep -qi '^content-type: application/pdf' "$WORK/pdf.headers" \
  || fail "download is not application/pdf: $(grep -i '^content-type' "$WORK/pdf.headers")"
[ "$(head -c 4 "$WORK/report.pdf")" = "%PDF" ] || fail "download does not start with %PDF"
say "API flow: session, 12 answers, consent, PDF of $(wc -c <"$WORK/report.pdf") bytes"

# ---------------------------------------------------------------- user and permissions
EXEC_UID=$(podman exec "$NAME" id -u)
[ "$EXEC_UID" != 0 ] || fail "the container's user is root"
# uid and name of every process in the container, read from /proc (no ps in the image).
podman exec "$NAME" sh -c 'for d in /proc/[0-9]*; do
    c=$(cat "$d/comm" 2>/dev/null) || continue
    u=$(sed -n "s/^Uid:[[:space:]]*\([0-9]*\).*/\1/p" "$d/status" 2>/dev/null)
    echo "$u $c"
  done' >"$WORK/procs.txt"
NODE_PROCS=$(grep -c ' node$' "$WORK/procs.txt" || true)
[ "$NODE_PROCS" -ge 2 ] || fail "expected a primary and at least one HTTP worker, found $NODE_PROCS node process(es): $(tr '\n' ';' <"$WORK/procs.txt")"
if grep -q '^0 ' "$WORK/procs.txt"; then
  fail "processes run as root: $(grep '^0 ' "$WORK/procs.txt" | tr '\n' ';')"
fi
if podman top "$NAME" user comm | tail -n +2 | grep -qw root; then
  fail "podman top shows root processes: $(podman top "$NAME" user comm | tr '\n' ';')"
fi

podman exec "$NAME" sh -c '
  for f in /app /app/server.js /app/pdf-worker.js /app/package.json /app/build /app/build/index.js \
           /app/node_modules /app/node_modules/better-sqlite3 /app/scripts/backup.js /app/db/migrations; do
    [ -e "$f" ] || { echo "missing: $f"; exit 1; }
    [ ! -w "$f" ] || { echo "writable by the runtime user: $f"; exit 1; }
  done
  writable=$(find /app -path /app/data -prune -o -writable -print 2>/dev/null | head -5)
  [ -z "$writable" ] || { echo "writable by the runtime user: $writable"; exit 1; }
  for f in /app/probe /app/build/probe /app/node_modules/probe; do
    if touch "$f" 2>/dev/null; then echo "could create $f"; exit 1; fi
  done
  touch /app/data/.probe && rm /app/data/.probe || { echo "/app/data is not writable"; exit 1; }
  [ "$(stat -c %U /app/data)" = node ] || { echo "/app/data is not owned by node"; exit 1; }
' >"$WORK/perm.txt" 2>&1 || fail "file permissions: $(cat "$WORK/perm.txt")"

# Nothing of the build toolchain or the dev dependencies in the final image.
DEV_DEPENDENCIES=$(node -e 'console.log(Object.keys(require("./package.json").devDependencies).join(" "))')
podman exec "$NAME" sh -c '
  for tool in g++ gcc make python3; do
    if command -v "$tool" >/dev/null; then echo "build tool in the image: $tool"; exit 1; fi
  done
  for dev in $0; do
    if [ -e "/app/node_modules/$dev" ]; then echo "dev dependency in the image: $dev"; exit 1; fi
  done
' "$DEV_DEPENDENCIES" >"$WORK/image.txt" 2>&1 || fail "image contents: $(cat "$WORK/image.txt")"
say "runs as uid $EXEC_UID ($NODE_PROCS node processes), /app read-only for it, /app/data writable, no dev packages"

# ---------------------------------------------------------------- backup inside the container
podman exec "$NAME" node scripts/backup.js >"$WORK/backup.txt" 2>&1 || fail "backup in the container failed: $(cat "$WORK/backup.txt")"
grep -Eq '^\[backup\] /app/data/backups/app-[0-9]{8}T[0-9]{6}Z\.sqlite [0-9]+ bytes, integrity ok$' "$WORK/backup.txt" \
  || fail "unexpected backup output: $(cat "$WORK/backup.txt")"
say "$(cat "$WORK/backup.txt")"

# ---------------------------------------------------------------- staff commands inside the container
printf '%s\n' "container staff passphrase" \
  | podman exec -i "$NAME" node scripts/staff.js create --email ops@example.test --name "운영" --role admin >"$WORK/staff.txt" 2>&1 \
  || fail "staff:create in the container failed: $(cat "$WORK/staff.txt")"
podman exec "$NAME" node scripts/staff.js list >"$WORK/staff-list.txt" 2>&1 || fail "staff:list failed: $(cat "$WORK/staff-list.txt")"
grep -q 'ops@example.test' "$WORK/staff-list.txt" || fail "staff:list does not show the new account: $(cat "$WORK/staff-list.txt")"
podman exec "$NAME" node scripts/audit-verify.js >"$WORK/audit.txt" 2>&1 || fail "audit:verify failed: $(cat "$WORK/audit.txt")"
say "staff account created and listed, $(head -1 "$WORK/audit.txt")"

# ---------------------------------------------------------------- retention dry run inside the container
podman exec "$NAME" node scripts/retention.js --dry-run >"$WORK/retention.txt" 2>&1 \
  || fail "retention dry run in the container failed: $(cat "$WORK/retention.txt")"
grep -q '^\[retention\] dry run' "$WORK/retention.txt" && grep -Eq '^\[retention\] backups: [0-9]+$' "$WORK/retention.txt" \
  || fail "unexpected retention dry-run output: $(cat "$WORK/retention.txt")"
say "$(tail -1 "$WORK/retention.txt")"

# ---------------------------------------------------------------- restart keeps the data
# podman logs errors about missing systemd healthcheck timers here (harmless: the test
# runs the check itself); they are shown only if the command fails.
podman restart -t 30 "$NAME" >/dev/null 2>"$WORK/restart.err" || fail "podman restart failed: $(cat "$WORK/restart.err")"
wait_healthy
result_status=$(curl -sS --max-time 30 -o /dev/null -w '%{http_code}' "$BASE/ko/assessment/$KEY/result")
[ "$result_status" = 200 ] || fail "after the restart GET /ko/assessment/<key>/result answered $result_status"
say "after a restart the earlier session's result page answers 200"

# ---------------------------------------------------------------- clean shutdown
STOP_T=$SECONDS
podman stop -t 30 "$NAME" >/dev/null 2>"$WORK/stop.err" || fail "podman stop failed: $(cat "$WORK/stop.err")"
EXIT_CODE=$(podman inspect --format '{{.State.ExitCode}}' "$NAME")
[ "$EXIT_CODE" = 0 ] || fail "after podman stop the server exited with $EXIT_CODE (137 means it ignored SIGTERM for 30 s and was killed)"
podman logs "$NAME" >"$WORK/server.log" 2>&1
grep -Eiq 'shut(ting)? ?down|stopp(ed|ing)' "$WORK/server.log" \
  || fail "the server's logs show no shutdown message; last lines: $(tail -5 "$WORK/server.log")"
say "podman stop: exit code 0 after $((SECONDS - STOP_T)) s, shutdown logged"

echo "container test: 1 passed, 0 failed"
