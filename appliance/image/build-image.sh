#!/usr/bin/env bash
# make image: a bootable appliance disk, target/appliance/preau.qcow2 — Debian bookworm
# (mmdebstrap, minbase), its kernel, systemd with systemd-networkd (DHCP on every Ethernet
# interface), the .deb of `make package` installed and its unit enabled; one MBR partition
# (ext4) booted by extlinux (SYSLINUX), the kernel console on the serial port.
#
# The base system (everything but Préau) is built once by mmdebstrap and cached in
# target/appliance/; each build unpacks it onto a raw file through a loop device, installs the
# .deb, and converts the file to qcow2 (the raw file is deleted). DEB=path takes another package, IMAGE=path another output,
# IMAGE_SIZE the disk's size (default 2G; the qcow2 holds only what is written).
set -euo pipefail
cd "$(dirname "$0")/../.."

CACHE=target/appliance
IMAGE=${IMAGE:-$CACHE/preau.qcow2}
IMAGE_SIZE=${IMAGE_SIZE:-2G}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
debs=(target/debian/preau_*.deb)
DEB=${DEB:-${debs[-1]}}

fail() {
	echo "build-image: FAIL: $*" >&2
	exit 1
}
step() { echo "== $*"; }
need() {
	command -v "$1" >/dev/null && return
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2"
}

[ -f "$DEB" ] || fail "no package: run make package first (or DEB=path)"
[ "$(id -u)" = 0 ] || fail "needs root (loop device, mount)"
need mmdebstrap mmdebstrap
need qemu-img qemu-utils
need extlinux extlinux
need sfdisk fdisk
[ -f /usr/lib/syslinux/mbr/mbr.bin ] ||
	{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends syslinux-common; }

mkdir -p "$CACHE"
RAW=$CACHE/image.raw
BASE_TAR=$CACHE/image-base-bookworm-2.tar
MNT=$CACHE/image-mnt
LOOP=
cleanup() {
	mountpoint -q "$MNT/proc" && umount "$MNT/proc"
	mountpoint -q "$MNT" && umount "$MNT"
	[ -n "$LOOP" ] && losetup -d "$LOOP"
	rm -f "$RAW"
	rmdir "$MNT" 2>/dev/null || true
}
trap cleanup EXIT

if [ ! -s "$BASE_TAR" ]; then
	step "base system: bookworm, kernel, systemd, networkd (once, cached in $BASE_TAR)"
	# shellcheck disable=SC2016 # "$1" is the root that mmdebstrap gives each hook
	mmdebstrap --variant=minbase --format=tar \
		--include=linux-image-amd64,initramfs-tools,systemd,systemd-sysv,udev,dbus,adduser,procps,ca-certificates,systemd-resolved,iproute2 \
		--customize-hook='chroot "$1" systemctl enable systemd-networkd systemd-resolved' \
		--customize-hook='echo preau >"$1/etc/hostname"' \
		--customize-hook='printf "[Match]\nName=en* eth*\n\n[Network]\nDHCP=yes\n" >"$1/etc/systemd/network/20-dhcp.network"' \
		bookworm "$BASE_TAR.part" "$MIRROR"
	mv "$BASE_TAR.part" "$BASE_TAR"
fi

step "disk: one bootable ext4 partition, extlinux"
rm -f "$RAW"
truncate -s "$IMAGE_SIZE" "$RAW"
echo 'start=2048, type=83, bootable' | sfdisk -q "$RAW"
OFFSET=$((2048 * 512))
LOOP=$(losetup --find --show --offset "$OFFSET" "$RAW")
# SYSLINUX 6.04 cannot read ext4's 64bit layout nor checksummed metadata: leave both out.
mkfs.ext4 -q -L preau-root -O ^64bit,^metadata_csum,^orphan_file "$LOOP" 2>/dev/null ||
	mkfs.ext4 -q -L preau-root -O ^64bit,^metadata_csum "$LOOP"
UUID=$(blkid -s UUID -o value "$LOOP")
mkdir -p "$MNT"
mount "$LOOP" "$MNT"
tar -C "$MNT" -xf "$BASE_TAR"
step "installing $DEB"
# With dpkg, as on a real install: its scripts create the user and the data directory and
# enable the unit; a dependency missing from the base system fails the build.
cp "$DEB" "$MNT/tmp/preau.deb"
mount -t proc proc "$MNT/proc"
chroot "$MNT" dpkg -i /tmp/preau.deb
umount "$MNT/proc"
rm -f "$MNT/tmp/preau.deb"
[ -L "$MNT/etc/systemd/system/multi-user.target.wants/preau.service" ] || fail "preau.service is not enabled"
echo "UUID=$UUID / ext4 errors=remount-ro 0 1" >"$MNT/etc/fstab"
mkdir -p "$MNT/boot/extlinux"
cat >"$MNT/boot/extlinux/extlinux.conf" <<EOF
DEFAULT preau
TIMEOUT 1
PROMPT 0
LABEL preau
  LINUX /vmlinuz
  INITRD /initrd.img
  APPEND root=UUID=$UUID ro console=tty0 console=ttyS0,115200
EOF
# The last console= is /dev/console, where systemd reports units started: the serial port.
# /vmlinuz and /initrd.img are the kernel package's symbolic links at the root of the file system.
if ! [ -e "$MNT/vmlinuz" ] || ! [ -e "$MNT/initrd.img" ]; then
	fail "no kernel or initrd in the root file system"
fi
extlinux --install "$MNT/boot/extlinux" >/dev/null
umount "$MNT"
losetup -d "$LOOP"
LOOP=
dd if=/usr/lib/syslinux/mbr/mbr.bin of="$RAW" bs=440 count=1 conv=notrunc status=none

step "qcow2: $IMAGE"
qemu-img convert -f raw -O qcow2 "$RAW" "$IMAGE.part"
mv "$IMAGE.part" "$IMAGE"
rm -f "$RAW"
qemu-img info "$IMAGE" | grep -E 'virtual size|disk size'
echo "build-image: $IMAGE"
