#!/bin/bash
# Builds the C and C++ reproductions into target/repros/ (run from the repository root by
# `cargo xtask repros`). Needs the Debian packages of the adapters they reproduce (liboauth-dev, and
# libssl-dev for the live-client findings' own HMAC-SHA1 and RSA-SHA1: adapters/c-liboauth).
set -euo pipefail
mkdir -p target/repros
gcc -std=c11 -O1 -Wall -Wextra -Werror -o target/repros/liboauth docs/findings/repro/c/liboauth.c -loauth -lcrypto
gcc -std=c11 -O1 -Wall -Wextra -Werror -o target/repros/liboauth-long-credentials docs/findings/repro/c/liboauth_long_credentials.c -loauth
