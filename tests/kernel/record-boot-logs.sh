#!/usr/bin/env bash
# Records the negative corpus of the crash analyser: real boot logs of the test guest that hold
# no crash. Different emulated CPUs make the kernel print different vulnerability and
# mitigation notices ("RETBleed: WARNING: ...", the srso "WARNING: See https://..."), and
# different command lines change how much of the boot reaches the console; an analyser that
# takes any of those for a crash is wrong on every ordinary machine.
#
#   tests/kernel/record-boot-logs.sh OUTDIR
#
# Writes OUTDIR/CPU.CMDLINE.log (the serial console, as the kernel printed it, minus /init's
# own "kit: " lines), OUTDIR/syslog.CPU.log (what busybox syslogd wrote, klogd feeding it the
# kernel's lines) and OUTDIR/kmsg/boot.kmsg (/dev/kmsg records as read in the guest).
# One qemu at a time: the test machines have two cores, and TCG is slow enough as it is.
# A recording already in OUTDIR is kept (a full run takes about ten minutes): remove it to
# record it again. A boot that does not finish is left out and named at the end (exit 1).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: record-boot-logs.sh OUTDIR}"
mkdir -p "$out/kmsg"

kit="$(bash "$here/build-kit.sh" | tail -n1)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=()

# boot NAME CPU SMP SCENARIO [KERNEL WORDS...]: one guest boot, its serial console in $work/NAME.
# The same machine as the end-to-end tests (QemuGuest.cs), so the logs are the ones they see.
boot() {
	local name=$1 cpu=$2 smp=$3 scenario=$4
	shift 4
	echo "record: $name (-cpu $cpu -smp $smp, $*)" >&2
	# -no-reboot: a guest that panicked would otherwise boot again and the log would double.
	# timeout: a guest that hangs (some CPU models do under TCG) must not stall the recording;
	# a good boot takes 10-30 s.
	timeout 120 qemu-system-x86_64 -m 512 -smp "$smp" -accel tcg -cpu "$cpu" \
		-bios /usr/share/seabios/bios-256k.bin \
		-kernel "$kit/vmlinuz" -initrd "$kit/initramfs.cpio" \
		-append "console=ttyS0 panic=1 no_timer_check kit.scenario=$scenario $*" \
		-netdev user,id=n0 -device virtio-net-pci,netdev=n0,romfile= -device virtio-rng-pci \
		-serial "file:$work/$name" -display none -monitor none -no-reboot \
		2> "$work/$name.qemu" || true
	# /init says "kit: done" just before powering off; without it the boot went wrong.
	grep -q '^kit: done' "$work/$name" && return 0
	echo "record: $name did not finish; qemu said: $(grep -v "TCG doesn't support" "$work/$name.qemu")" >&2
	failed+=("$name")
	return 1
}

# between NAME WHAT: the lines /init printed between "kit: WHAT begin" and "kit: WHAT end". The
# serial line adds a \r to each line; the file or device it was read from had none.
between() {
	sed -n "/^kit: $2 begin/,/^kit: $2 end/{/^kit: /d;p}" "$work/$1" | tr -d '\r'
}

# console CPU LABEL SMP [KERNEL WORDS...]: a plain boot, saved as CPU.LABEL.log (lower case).
console() {
	local cpu=$1 label=$2 smp=$3
	shift 3
	local name
	name="$(echo "$cpu.$label" | tr 'A-Z_' 'a-z-')"
	[ -f "$out/$name.log" ] && return
	boot "$name" "$cpu" "$smp" boot "$@" || return 0
	# Only /init's own lines go; every kernel line stays, \r included (a serial log has them).
	grep -av '^kit: ' "$work/$name" > "$out/$name.log"
}

# Every CPU once with the kernel's defaults: each gets its own set of notices.
for cpu in qemu64 Conroe Nehalem SandyBridge Haswell Skylake-Client Cascadelake-Server \
	Icelake-Server Denverton EPYC EPYC-Rome EPYC-Milan Dhyana Broadwell Cooperlake; do
	console "$cpu" default 1
done
# Command lines that change what the kernel decides (mitigations) or how much it prints.
console qemu64 mitigations-off 1 mitigations=off
console Skylake-Client mitigations-off 1 mitigations=off
console EPYC-Milan mitigations-off 1 mitigations=off
console Cascadelake-Server mitigations-auto 1 mitigations=auto
console EPYC-Rome mitigations-auto-nosmt 1 mitigations=auto,nosmt
console Nehalem debug 1 debug
console EPYC debug 1 debug
console EPYC-Rome quiet 1 quiet
console EPYC smp-2 2
# quiet leaves only warnings and worse on the console: the notices with nothing around them.
console Skylake-Client quiet 1 quiet
console EPYC-Milan quiet 1 quiet
console Haswell loglevel-8 1 loglevel=8
console Icelake-Server ignore-loglevel 1 ignore_loglevel
console EPYC-Milan smp-2 2
console Skylake-Client smp-2 2

# Syslog streams: the kernel's lines as klogd hands them to syslogd, and user-space lines.
for cpu in qemu64 Skylake-Client EPYC-Milan Cascadelake-Server; do
	name="syslog.$(echo "$cpu" | tr 'A-Z_' 'a-z-')"
	[ -f "$out/$name.log" ] && continue
	boot "$name" "$cpu" 1 syslog || continue
	between "$name" syslog > "$out/$name.log"
done

# One boot as /dev/kmsg records, for a test that reads the record format itself.
if [ ! -f "$out/kmsg/boot.kmsg" ] && boot kmsg EPYC 1 boot kit.kmsg=1; then
	between kmsg kmsg > "$out/kmsg/boot.kmsg"
fi

echo "record: done, kernel $(cat "$kit/kernel-release"), $(ls "$out"/*.log | wc -l) logs in $out" >&2
if [ ${#failed[@]} -gt 0 ]; then
	echo "record: these boots did not finish and were left out: ${failed[*]}" >&2
	exit 1
fi
