#!/bin/bash
# Builds the C and C++ reproductions into target/repros/ (run from the repository root by
# `cargo xtask repros`). Needs the Debian packages of the adapters they reproduce (liboauth-dev).
set -euo pipefail
mkdir -p target/repros
gcc -std=c11 -O1 -Wall -Wextra -Werror -o target/repros/liboauth docs/findings/repro/c/liboauth.c -loauth
gcc -std=c11 -O1 -Wall -Wextra -Werror -o target/repros/liboauth-long-credentials docs/findings/repro/c/liboauth_long_credentials.c -loauth
