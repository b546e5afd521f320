#!/bin/bash
# Builds the Haskell reproduction into target/repros/ (run from the repository root by `cargo xtask
# repros`) with GHC and Debian's Haskell libraries, no Hackage: what the authenticate-oauth
# adapter's setup installs (ghc, libghc-authenticate-oauth-dev, which brings http-client, SHA and
# base64-bytestring). -O0: one library call per run, and a quicker build.
set -euo pipefail
command -v ghc >/dev/null || { echo "build.sh: no ghc on PATH: install Debian's ghc" >&2; exit 2; }
mkdir -p target/repros/haskell
ghc -O0 -Wall -Werror -outputdir target/repros/haskell -o target/repros/authenticate-oauth \
  docs/findings/repro/haskell/AuthenticateOAuth.hs > target/repros/haskell/ghc.log || { cat target/repros/haskell/ghc.log >&2; exit 1; }
