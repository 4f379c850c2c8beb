#!/bin/bash
# make demo: the seed's lab on Tern, with tern-lab (labs/seed: OSPF 100 in AS 100, RIP in AS 200,
# IBGP between loopbacks in each AS, EBGP between them, as the seed's note describes):
#
#   PC2 ---- R1 ========= R2 ---------- R3 ========= R4 ---- PC1
#        AS 100, OSPF 100 area 0         EBGP      AS 200, RIP
#        (IBGP 2.2.2.2-1.1.1.1)                 (IBGP 3.3.3.3-4.4.4.4)
#
# OSPF's Wait timer (RFC 2328: the 40 s dead interval on a broadcast link) comes first, so the
# IBGP session of AS 100, and with it PC1's first reply from PC2, come about 41 s after the start.
#
# Brings the lab up (replacing one left by an earlier demo), waits with a progress line until
# PC1 pings PC2 and every BGP session is Established, says how long after `tern-lab up` that
# was and where those seconds went (scripts/demo_times.py: read from the routers' own state),
# prints each router's BGP and routing tables, the R2-R3 message ladder and PC1 pinging PC2,
# and leaves the lab up to play with. Usage: scripts/demo.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
shown_build=${1:-build}
build=$(cd "$shown_build" && pwd)
labdir=${TERN_DEMO_LAB:-labs/seed}
name=$(sed -n 's/^name: *//p' "$labdir/topology.yml" | head -n 1)
name=${name:-seed}
routers=(R1 R2 R3 R4)
limit=240 # seconds to wait for convergence

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "the lab is made of network namespaces: run make demo as root"
tl="$build/tern-lab"
[ -x "$tl" ] || die "$tl is not built (meson builds it when libyaml-dev and libmnl-dev are installed)"
export TERN_BUILD="$build"

on() { "$tl" exec "$name/$1" -- "${@:2}"; } # one command on a node of this lab

# Wall-clock milliseconds (the routers' message logs are wall-clock too).
now_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	echo $((t / 1000))
}
seconds() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); } # ms as "s.mmm"

say "tern-lab up $labdir"
start_ms=$(now_ms)
"$tl" up --force "$labdir"
up_ms=$(now_ms)

# How many times $2 occurs in $1.
occurrences() {
	local rest=${1//"$2"/}
	echo $(((${#1} - ${#rest}) / ${#2}))
}

# Sessions of all routers: "established total", from `show ip bgp summary json`.
count_sessions() {
	local json up=0 all=0 r
	for r in "${routers[@]}"; do
		json=$(on "$r" show ip bgp summary json 2>/dev/null || true)
		all=$((all + $(occurrences "$json" '"state":')))
		up=$((up + $(occurrences "$json" '"state":"Established"')))
	done
	echo "$up $all"
}

# PC1 tries PC2 every 0.1 s or so (the time of its first reply is the demo's result); the
# sessions are counted about once a second for the progress line, and at the end all must be up.
converged= ping_ms= up=0 all=0 round=0
while [ $(($(now_ms) - start_ms)) -le $((limit * 1000)) ]; do
	if [ -z "$ping_ms" ] && on PC1 ping 10.0.0.2 -c 1 -w 200 >/dev/null 2>&1; then
		ping_ms=$(now_ms)
	fi
	if [ -n "$ping_ms" ] || [ $((round % 8)) -eq 0 ]; then
		read -r up all < <(count_sessions)
	fi
	round=$((round + 1))
	printf '\rwaiting for PC1 to ping PC2: %d of %d BGP sessions Established, %5s s ' "$up" "$all" \
		"$(seconds $(($(now_ms) - start_ms)) | cut -c1-5)"
	if [ -n "$ping_ms" ] && [ "$all" -gt 0 ] && [ "$up" -eq "$all" ]; then
		converged=yes
		break
	fi
	sleep 0.1
done
echo
if [ -z "$converged" ]; then
	for r in "${routers[@]}"; do
		say "$r# show ip bgp summary"
		on "$r" show ip bgp summary || true
	done
	die "not converged in $limit s; the lab is left up for a look ($shown_build/tern-lab down $name removes it)"
fi
echo "PC1 pings PC2 $(seconds $((ping_ms - start_ms))) s after tern-lab up (every BGP session Established)"
say "where the seconds went"
/usr/bin/python3 scripts/demo_times.py "$tl" "$name" "$(seconds "$start_ms")" "$(seconds "$up_ms")" \
	"$(seconds "$ping_ms")" "${routers[@]}" || true

for r in "${routers[@]}"; do
	for cmd in "show ip bgp summary" "show ip bgp" "show ip route"; do
		say "$r# $cmd"
		# shellcheck disable=SC2086
		on "$r" $cmd
	done
done

if [ "$name" = seed ]; then
	say "R1# show ip ospf neighbor   (the IGP under AS 100's IBGP)"
	on R1 show ip ospf neighbor
	say "R4# show ip rip database   (the IGP under AS 200's IBGP)"
	on R4 show ip rip database
fi

say "R2# show bgp neighbors 192.168.2.2 messages   (the seed's ladder: TCP, OPEN, KEEPALIVE, UPDATE)"
on R2 show bgp neighbors 192.168.2.2 messages

say "PC1> ping 10.0.0.2"
on PC1 ping 10.0.0.2
say "PC1> trace 10.0.0.2"
on PC1 trace 10.0.0.2

say "the lab $name is still up"
cat <<EOF
  $shown_build/tern-lab console R2      R2's shell (R2#): show ip bgp, configure terminal, ...
  $shown_build/tern-lab console PC1     PC1's VPCS prompt (PC1>): ping 10.0.0.2, trace 10.0.0.2
  $shown_build/tern-lab status $name   nodes, links and every router's sessions
  $shown_build/tern-lab link R2:f0/0 down    cut the EBGP cable (up restores it)
  $shown_build/tern-lab down $name     take it all down
(if another lab also has a node R2, write $name/R2)
EOF
