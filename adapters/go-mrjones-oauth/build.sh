#!/usr/bin/env bash
# Builds target/adapters/go-mrjones-oauth/adapter offline from Debian's sources (see
# adapters/go-common/gopath-build.sh). Run from the repository root; `build.sh test` runs the tests.
exec bash adapters/go-common/gopath-build.sh go-mrjones-oauth github.com/mrjones/oauth golang-github-mrjones-oauth-dev "${1:-build}"
