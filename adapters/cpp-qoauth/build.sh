#!/usr/bin/env bash
# Builds the QOAuth adapter into target/adapters/cpp-qoauth/ (run from the repository root, by
# `cargo xtask setup --all` or by hand). Needs the Debian packages listed in adapter.json.
# `build.sh test` also builds and runs the Qt Test in test_adapter.cpp.
set -euo pipefail
source_dir="adapters/cpp-qoauth"
out_dir="target/adapters/cpp-qoauth"
mkdir -p "$out_dir"
version=$(dpkg-query -W -f='${Version}' libqoauth-dev)
# qoauth.pc still names the Qt 4 modules (QtCore, QtNetwork, qca2): the Qt 5 ones are named here.
qt_flags=$(pkg-config --cflags --libs Qt5Core Qt5Network qca2-qt5)
# shellcheck disable=SC2086 # word splitting of the pkg-config flags is intended
g++ -std=c++17 -O2 -Wall -Wextra -Werror -fPIC \
  -DQOAUTH_DEBIAN_VERSION="\"2.0.1 (Debian libqoauth-dev $version)\"" \
  -I/usr/include/QtOAuth -o "$out_dir/adapter" "$source_dir/adapter.cpp" \
  $qt_flags -lqoauth
echo "built $out_dir/adapter"
if [[ ${1:-build} == test ]]; then
  test_flags=$(pkg-config --cflags --libs Qt5Core Qt5Test)
  moc "$source_dir/test_adapter.cpp" -o "$out_dir/test_adapter.moc"
  # shellcheck disable=SC2086
  g++ -std=c++17 -O1 -Wall -Wextra -Werror -fPIC -I"$out_dir" -o "$out_dir/test_adapter" "$source_dir/test_adapter.cpp" $test_flags
  QOAUTH_ADAPTER="$out_dir/adapter" "$out_dir/test_adapter"
fi
