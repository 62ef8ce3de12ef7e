#!/usr/bin/env bash
# make image-test: boots the disk of `make image` in qemu-system-x86_64 (a throwaway overlay:
# the image stays as built), with user-mode networking forwarding 127.0.0.1:PORT to the
# guest's 443, waits for https://127.0.0.1:PORT/healthz to answer "ok" (the guest got an address
# by DHCP, systemd started Préau from its enabled unit), then powers the guest down (ACPI) and
# waits for qemu to exit. Fails on a timeout, a wrong answer or a guest that does not stop.
#
# ACCEL: qemu's accelerators to try in order, default tcg (software emulation: on the 2-core
# development machine, nested KVM stops on an "emulation failure" in the bootloader); ACCEL=kvm:tcg
# where KVM works;
# BOOT_TIMEOUT (seconds, default 600) bounds the wait; the serial console is kept in
# target/appliance/image-test-console.log.
set -euo pipefail
cd "$(dirname "$0")/../.."

CACHE=target/appliance
IMAGE=${IMAGE:-$CACHE/preau.qcow2}
ACCEL=${ACCEL:-tcg}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-600}
CONSOLE=$CACHE/image-test-console.log

fail() {
	echo "image-test: FAIL: $*" >&2
	exit 1
}
need() {
	command -v "$1" >/dev/null && return
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2"
}

[ -f "$IMAGE" ] || fail "no image: run make image first (or IMAGE=path)"
need qemu-system-x86_64 qemu-system-x86
need socat socat
need curl curl

PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
MONITOR=$CACHE/image-test-monitor.sock
rm -f "$MONITOR"
QEMU_PID=
cleanup() {
	[ -z "$QEMU_PID" ] || { kill "$QEMU_PID" 2>/dev/null && wait "$QEMU_PID" 2>/dev/null; } || true
	rm -f "$MONITOR"
}
trap cleanup EXIT

echo "== booting $IMAGE (accel $ACCEL), guest 443 on 127.0.0.1:$PORT"
accel_args=()
IFS=: read -r -a accels <<<"$ACCEL"
for accel in "${accels[@]}"; do accel_args+=(-accel "$accel"); done
started=$SECONDS
# -snapshot: writes go to a temporary overlay, the image stays as built.
qemu-system-x86_64 "${accel_args[@]}" \
	-m 1024 -smp 2 -nographic -snapshot \
	-drive file="$IMAGE",if=virtio,format=qcow2 \
	-netdev user,id=net0,hostfwd=tcp:127.0.0.1:"$PORT"-:443 -device virtio-net-pci,netdev=net0 \
	-monitor unix:"$MONITOR",server=on,wait=off \
	</dev/null >"$CONSOLE" 2>&1 &
QEMU_PID=$!

until [ "$(curl -fsS --max-time 5 -k "https://127.0.0.1:$PORT/healthz" 2>/dev/null)" = ok ]; do
	kill -0 "$QEMU_PID" 2>/dev/null || { tail -n 30 "$CONSOLE"; fail "qemu exited before /healthz answered"; }
	if [ $((SECONDS - started)) -ge "$BOOT_TIMEOUT" ]; then
		tail -n 30 "$CONSOLE"
		fail "no /healthz within ${BOOT_TIMEOUT}s"
	fi
	sleep 2
done
echo "ok: GET https://127.0.0.1:$PORT/healthz = ok, $((SECONDS - started)) s after qemu started"
accel_used=$(echo "info kvm" | socat - "UNIX-CONNECT:$MONITOR" | grep -o 'kvm support: [a-z]*' || true)
echo "qemu: ${accel_used:-kvm support: unknown} (disabled means TCG)"
grep -q 'Started.*preau.service' "$CONSOLE" || fail "the console does not show preau.service started by systemd"
echo "ok: the console shows systemd starting preau.service"

echo "== ACPI power-down"
echo system_powerdown | socat - "UNIX-CONNECT:$MONITOR" >/dev/null
deadline=$((SECONDS + 120))
while kill -0 "$QEMU_PID" 2>/dev/null; do
	[ $SECONDS -lt $deadline ] || fail "the guest did not power off within 120 s"
	sleep 1
done
wait "$QEMU_PID" || fail "qemu exited with an error"
QEMU_PID=
grep -q 'Stopped.*preau.service' "$CONSOLE" || fail "the console does not show preau.service stopped"
echo "ok: powered off, preau.service stopped, $((SECONDS - started)) s in all"
echo "image-test: all checks passed"
