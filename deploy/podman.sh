#!/usr/bin/env bash
# podman as this project runs it: the project's containers.conf, and
# storage in build/podman (vfs driver: no overlay mounts needed), so that
# nothing outside the checkout is touched. Arguments go to podman.
#   deploy/podman.sh images
#   deploy/podman.sh run --rm -d --read-only --memory 256m respite:latest
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
export CONTAINERS_CONF=$repo/deploy/containers.conf
mkdir -p "$repo/build/podman/storage" "$repo/build/podman/run"
exec podman --root "$repo/build/podman/storage" --runroot "$repo/build/podman/run" \
	--storage-driver vfs "$@"
