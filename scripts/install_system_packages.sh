#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when they are missing:
# chromium (browser tests), fonts-noto-cjk (Chinese text in screenshots), gdal-bin (GDAL clients),
# postgresql-15-postgis-3 (the PostGIS store backend's tests), nodejs and npm (axe-core for the
# browser tests' accessibility checks, from npm: `make node-packages`), libpango-1.0-0 and
# libpangoft2-1.0-0 (WeasyPrint draws the PDF brochures with them; fonts-noto-cjk is their
# Chinese font).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
command -v ogrinfo >/dev/null 2>&1 || missing+=(gdal-bin)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || missing+=(postgresql-15-postgis-3)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so.0" || missing+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || missing+=(libpangoft2-1.0-0)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "Need root (or sudo) to install: ${missing[*]}. Install them, then run make test again." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
