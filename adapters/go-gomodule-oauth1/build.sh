#!/usr/bin/env bash
# Builds target/adapters/go-gomodule-oauth1/adapter offline from Debian's sources (see
# adapters/go-common/gopath-build.sh). Run from the repository root; `build.sh test` runs the tests.
exec bash adapters/go-common/gopath-build.sh go-gomodule-oauth1 github.com/gomodule/oauth1 golang-github-gomodule-oauth1-dev "${1:-build}"
