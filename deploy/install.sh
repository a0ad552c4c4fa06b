#!/bin/sh
# Builds Stockroom's release binary and installs it under a prefix, with its web resources, a systemd unit and an
# example settings file; an upgrade is the same command (the settings file is kept). Prints what to do next.
#
#   deploy/install.sh [--prefix /usr/local] [--sysconfdir DIR] [--from-build DIR]
#
#   --prefix       where bin/stockroom, share/stockroom/ and lib/systemd/system/stockroom.service go (default /usr/local)
#   --sysconfdir   where stockroom.env goes (default /etc/stockroom for /usr and /usr/local, else PREFIX/etc/stockroom)
#   --from-build   install what this SwiftPM build folder holds (stockroom and stockroom_StockroomCore.resources)
#                  instead of running `swift build -c release` first
set -eu

prefix=/usr/local
sysconfdir=
from_build=
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
        --sysconfdir) sysconfdir=${2:?--sysconfdir needs a directory}; shift 2 ;;
        --from-build) from_build=${2:?--from-build needs a directory}; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done

here=$(cd "$(dirname "$0")" && pwd)
source_root=$(dirname "$here")
case "$prefix" in /*) ;; *) prefix=$(pwd)/$prefix ;; esac
if [ -z "$sysconfdir" ]; then
    case "$prefix" in
        /usr|/usr/local) sysconfdir=/etc/stockroom ;;
        *) sysconfdir=$prefix/etc/stockroom ;;
    esac
fi

if [ -z "$from_build" ]; then
    echo "Building the release (several minutes)…"
    # The Swift runtime linked in: the binary does not need the toolchain's libraries at run time.
    (cd "$source_root" && swift build -c release --product stockroom --static-swift-stdlib)
    from_build=$(cd "$source_root" && swift build -c release --show-bin-path)
fi
resources=$from_build/stockroom_StockroomCore.resources/Resources
if [ ! -x "$from_build/stockroom" ] || [ ! -f "$resources/templates/layout.mustache" ]; then
    echo "install.sh: $from_build has no stockroom binary with its resources; build with: swift build -c release" >&2
    exit 1
fi

bindir=$prefix/bin
sharedir=$prefix/share/stockroom
unitdir=$prefix/lib/systemd/system
mkdir -p "$bindir" "$prefix/share" "$unitdir" "$sysconfdir"

# Each piece is copied beside its place and renamed over it, so a running server never sees a half-written binary
# or a mix of old and new templates; it keeps the files it opened until it restarts.
cp "$from_build/stockroom" "$bindir/.stockroom.new"
chmod 0755 "$bindir/.stockroom.new"
mv -f "$bindir/.stockroom.new" "$bindir/stockroom"

rm -rf "$sharedir.new" "$sharedir.old"
cp -R "$resources" "$sharedir.new"
cp "$source_root/CHANGELOG.md" "$sharedir.new/CHANGELOG.md"
chmod -R u=rwX,go=rX "$sharedir.new"
if [ -d "$sharedir" ]; then mv "$sharedir" "$sharedir.old"; fi
mv "$sharedir.new" "$sharedir"
rm -rf "$sharedir.old"

sed -e "s|@BINDIR@|$bindir|g" -e "s|@SYSCONFDIR@|$sysconfdir|g" "$here/stockroom.service" > "$unitdir/stockroom.service"
chmod 0644 "$unitdir/stockroom.service"

if [ -e "$sysconfdir/stockroom.env" ]; then
    settings="kept $sysconfdir/stockroom.env (compare it with $here/stockroom.env for new settings)"
else
    cp "$here/stockroom.env" "$sysconfdir/stockroom.env"
    chmod 0640 "$sysconfdir/stockroom.env"
    settings="wrote $sysconfdir/stockroom.env"
fi

version=$("$bindir/stockroom" --version)
echo "Installed Stockroom $version: $bindir/stockroom, resources in $sharedir, unit $unitdir/stockroom.service; $settings."
echo
echo "Next, on a first install, as root:"
echo "  id stockroom >/dev/null 2>&1 || useradd --system --home-dir /var/lib/stockroom --shell /usr/sbin/nologin stockroom"
echo "  chgrp stockroom $sysconfdir/stockroom.env"
echo "  edit $sysconfdir/stockroom.env (address, database, TLS: README, \"Configuration\")"
case "$unitdir" in
    /usr/lib/systemd/system|/usr/local/lib/systemd/system|/lib/systemd/system) ;;
    # Outside systemd's search path, the unit is linked in by its path.
    *) echo "  systemctl link $unitdir/stockroom.service" ;;
esac
echo "  systemctl daemon-reload && systemctl enable --now stockroom"
echo "  cat /var/lib/stockroom/first-owner-password   (sign in with it, change the password, delete the file)"
echo "On an upgrade (migrations run when it starts):"
echo "  systemctl daemon-reload && systemctl restart stockroom"
echo "  curl -s http://127.0.0.1:8080/api/health/ready   (answers \"version\":\"$version\")"
