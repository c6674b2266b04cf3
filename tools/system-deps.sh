#!/usr/bin/env bash
# Install the Debian packages a make target needs, only when some are missing.
# Usage: tools/system-deps.sh book|test
set -euo pipefail

# The PDF is the HTML book printed by Debian's chromium (driven by Playwright); its text font is
# DejaVu Sans, which has every glyph the book uses (✔ ✘ · – €). poppler-utils checks the PDF.
book_pkgs=(chromium fonts-dejavu-core poppler-utils)
test_pkgs=("${book_pkgs[@]}")

case "${1:-}" in
  book) pkgs=("${book_pkgs[@]}") ;;
  test) pkgs=("${test_pkgs[@]}") ;;
  *) echo "usage: $0 book|test" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "evalkit: installing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
  command -v sudo >/dev/null || { echo "evalkit: need root to apt-get install ${missing[*]}" >&2; exit 1; }
else
  sudo=
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
