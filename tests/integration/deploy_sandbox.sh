#!/bin/bash
# deploy_sandbox.sh: runs a program the way a deploy recipe would, without
# systemd, Docker or Kubernetes (none of them is on the test machine): in a
# private mount namespace, chrooted into a fresh root tree, as an unprivileged
# uid, from a working directory, with a read-only or a root-owned root.
# tests/integration/deploy_recipes_test.cpp drives it; it needs root.
#
# The root tree is a tmpfs holding only what the recipe installs (--install),
# the host's /usr/lib and /usr/lib64 read-only (the shared libraries an image
# would carry), /dev, a fresh /proc, a private /tmp, a few files of /etc,
# and the host directories the recipe mounts writable (--mount); --root=ro
# then remounts it read-only, as ProtectSystem=strict or readOnlyRootFilesystem
# do; --root=rw leaves it writable for root only, as a container's layer is.
#
#   deploy_sandbox.sh --tree DIR --root=ro|rw --uid N --gid N --workdir DIR
#                     [--install HOST_FILE=PATH]... [--mount HOST_DIR=PATH]...
#                     [--bind-ro HOST_DIR]... -- PROGRAM ARGS...
#
# Everything but the final exec happens in this process, so the pid the test
# holds is the program's pid: SIGTERM reaches the daemon itself.
set -euo pipefail

if [[ -z "${MC_DEPLOY_SANDBOX_INNER:-}" ]]; then
  exec env MC_DEPLOY_SANDBOX_INNER=1 unshare --mount --propagation private -- "$0" "$@"
fi

tree="" root_mode="" uid="" gid="" workdir=""
installs=() mounts=() binds=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tree) tree="$2"; shift 2 ;;
    --root=ro | --root=rw) root_mode="${1#--root=}"; shift ;;
    --uid) uid="$2"; shift 2 ;;
    --gid) gid="$2"; shift 2 ;;
    --workdir) workdir="$2"; shift 2 ;;
    --install) installs+=("$2"); shift 2 ;;
    --mount) mounts+=("$2"); shift 2 ;;
    --bind-ro) binds+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "deploy_sandbox.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$tree" || -z "$root_mode" || -z "$uid" || -z "$gid" || -z "$workdir" || $# -eq 0 ]]; then
  echo "deploy_sandbox.sh: --tree, --root, --uid, --gid, --workdir and a program are required" >&2
  exit 2
fi

bind_read_only() {  # host path, path inside the tree
  mkdir -p "$tree$2"
  mount --bind "$1" "$tree$2"
  mount -o remount,bind,ro "$tree$2"
}

mount -t tmpfs -o mode=755 deploy-sandbox-root "$tree"
mkdir -p "$tree"/{usr/bin,etc,dev,proc,tmp,var/lib,run}
ln -s usr/lib "$tree/lib"
ln -s usr/lib64 "$tree/lib64"
ln -s usr/bin "$tree/bin"
ln -s usr/bin "$tree/sbin"
for dir in /usr/lib /usr/lib64; do
  [[ -d "$dir" ]] && bind_read_only "$dir" "$dir"
done
# The two tools of the final exec, as an image would hold its shell tools.
cp /usr/bin/setpriv /usr/bin/env "$tree/usr/bin/"
for file in ld.so.cache hosts nsswitch.conf passwd group localtime; do
  [[ -e "/etc/$file" ]] && cp -L "/etc/$file" "$tree/etc/"
done
mount --bind /dev "$tree/dev"
mount -t proc proc "$tree/proc"
mount -t tmpfs -o mode=1777 deploy-sandbox-tmp "$tree/tmp"
for pair in "${installs[@]}"; do
  mkdir -p "$tree$(dirname "${pair#*=}")"
  cp "${pair%%=*}" "$tree${pair#*=}"
done
for dir in "${binds[@]}"; do
  bind_read_only "$dir" "$dir"
done
for pair in "${mounts[@]}"; do
  mkdir -p "$tree${pair#*=}"
  mount --bind "${pair%%=*}" "$tree${pair#*=}"
done
if [[ "$root_mode" == ro ]]; then
  mount -o remount,ro "$tree"
fi

exec chroot "$tree" /usr/bin/setpriv --reuid="$uid" --regid="$gid" --clear-groups \
  /usr/bin/env --chdir="$workdir" "$@"
