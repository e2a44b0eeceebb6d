#!/bin/sh
# Debian packages that give the repair stage more evidence; the pipeline runs
# without them, but decodes fewer broken glyphs (it says which in `documents`).
#   tesseract-ocr-jpn, -vie, -chi-sim  models for reading glyphs nothing else identifies (Japanese;
#                                     Latin with Vietnamese diacritics; simplified Chinese citations),
#                                     read through tesserocr; tesseract-ocr for the symbol-soup digits
#   poppler-data                      the full Adobe-Japan1 CID -> Unicode table
#   fonts-*                           reference copies of common newsletter fonts, matched outline for outline
# Installs only what is missing, only as root with apt-get; otherwise says what to install.
PACKAGES="tesseract-ocr tesseract-ocr-jpn tesseract-ocr-vie tesseract-ocr-chi-sim poppler-data fonts-ipaexfont fonts-morisawa-bizud-gothic fonts-liberation2 fonts-arphic-uming"
missing=""
for package in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages:$missing"
    (apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 ||
        (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1)) ||
        echo "warning: could not install$missing; glyph repair will use less evidence" >&2
else
    echo "note: for fuller glyph repair install these Debian packages:$missing" >&2
fi
exit 0
