#!/usr/bin/env bash
# Builds (or tests) a Go adapter offline, in GOPATH mode, against a copy of Debian's sources of its
# library (/usr/share/gocode, from the golang-github-*-dev package) made under target/adapters/FOLDER/.
# The copy gets one added file, the adapter's hooks/*.go (test hooks the library keeps unexported);
# nothing of the library is modified and nothing of it is committed. An adapter folder with a
# `server/` package (a live server for `oauth1-conformance probe`) also gets
# target/adapters/FOLDER/server, built in a second GOPATH whose copy of the library has no hooks.
#
# usage (from the repository root):
#   adapters/go-common/gopath-build.sh FOLDER LIBRARY_DIR DEBIAN_PACKAGE [build|test]
#   FOLDER          the adapter's folder under adapters/, e.g. go-gomodule-oauth1
#   LIBRARY_DIR     the library's directory under /usr/share/gocode/src, e.g. github.com/gomodule/oauth1
#   DEBIAN_PACKAGE  the package that ships it; its version is built into the adapter's handshake
set -euo pipefail

usage="usage: gopath-build.sh FOLDER LIBRARY_DIR DEBIAN_PACKAGE [build|test]"
folder=${1:?$usage}
library_dir=${2:?$usage}
debian_package=${3:?$usage}
mode=${4:-build}
root=$(pwd)
source_dir=$root/adapters/$folder
debian_src=/usr/share/gocode/src/$library_dir
out=$root/target/adapters/$folder
gopath=$out/gopath

[[ -d $source_dir ]] || { echo "gopath-build.sh: no adapter folder $source_dir (run from the repository root)" >&2; exit 2; }
[[ -d $debian_src ]] || { echo "gopath-build.sh: $debian_src is missing: install the Debian package that ships it" >&2; exit 2; }
command -v go >/dev/null || { echo "gopath-build.sh: no go on PATH: install Debian's golang-go" >&2; exit 2; }

rm -rf "$gopath"
mkdir -p "$gopath/src/$(dirname "$library_dir")" "$gopath/src/oauth1conformance/$folder"
cp -r "$debian_src" "$gopath/src/$library_dir"
# The hook file declares the library's package; it goes next to the library's own files.
for hook in "$source_dir"/hooks/*.go; do
  package_dir=$(sed -n 's|^// conformance-hook-for: ||p' "$hook")
  [[ -n $package_dir && -d $gopath/src/$package_dir ]] || { echo "gopath-build.sh: $hook names no package directory of the copy ('// conformance-hook-for: ...')" >&2; exit 2; }
  cp "$hook" "$gopath/src/$package_dir/zz_conformance_$(basename "$hook")"
done
# The shared packages (adapterproto, httpinput) are imported as oauth1conformance/<name>.
for package in "$root"/adapters/go-common/*/; do
  cp -r "$package" "$gopath/src/oauth1conformance/$(basename "$package")"
done
cp "$source_dir"/*.go "$gopath/src/oauth1conformance/$folder/"

# Offline: GOPATH mode, no module proxy, nothing from the network.
export GO111MODULE=off GOPATH="$gopath" GOCACHE="$out/gocache" GOFLAGS= GOPROXY=off GONOSUMDB= GOTOOLCHAIN=local
built_with="Debian $debian_package $(dpkg-query -W -f='${Version}' "$debian_package"), golang-go $(dpkg-query -W -f='${Version}' golang-go) ($(go env GOVERSION))"
# The live server (server/) and the capture driver (capture_driver/) are built against Debian's
# sources exactly as shipped: no hook file.
server_gopath=$out/server-gopath
rm -rf "$server_gopath"
for package in server capture_driver; do
  [[ -d $source_dir/$package ]] || continue
  mkdir -p "$server_gopath/src/$(dirname "$library_dir")" "$server_gopath/src/oauth1conformance/$folder-$package"
  [[ -d $server_gopath/src/$library_dir ]] || cp -r "$debian_src" "$server_gopath/src/$library_dir"
  cp "$source_dir/$package"/*.go "$server_gopath/src/oauth1conformance/$folder-$package/"
done
# build_plain PACKAGE COMMAND...: COMMAND in the package's copy, if the folder has the package.
build_plain() {
  local package=$1
  shift
  [[ -d $source_dir/$package ]] || return 0
  (cd "$server_gopath/src/oauth1conformance/$folder-$package" && GOPATH="$server_gopath" "$@")
}
build_server() { build_plain server "$@"; }

cd "$gopath/src/oauth1conformance/$folder"
case $mode in
  build)
    go build -ldflags "-X 'main.builtWith=$built_with'" -o "$out/adapter" . && echo "built $out/adapter: $built_with"
    build_server go build -o "$out/server" . && { [[ ! -d $source_dir/server ]] || echo "built $out/server: $built_with"; }
    build_plain capture_driver go build -o "$out/capture_driver" . && { [[ ! -d $source_dir/capture_driver ]] || echo "built $out/capture_driver: $built_with"; }
    ;;
  test) go vet . ../adapterproto ../httpinput ../adaptertest && build_server go vet . && build_plain capture_driver go vet . && ADAPTER_ROOT="$root" go test -count=1 . ;;
  *) echo "gopath-build.sh: unknown mode $mode (build or test)" >&2; exit 2 ;;
esac
