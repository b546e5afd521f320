#!/bin/bash
# Builds the Java reproductions into target/repros/java/ with javac and Debian's jars (run from the
# repository root by `cargo xtask repros`), with a launcher per library in target/repros/: one JVM
# per run of one finding. Needs what the adapters' setup installs (adapters/java-google-oauth-client,
# adapters/java-signpost): default-jdk-headless, libgoogle-oauth-client-java, liboauth-signpost-java,
# libhttpclient-java. No Maven Central: the classpath is Debian's /usr/share/java.
set -euo pipefail
command -v javac >/dev/null || { echo "build.sh: no javac on PATH: install Debian's default-jdk-headless" >&2; exit 2; }
out=target/repros/java

# launcher NAME MAIN_CLASS JAR...: compiles MAIN_CLASS.java against the jars into $out/NAME and
# writes target/repros/NAME, which runs it with its arguments.
launcher() {
  local name=$1 main=$2 classpath=""
  shift 2
  for jar in "$@"; do
    [[ -f /usr/share/java/$jar.jar ]] || { echo "build.sh: /usr/share/java/$jar.jar is missing: install the Debian package that ships it" >&2; exit 2; }
    classpath+=${classpath:+:}/usr/share/java/$jar.jar
  done
  rm -rf "${out:?}/$name"
  mkdir -p "$out/$name"
  javac -encoding UTF-8 --release 17 -Xlint:all,-path -Werror -d "$out/$name" -cp "$classpath" "docs/findings/repro/java/$main.java"
  # C1 only and a small heap: each finding starts its own JVM for one library call.
  cat > "target/repros/$name" <<LAUNCHER
#!/bin/sh
exec java -Dfile.encoding=UTF-8 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$(pwd)/$out/$name:$classpath" $main "\$@"
LAUNCHER
  chmod +x "target/repros/$name"
}

mkdir -p target/repros
launcher google-oauth-client GoogleOAuthClient google-oauth-client google-http-client guava opencensus-api grpc-context
launcher signpost Signpost signpost-core signpost-commonshttp4 httpclient httpcore commons-logging commons-codec
