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

# The Python 3.11 layer (setup.py): a package of the venv whose odoocompat.pth
# registers, at interpreter start, an import hook that patches odoo when it is
# first imported; it also installs the `odoo` command. Reinstalled when changed.
stamp="$VENV/.odoocompat.sha1"
want=$(cat setup.py odoocompat/*.py odoocompat/odoocompat.pth | sha1sum | cut -d' ' -f1)
if ! [ -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "bootstrap: installing the compat layer into $VENV"
    "$VENV/bin/pip" --disable-pip-version-check -q install --no-deps --no-build-isolation .
    rm -rf build r2_odoocompat.egg-info
    echo "$want" > "$stamp"
fi
