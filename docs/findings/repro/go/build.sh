#!/bin/bash
# Builds the Go reproductions into target/repros/ (run from the repository root by `cargo xtask
# repros`): offline, in GOPATH mode, against Debian's sources of the libraries in /usr/share/gocode
# (the adapters' packages, golang-github-gomodule-oauth1-dev and golang-github-mrjones-oauth-dev),
# nothing from the network. live_client.go, the loopback server of the live-client findings, is
# built into each program.
set -euo pipefail
mkdir -p target/repros
export GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$PWD/target/repros/gocache" GOFLAGS= GOPROXY=off GOTOOLCHAIN=local
go build -o target/repros/gomodule_oauth1 docs/findings/repro/go/gomodule_oauth1.go docs/findings/repro/go/live_client.go
go build -o target/repros/mrjones_oauth docs/findings/repro/go/mrjones_oauth.go docs/findings/repro/go/live_client.go
