#!/usr/bin/env bash
# Builds (or tests) a Java adapter with javac against Debian's jars (/usr/share/java), offline:
# no Maven Central. The classes go to target/adapters/FOLDER/classes, with a launcher
# target/adapters/FOLDER/adapter that runs them in one JVM (the adapter.json command).
#
# usage (from the repository root):
#   adapters/java-common/javac-build.sh FOLDER MAIN_CLASS DEBIAN_PACKAGE build|test JAR...
#   FOLDER          the adapter's folder under adapters/, e.g. java-signpost
#   MAIN_CLASS      the adapter's main class
#   DEBIAN_PACKAGE  the package that ships the library; its version goes into the handshake
#   JAR...          jar names under /usr/share/java, without .jar (gson is always added)
# `test` builds, then runs every *Test class of FOLDER/test with JUnit 4 (Debian junit4).
set -euo pipefail

usage="usage: javac-build.sh FOLDER MAIN_CLASS DEBIAN_PACKAGE build|test JAR..."
folder=${1:?$usage}
main_class=${2:?$usage}
debian_package=${3:?$usage}
mode=${4:?$usage}
shift 4
root=$(pwd)
source_dir=$root/adapters/$folder
common_dir=$root/adapters/java-common
out=$root/target/adapters/$folder

[[ -d $source_dir/src ]] || { echo "javac-build.sh: no $source_dir/src (run from the repository root)" >&2; exit 2; }
command -v javac >/dev/null || { echo "javac-build.sh: no javac on PATH: install Debian's default-jdk-headless" >&2; exit 2; }
classpath=/usr/share/java/gson.jar
for jar in "$@"; do
  [[ -f /usr/share/java/$jar.jar ]] || { echo "javac-build.sh: /usr/share/java/$jar.jar is missing: install the Debian package that ships it" >&2; exit 2; }
  classpath+=:/usr/share/java/$jar.jar
done
debian_version=$(dpkg-query -W -f='${Version}' "$debian_package") || { echo "javac-build.sh: $debian_package is not installed" >&2; exit 2; }
library_version="${debian_version%-*} (Debian $debian_package $debian_version)"

rm -rf "$out"
mkdir -p "$out/classes"
find "$common_dir/src" "$source_dir/src" -name '*.java' > "$out/sources.txt"
javac -encoding UTF-8 --release 17 -Xlint:all,-path -Werror -d "$out/classes" -cp "$classpath" @"$out/sources.txt"

# One JVM per row for the whole run. -Dfile.encoding=UTF-8: libraries that read text with the
# platform charset (InputStreamReader without a charset) then read the same octets on every
# machine, whatever its locale. SerialGC and C1 only: a small heap and less compile work on a
# machine that runs several rows at once.
cat > "$out/adapter" <<LAUNCHER
#!/bin/sh
classes=\$(dirname "\$0")/classes
exec java -Dfile.encoding=UTF-8 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss4m \\
  -Doauth1conformance.library.version='$library_version' \\
  -cp "\$classes:$classpath" $main_class "\$@"
LAUNCHER
chmod +x "$out/adapter"
echo "built $out/adapter"

if [[ $mode == test ]]; then
  junit=/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar
  [[ -f /usr/share/java/junit4.jar ]] || { echo "javac-build.sh: /usr/share/java/junit4.jar is missing: install Debian's junit4" >&2; exit 2; }
  mkdir -p "$out/test-classes"
  find "$common_dir/test" "$source_dir/test" -name '*.java' > "$out/test-sources.txt"
  javac -encoding UTF-8 --release 17 -Xlint:all,-path -Werror -d "$out/test-classes" -cp "$out/classes:$classpath:$junit" @"$out/test-sources.txt"
  tests=$(cd "$out/test-classes" && find . -name '*Test.class' | sed 's|^\./||; s|\.class$||; s|/|.|g')
  # The tests start the adapter through its launcher, as the harness does.
  java -Doauth1conformance.adapter="$out/adapter" -cp "$out/test-classes:$out/classes:$classpath:$junit" org.junit.runner.JUnitCore $tests
fi
