#!/bin/sh
# Installs what the crawl benchmark serves pages with: nginx from Debian's packages.
# The benchmark falls back to a Python server when nginx is missing, but that server is the bottleneck.
set -e
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
    echo "nginx already installed: $(/usr/sbin/nginx -v 2>&1)"
    exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
# The Debian package enables a site on port 80 and starts it; the benchmark runs its own instance instead.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nginx
$SUDO service nginx stop >/dev/null 2>&1 || true
echo "installed: $(/usr/sbin/nginx -v 2>&1)"
