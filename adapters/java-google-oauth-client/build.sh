#!/usr/bin/env bash
# Builds the google-oauth-client adapter into target/adapters/java-google-oauth-client/ with javac
# and Debian's jars (see adapters/java-common/javac-build.sh). Run from the repository root;
# `build.sh test` runs the JUnit tests.
exec bash adapters/java-common/javac-build.sh java-google-oauth-client oauth1conformance.google.GoogleOAuthAdapter \
  libgoogle-oauth-client-java "${1:-build}" \
  google-oauth-client google-http-client guava opencensus-api grpc-context
