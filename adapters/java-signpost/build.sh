#!/usr/bin/env bash
# Builds the Signpost adapter into target/adapters/java-signpost/ with javac and Debian's jars
# (see adapters/java-common/javac-build.sh). Run from the repository root; `build.sh test` runs
# the JUnit tests.
exec bash adapters/java-common/javac-build.sh java-signpost oauth1conformance.signpost.SignpostAdapter \
  liboauth-signpost-java "${1:-build}" \
  signpost-core signpost-commonshttp4 httpclient httpcore commons-logging commons-codec
