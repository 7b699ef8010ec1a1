#!/bin/sh
# Entry point of the worker containers. Attempts run in bubblewrap sandboxes, which mount a fresh
# /proc; the kernel refuses that while Docker's masks cover parts of the container's /proc
# (/proc/kcore, /proc/keys, …), and compose cannot ask for `systempaths=unconfined`. With the
# SYS_ADMIN capability compose.yaml grants, the masks are lifted here, inside this container only.
awk '$2 ~ /^\/proc\// { print $2 }' /proc/self/mounts | sort -r | while read -r mount; do
  umount "$mount" 2>/dev/null || true
done
exec node /app/bin/marketbench.js "$@"
