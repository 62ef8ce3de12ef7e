#!/usr/bin/env bash
# make package-test: installs the .deb of `make package` into a fresh minimal Debian bookworm
# and checks what it promises: files, user, permissions, conffile, the unit accepted by
# `systemd-analyze verify`; then boots that Debian with systemd-nspawn (no network but
# loopback) and checks that the service starts under its hardened unit and answers /healthz,
# runs as preau with CAP_NET_BIND_SERVICE only, is restarted after a crash and stops cleanly.
# Where systemd-nspawn cannot boot a container, it runs the unit's ExecStart as preau in the
# chroot instead, and says so. Any mismatch fails the test.
#
# The root file system is built once (mmdebstrap) into target/appliance/ and reused; each run
# unpacks a fresh copy. DEB=path tests another package; KEEP=1 keeps the unpacked root;
# NO_NSPAWN=1 takes the chroot path even where systemd-nspawn works.
set -euo pipefail
cd "$(dirname "$0")/../.."

CACHE=target/appliance
# The name changes with what it holds, so that a cache of an older list is not reused.
ROOTFS_TAR=$CACHE/rootfs-package-test-bookworm-2.tar
ROOT=$CACHE/package-test-root
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
debs=(target/debian/preau_*.deb)
DEB=${DEB:-${debs[-1]}}
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-120}

fail() {
	echo "package-test: FAIL: $*" >&2
	exit 1
}
step() { echo "== $*"; }
need() {
	command -v "$1" >/dev/null && return
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2"
}
expect() { # expect WHAT ACTUAL WANTED
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
	echo "ok: $1 = $3"
}

[ -f "$DEB" ] || fail "no package: run make package first (or DEB=path)"
[ "$(id -u)" = 0 ] || fail "needs root (chroot, systemd-nspawn)"
need mmdebstrap mmdebstrap
need systemd-nspawn systemd-container
need systemd-analyze systemd

if [ ! -s "$ROOTFS_TAR" ]; then
	step "building the bookworm root file system (once, cached in $ROOTFS_TAR)"
	mkdir -p "$CACHE"
	mmdebstrap --variant=minbase --format=tar --include=systemd,systemd-sysv,dbus,curl,ca-certificates,adduser,procps \
		bookworm "$ROOTFS_TAR.part" "$MIRROR"
	mv "$ROOTFS_TAR.part" "$ROOTFS_TAR"
fi

NSPAWN_PID=
PREAU_PID=
cleanup() {
	[ -n "$NSPAWN_PID" ] && kill "$NSPAWN_PID" 2>/dev/null && wait "$NSPAWN_PID" 2>/dev/null
	[ -n "$PREAU_PID" ] && kill "$PREAU_PID" 2>/dev/null && wait "$PREAU_PID" 2>/dev/null
	mountpoint -q "$ROOT/proc" && umount "$ROOT/proc"
	[ -n "${KEEP:-}" ] || rm -rf "$ROOT"
}
trap cleanup EXIT

step "installing $DEB into a fresh copy of the root file system"
rm -rf "$ROOT"
mkdir -p "$ROOT"
tar -C "$ROOT" -xf "$ROOTFS_TAR"
cp "$DEB" "$ROOT/tmp/preau.deb"
# dpkg, not apt: every dependency must already be in a minimal Debian, or this fails.
chroot "$ROOT" dpkg -i /tmp/preau.deb

step "files, user, permissions"
in_root() { chroot "$ROOT" "$@"; }
expect "/usr/bin/preau" "$(in_root stat -c '%U:%G %a' /usr/bin/preau)" "root:root 755"
in_root /usr/bin/preau --help >/dev/null || fail "/usr/bin/preau --help does not run in bookworm"
IFS=: read -r _ _ uid _ _ home shell < <(in_root getent passwd preau) || fail "no preau user"
[ "$uid" -lt 1000 ] || fail "preau is not a system user (uid $uid)"
expect "preau's home" "$home" "/var/lib/preau"
expect "preau's shell" "$shell" "/usr/sbin/nologin"
in_root getent group preau >/dev/null || fail "no preau group"
expect "/var/lib/preau" "$(in_root stat -c '%U:%G %a' /var/lib/preau)" "preau:preau 700"
expect "/etc/preau/preau.toml" "$(in_root stat -c '%U:%G %a' /etc/preau/preau.toml)" "root:preau 640"
grep -qx /etc/preau/preau.toml "$ROOT/var/lib/dpkg/info/preau.conffiles" ||
	fail "/etc/preau/preau.toml is not a conffile"
cmp "$ROOT/etc/preau/preau.toml" appliance/preau.toml || fail "installed config differs from appliance/preau.toml"
UNIT=$(in_root dpkg -L preau | grep '/systemd/system/preau.service$') || fail "no unit in the package"
cmp "$ROOT$UNIT" appliance/preau.service || fail "installed unit differs from appliance/preau.service"
[ -L "$ROOT/etc/systemd/system/multi-user.target.wants/preau.service" ] ||
	fail "the unit is not enabled (multi-user.target.wants)"
echo "ok: $UNIT installed and enabled"

step "systemd-analyze verify $UNIT (inside the installed system)"
mount -t proc proc "$ROOT/proc"
verify=$(in_root systemd-analyze verify "$UNIT" 2>&1) || fail "systemd-analyze verify: $verify"
# Warnings do not change its exit status: any word about the unit is a failure here.
if grep -i 'preau' <<<"$verify"; then fail "systemd-analyze verify complained (above)"; fi
echo "ok: systemd-analyze verify accepts the unit"
umount "$ROOT/proc"

# Runs a command inside the booted container (all its namespaces, its root).
leader=
in_container() { nsenter -t "$leader" -a "$@"; }
healthz() { "$@" curl -fsS --max-time 5 -k https://127.0.0.1/healthz 2>/dev/null; }
wait_healthz() {
	local deadline=$((SECONDS + HEALTH_TIMEOUT))
	until [ "$(healthz "$@")" = "ok" ]; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 1
	done
}
show() { in_container systemctl show -p "$1" --value preau; }

step "booting the installed system with systemd-nspawn"
echo preau-test >"$ROOT/etc/hostname"
if [ -z "${NO_NSPAWN:-}" ]; then
	systemd-nspawn -D "$ROOT" --boot --private-network --register=no --keep-unit --console=pipe \
		>"$CACHE/package-test-console.log" 2>&1 </dev/null &
	NSPAWN_PID=$!
fi
booted=
for _ in $(seq 1 60); do
	[ -n "$NSPAWN_PID" ] || break
	leader=$(pgrep -P "$NSPAWN_PID" || true)
	if [ -n "$leader" ] && [ "$(cat "/proc/$leader/comm" 2>/dev/null)" = systemd ] &&
		in_container systemctl is-system-running --wait >/dev/null 2>&1; then
		booted=1
		break
	fi
	kill -0 "$NSPAWN_PID" 2>/dev/null || break
	sleep 1
done
if [ -z "$booted" ] && [ -n "$leader" ] && [ "$(cat "/proc/$leader/comm" 2>/dev/null)" = systemd ]; then
	# "degraded": some unit other than ours failed in the container; ours is judged below.
	state=$(in_container systemctl is-system-running 2>/dev/null || true)
	echo "container state: $state"
	in_container systemctl --failed --no-pager || true
	[ "$state" = degraded ] && booted=1
fi

if [ -n "$booted" ]; then
	echo "mode: systemd-nspawn booted the installed Debian; checking the service under systemd"
	wait_healthz in_container || {
		in_container journalctl -u preau --no-pager | tail -n 40
		fail "no /healthz from the service within ${HEALTH_TIMEOUT}s"
	}
	echo "ok: GET https://127.0.0.1/healthz = ok (inside the container)"
	expect "systemctl is-active preau" "$(in_container systemctl is-active preau)" "active"
	expect "unit Type" "$(show Type)" "notify"
	# READY=1 from the binary is what turned the notify unit active; the watchdog needs pings.
	expect "watchdog" "$(show WatchdogUSec)" "30s"
	pid=$(show MainPID)
	status=$(in_container cat "/proc/$pid/status")
	expect "main process uid" "$(awk '/^Uid:/ {print $2}' <<<"$status")" "$(in_root id -u preau)"
	expect "effective capabilities" "$(awk '/^CapEff:/ {print $2}' <<<"$status")" "0000000000000400"
	expect "bounding capabilities" "$(awk '/^CapBnd:/ {print $2}' <<<"$status")" "0000000000000400"
	expect "no_new_privs" "$(awk '/^NoNewPrivs:/ {print $2}' <<<"$status")" "1"
	expect "data directory" "$(in_container stat -c '%U:%G %a' /var/lib/preau/data)" "preau:preau 700"
	expect "TLS key" "$(in_container stat -c '%U:%G %a' /var/lib/preau/data/tls/key.pem)" "preau:preau 600"
	echo "systemd-analyze security preau.service:"
	in_container systemd-analyze security --no-pager preau.service | tail -n 1

	step "/metrics answers the box itself"
	in_container curl -fsS --max-time 10 -k https://127.0.0.1/metrics | grep -q '^preau_build_info{version=' ||
		fail "no preau_build_info in /metrics"
	echo "ok: /metrics from loopback"

	step "systemctl reload: the certificate is read again, same process"
	in_container systemctl reload preau
	deadline=$((SECONDS + 15))
	until in_container journalctl -u preau --no-pager | grep -q 'TLS certificate reloaded'; do
		[ $SECONDS -lt $deadline ] || fail "no 'TLS certificate reloaded' in the journal"
		sleep 1
	done
	expect "same main process after reload" "$(show MainPID)" "$pid"
	wait_healthz in_container || fail "no /healthz after the reload"
	echo "ok: reloaded"

	step "the text extractor runs under the unit's sandbox (MemoryDenyWriteExecute, RestrictAddressFamilies…)"
	# The service spawns it as its own child, inside the same sandbox: a transient unit with
	# the installed unit's own settings runs it the same way on a real PDF.
	sandbox=()
	while IFS= read -r line; do
		case "$line" in '' | '#'* | '['*) continue ;; esac
		case "${line%%=*}" in
		Description | Documentation | After | Wants | Type | NotifyAccess | WatchdogSec | ExecStart | \
			ExecReload | TimeoutStartSec | KillSignal | TimeoutStopSec | Restart | RestartSec | WantedBy) continue ;;
		esac
		sandbox+=(-p "$line")
	done < <(in_container systemctl cat preau)
	text=$(in_container systemd-run --wait --pipe --quiet "${sandbox[@]}" \
		/usr/bin/preau internal extract-text --name fractions.pdf --media-type application/pdf \
		<tests/fixtures/resources/fractions.pdf) || fail "the extractor failed under the sandbox"
	grep -qi 'fraction' <<<"$text" || fail "the extractor gave no text under the sandbox: $text"
	echo "ok: $(wc -w <<<"$text") words extracted from a PDF under the unit's sandbox"

	step "watchdog pings keep the service up past WatchdogSec"
	sleep 35
	expect "restarts after 35 s" "$(show NRestarts)" "0"
	expect "same main process after 35 s" "$(show MainPID)" "$pid"

	step "a crash (SIGKILL) is restarted (Restart=on-failure)"
	in_container systemctl kill --kill-whom=main --signal=KILL preau
	deadline=$((SECONDS + 30))
	until [ "$(show NRestarts)" = 1 ] && [ "$(show ActiveState)" = active ]; do
		[ $SECONDS -lt $deadline ] || fail "not restarted after SIGKILL (NRestarts $(show NRestarts))"
		sleep 1
	done
	wait_healthz in_container || fail "no /healthz after the restart"
	echo "ok: restarted and answering"

	step "systemctl stop: SIGTERM, drain, flush, exit 0"
	in_container systemctl stop preau
	expect "result of the stop" "$(show Result)" "success"
	expect "exit status" "$(show ExecMainStatus)" "0"
	in_container journalctl -u preau --no-pager | grep -q 'stopped' || fail "no 'stopped' in the journal"
	echo "ok: stopped cleanly"
else
	echo "mode: no container (NO_NSPAWN set, or systemd-nspawn could not boot: $CACHE/package-test-console.log);"
	echo "      running the unit's ExecStart as preau in the chroot instead, with the unit's"
	echo "      capabilities and no_new_privs (no systemd: no watchdog, no other hardening checked)"
	[ -z "$NSPAWN_PID" ] || { kill "$NSPAWN_PID" 2>/dev/null || true; wait "$NSPAWN_PID" 2>/dev/null || true; }
	NSPAWN_PID=
	read -r -a exec_start < <(sed -n 's/^ExecStart=//p' "$ROOT$UNIT")
	mount -t proc proc "$ROOT/proc"
	# A private network namespace, as in the container: the host's port 443 is not touched.
	unshare --net -- sh -c 'ip link set lo up && exec "$@"' sh \
		chroot "$ROOT" setpriv --reuid=preau --regid=preau --init-groups \
		--bounding-set=-all,+net_bind_service --inh-caps=-all,+net_bind_service \
		--ambient-caps=+net_bind_service --no-new-privs -- "${exec_start[@]}" &
	PREAU_PID=$!
	# unshare, sh, chroot and setpriv each exec the next: $PREAU_PID is preau itself.
	in_netns() { nsenter -t "$PREAU_PID" -n "$@"; }
	sleep 1
	wait_healthz in_netns || fail "no /healthz from ExecStart run as preau within ${HEALTH_TIMEOUT}s"
	echo "ok: GET https://127.0.0.1/healthz = ok (ExecStart as preau, in the chroot)"
	kill -TERM "$PREAU_PID"
	wait "$PREAU_PID" || fail "ExecStart did not exit 0 on SIGTERM"
	PREAU_PID=
	echo "ok: stopped cleanly on SIGTERM"
fi

echo "package-test: all checks passed"
