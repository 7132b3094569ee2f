#!/bin/sh
# Dear ImGui's source from Debian's source archive (the binary package has no sources), checked against the
# sha256 in the .dsc. The system's apt configuration is left untouched: a private sources list and private
# lists live under DEST. Idempotent: does nothing when DEST/imgui-1.86 is there. get-imgui.sh DEST
set -eu
mkdir -p "$1" && dest=$(cd "$1" && pwd)
version=1.86+ds
[ -f "$dest/imgui-1.86/imgui.h" ] && exit 0
mkdir -p "$dest/apt/lists/partial" "$dest/download"
# The same mirror the system uses for Debian (deb.debian.org when none is found).
mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\/*\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(sed -n 's/^deb \(\[[^]]*\] \)\?\(http[^ ]*debian\/*\) bookworm .*/\2/p' /etc/apt/sources.list 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm main" > "$dest/apt/sources.list"
opts="-o Dir::Etc::sourcelist=$dest/apt/sources.list -o Dir::Etc::sourceparts=- -o Dir::State::Lists=$dest/apt/lists"
echo "get-imgui: Dear ImGui $version from Debian's source archive ($mirror)"
# shellcheck disable=SC2086
apt-get -qq $opts update
# shellcheck disable=SC2086
(cd "$dest/download" && apt-get -qq $opts source --download-only "imgui=$version-1" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
cd "$dest/download"
tarball=imgui_$version.orig.tar.xz
want=$(awk '/^Checksums-Sha256:/ {on = 1; next} /^[^ ]/ {on = 0} on && $3 == "'"$tarball"'" {print $1}' "imgui_$version-1.dsc")
got=$(sha256sum "$tarball" | cut -d' ' -f1)
if [ -z "$want" ] || [ "$want" != "$got" ]; then
  echo "get-imgui: checksum mismatch for $tarball: the .dsc says '$want', the file is '$got'" >&2
  exit 1
fi
tar -xJf "$tarball" -C "$dest" imgui-1.86/imgui.cpp imgui-1.86/imgui.h imgui-1.86/imgui_draw.cpp \
  imgui-1.86/imgui_tables.cpp imgui-1.86/imgui_widgets.cpp imgui-1.86/imgui_internal.h imgui-1.86/imconfig.h \
  imgui-1.86/imstb_rectpack.h imgui-1.86/imstb_textedit.h imgui-1.86/imstb_truetype.h imgui-1.86/LICENSE.txt \
  imgui-1.86/backends/imgui_impl_glfw.cpp imgui-1.86/backends/imgui_impl_glfw.h \
  imgui-1.86/backends/imgui_impl_opengl3.cpp imgui-1.86/backends/imgui_impl_opengl3.h \
  imgui-1.86/backends/imgui_impl_opengl3_loader.h imgui-1.86/misc/cpp/imgui_stdlib.cpp imgui-1.86/misc/cpp/imgui_stdlib.h
echo "get-imgui: sha256 $got verified; sources in $dest/imgui-1.86"
