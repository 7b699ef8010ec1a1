#!/usr/bin/env bash
# Runs deploy/compose.yaml end to end on this Docker host with no image registry: Redis and three
# workers from compose, then a market coordinator (`compose run`) on the built-in tasks with the
# offline mock provider (no key anywhere), then takes everything down. The images are built
# locally: the Debian minbase image of the Docker tests (debootstrap + docker import), plus Redis
# and bubblewrap (deploy/Dockerfile.offline); node and this repository are mounted read-only.
# Needs: a Docker engine, docker-compose, root (debootstrap), a Debian mirror. Takes minutes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
export REDIS_PASSWORD="${REDIS_PASSWORD:-offline-check}"
export REDIS_HOST=127.0.0.1
export REDIS_PORT="${REDIS_PORT:-6399}"
HOST_NODE="$(command -v node)"
export HOST_NODE
project=marketbench-offline
compose() { docker-compose -p "$project" -f compose.yaml -f compose.offline.yaml "$@"; }
started=$(date +%s)

if ! docker image inspect marketbench-test-base:bookworm >/dev/null 2>&1; then
  echo "offline: building the Debian minbase image (debootstrap; a few minutes)"
  (cd .. && npx tsx -e "const m = await import('./test/support/docker-test-image.ts'); const r = await m.dockerTestImage(); if ('skip' in r) { console.error(r.skip); process.exit(1); }")
fi
if ! docker image inspect marketbench-runtime:bookworm >/dev/null 2>&1; then
  echo "offline: building marketbench-runtime:bookworm (Redis and bubblewrap from the Debian mirror)"
  docker build --network host -f Dockerfile.offline -t marketbench-runtime:bookworm .
fi

check=data/offline-check
mkdir -p "$check"
rm -f "$check"/market.db*
cat >"$check/market.yaml" <<'YAML'
workers:
  - id: strong
    model: mock:calibrated?skill=0.8&price=3/15
  - id: bold
    model: mock:overconfident?skill=0.45&price=0.25/2
router:
  model: mock:calibrated
arms: [scoring, router, solo:strong]
limit: 3
YAML

cleanup() { compose down -v --remove-orphans >/dev/null 2>&1 || true; }
trap cleanup EXIT
echo "offline: compose up: redis and 3 workers"
compose up -d --no-build --scale worker=3 redis worker
echo "offline: compose run: the market coordinator (no key)"
compose run --rm --no-deps coordinator market --suite builtin --workers /data/offline-check/market.yaml \
  --db /data/offline-check/market.db --queue "redis://:$REDIS_PASSWORD@$REDIS_HOST:$REDIS_PORT/0"
echo "offline: jobs done per worker container:"
for container in $(compose ps -q worker); do
  echo "  $(docker inspect --format '{{.Name}}' "$container"): $(docker logs "$container" 2>&1 | grep -c '^done ') jobs"
done
echo "offline: end to end in $(( $(date +%s) - started )) s"
