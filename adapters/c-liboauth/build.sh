#!/bin/bash
# Builds the liboauth adapter into target/adapters/c-liboauth/ (run from the repository root,
# by `cargo xtask setup --all` or by hand). Needs the Debian packages listed in adapter.json.
set -euo pipefail
source_dir="adapters/c-liboauth"
out_dir="target/adapters/c-liboauth"
mkdir -p "$out_dir"
version=$(dpkg-query -W -f='${Version}' liboauth-dev)
# -rdynamic: the executable's oauth_sign_* / oauth_serialize_url_parameters must be in its
# dynamic symbol table for liboauth's PLT calls to reach them (see adapter.c).
gcc -std=c11 -O2 -Wall -Wextra -Werror \
  -DLIBOAUTH_DEBIAN_VERSION="\"1.0.3 (Debian liboauth-dev $version)\"" \
  -o "$out_dir/adapter" "$source_dir/adapter.c" \
  -rdynamic $(pkg-config --libs jansson) -loauth -ldl
echo "built $out_dir/adapter"
# The capture driver: liboauth's own HTTP functions (libcurl underneath, as Debian builds it).
gcc -std=c11 -O2 -Wall -Wextra -Werror -Wno-deprecated-declarations \
  -o "$out_dir/capture_driver" "$source_dir/capture_driver.c" -loauth
echo "built $out_dir/capture_driver"
