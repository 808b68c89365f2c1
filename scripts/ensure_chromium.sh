#!/usr/bin/env bash
# The browser tests drive Debian's Chromium. Install it when it is missing and we may
# (root with apt-get); otherwise say so: the browser tests then skip, naming the reason.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "Could not install chromium: the browser tests will be skipped."
else
  echo "chromium is not installed (apt-get install chromium): the browser tests will be skipped."
fi
exit 0
