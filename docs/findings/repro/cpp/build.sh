#!/bin/bash
# Builds the C++ reproduction of QOAuth into target/repros/ (run from the repository root by
# `cargo xtask repros`). Needs what the qoauth adapter's setup installs (g++, pkg-config,
# libqoauth-dev, qtbase5-dev, libqca-qt5-2-dev and its plugins).
set -euo pipefail
mkdir -p target/repros
# qoauth.pc still names the Qt 4 modules: the Qt 5 ones are named here.
qt_flags=$(pkg-config --cflags --libs Qt5Core Qt5Network qca2-qt5)
# shellcheck disable=SC2086 # word splitting of the pkg-config flags is intended
g++ -std=c++17 -O1 -Wall -Wextra -Werror -fPIC -I/usr/include/QtOAuth -o target/repros/qoauth \
  docs/findings/repro/cpp/qoauth.cpp $qt_flags -lqoauth
# shellcheck disable=SC2086
g++ -std=c++17 -O1 -Wall -Wextra -Werror -fPIC -I/usr/include/QtOAuth -o target/repros/qoauth-empty-secret \
  docs/findings/repro/cpp/qoauth_empty_secret.cpp $qt_flags -lqoauth
