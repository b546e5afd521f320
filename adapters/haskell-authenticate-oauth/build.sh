#!/usr/bin/env bash
# Builds the authenticate-oauth adapter into target/adapters/haskell-authenticate-oauth/ with GHC
# and Debian's Haskell libraries (no Hackage). Run from the repository root (by `cargo xtask setup
# --all` or by hand); `build.sh test` also builds and runs test/AdapterTest.hs.
set -euo pipefail
folder=haskell-authenticate-oauth
source_dir=adapters/$folder
out=target/adapters/$folder
command -v ghc >/dev/null || { echo "build.sh: no ghc on PATH: install Debian's ghc" >&2; exit 2; }
debian_version=$(dpkg-query -W -f='${Version}' libghc-authenticate-oauth-dev) \
  || { echo "build.sh: libghc-authenticate-oauth-dev is not installed" >&2; exit 2; }
mkdir -p "$out/gen" "$out/build"
# The handshake's version, as a module (written only when it changes, so GHC can skip recompiling).
version_module="module Version (libraryVersion) where
import Data.Text (Text)
libraryVersion :: Text
libraryVersion = \"${debian_version%-*} (Debian libghc-authenticate-oauth-dev $debian_version)\""
[[ -f $out/gen/Version.hs && $(cat "$out/gen/Version.hs") == "$version_module" ]] || printf '%s\n' "$version_module" > "$out/gen/Version.hs"
ghc -O1 -Wall -Werror -XOverloadedStrings -i"$source_dir/src" -i"$out/gen" -outputdir "$out/build" \
  -o "$out/adapter" "$source_dir/src/Main.hs" > "$out/ghc.log" || { cat "$out/ghc.log" >&2; exit 1; }
echo "built $out/adapter"
if [[ ${1:-build} == test ]]; then
  ghc -O0 -Wall -Werror -outputdir "$out/test-build" -o "$out/adapter-test" "$source_dir/test/AdapterTest.hs" > "$out/ghc-test.log" \
    || { cat "$out/ghc-test.log" >&2; exit 1; }
  "$out/adapter-test" "$out/adapter"
fi
